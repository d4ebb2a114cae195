package org.mosaicpacs.index.jdbc.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;

/**
 * Which entity an attribute belongs to: the modules of PS3.3 that describe a patient (Patient,
 * Clinical Trial Subject), a study (General Study, Patient Study, Clinical Trial Study), a series
 * (General Series, General Equipment, Frame of Reference, Clinical Trial Series); every other
 * attribute, private ones included, belongs to the instance. The index keeps each entity's
 * attributes once, so a query at any level can match and return any of them.
 */
final class AttributeLevels {

    private static final String[] PATIENT = {
        "PatientName", "PatientID", "IssuerOfPatientID", "TypeOfPatientID", "IssuerOfPatientIDQualifiersSequence",
        "SourcePatientGroupIdentificationSequence", "GroupOfPatientsIdentificationSequence",
        "PatientBirthDate", "PatientBirthTime", "PatientBirthDateInAlternativeCalendar",
        "PatientDeathDateInAlternativeCalendar", "PatientAlternativeCalendar", "PatientSex",
        "QualityControlSubject", "StrainDescription", "StrainNomenclature", "StrainStockSequence",
        "StrainAdditionalInformation", "StrainCodeSequence", "GeneticModificationsSequence",
        "OtherPatientIDs", "OtherPatientNames", "OtherPatientIDsSequence", "PatientBirthName",
        "PatientMotherBirthName", "MedicalRecordLocator", "ReferencedPatientPhotoSequence", "PatientAddress",
        "MilitaryRank", "BranchOfService", "CountryOfResidence", "RegionOfResidence", "PatientTelephoneNumbers",
        "PatientTelecomInformation", "EthnicGroup", "PatientReligiousPreference", "PatientSpeciesDescription",
        "PatientSpeciesCodeSequence", "PatientBreedDescription", "PatientBreedCodeSequence",
        "BreedRegistrationSequence", "ResponsiblePerson", "ResponsiblePersonRole", "ResponsibleOrganization",
        "PatientComments", "PatientIdentityRemoved", "DeidentificationMethod",
        "DeidentificationMethodCodeSequence", "ReferencedPatientSequence",
        "ClinicalTrialSponsorName", "ClinicalTrialProtocolID", "ClinicalTrialProtocolName", "ClinicalTrialSiteID",
        "ClinicalTrialSiteName", "ClinicalTrialSubjectID", "ClinicalTrialSubjectReadingID",
        "ClinicalTrialProtocolEthicsCommitteeName", "ClinicalTrialProtocolEthicsCommitteeApprovalNumber",
    };

    private static final String[] STUDY = {
        "StudyInstanceUID", "StudyDate", "StudyTime", "ReferringPhysicianName",
        "ReferringPhysicianIdentificationSequence", "ConsultingPhysicianName",
        "ConsultingPhysicianIdentificationSequence", "StudyID", "AccessionNumber",
        "IssuerOfAccessionNumberSequence", "StudyDescription", "PhysiciansOfRecord",
        "PhysiciansOfRecordIdentificationSequence", "NameOfPhysiciansReadingStudy",
        "PhysiciansReadingStudyIdentificationSequence", "RequestingServiceCodeSequence",
        "ReferencedStudySequence", "ProcedureCodeSequence", "ReasonForPerformedProcedureCodeSequence",
        "TimezoneOffsetFromUTC",
        // Patient Study module (PS3.3 C.7.2.2): the patient as at this study
        "AdmittingDiagnosesDescription", "AdmittingDiagnosesCodeSequence", "PatientAge", "PatientSize",
        "PatientSizeCodeSequence", "PatientBodyMassIndex", "MeasuredAPDimension", "MeasuredLateralDimension",
        "PatientWeight", "MedicalAlerts", "Allergies", "Occupation", "SmokingStatus",
        "AdditionalPatientHistory", "PregnancyStatus", "LastMenstrualDate", "PatientSexNeutered",
        "ReasonForVisit", "ReasonForVisitCodeSequence", "AdmissionID", "IssuerOfAdmissionIDSequence",
        "ServiceEpisodeID", "ServiceEpisodeDescription", "IssuerOfServiceEpisodeIDSequence", "PatientState",
        // Clinical Trial Study module
        "ClinicalTrialTimePointID", "ClinicalTrialTimePointDescription", "ConsentForClinicalTrialUseSequence",
    };

    private static final String[] SERIES = {
        "Modality", "SeriesInstanceUID", "SeriesNumber", "Laterality", "SeriesDate", "SeriesTime",
        "PerformingPhysicianName", "PerformingPhysicianIdentificationSequence", "ProtocolName",
        "SeriesDescription", "SeriesDescriptionCodeSequence", "OperatorsName", "OperatorIdentificationSequence",
        "ReferencedPerformedProcedureStepSequence", "RelatedSeriesSequence", "AnatomicalOrientationType",
        "BodyPartExamined", "PatientPosition", "SmallestPixelValueInSeries", "LargestPixelValueInSeries",
        "RequestAttributesSequence", "PerformedProcedureStepID", "PerformedProcedureStepStartDate",
        "PerformedProcedureStepStartTime", "PerformedProcedureStepEndDate", "PerformedProcedureStepEndTime",
        "PerformedProcedureStepDescription", "PerformedProtocolCodeSequence", "PerformedProcedureTypeDescription",
        "CommentsOnThePerformedProcedureStep", "PerformedStationAETitle", "PerformedStationName",
        "PerformedLocation",
        // General Equipment module (PS3.3 C.7.5.1)
        "Manufacturer", "InstitutionName", "InstitutionAddress", "StationName", "InstitutionalDepartmentName",
        "InstitutionalDepartmentTypeCodeSequence", "ManufacturerModelName", "DeviceSerialNumber", "DeviceUID",
        "SoftwareVersions", "SpatialResolution", "DateOfLastCalibration", "TimeOfLastCalibration",
        // Frame of Reference and Clinical Trial Series modules
        "FrameOfReferenceUID", "PositionReferenceIndicator", "ClinicalTrialCoordinatingCenterName",
        "ClinicalTrialSeriesID", "ClinicalTrialSeriesDescription",
    };

    /** Attributes the index derives (PS3.4 C.6.1.1 and C.6.2.1): computed, never stored. */
    private static final int[] DERIVED = {
        Tag.NumberOfPatientRelatedStudies, Tag.NumberOfPatientRelatedSeries, Tag.NumberOfPatientRelatedInstances,
        Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances, Tag.NumberOfSeriesRelatedInstances,
        Tag.ModalitiesInStudy, Tag.SOPClassesInStudy,
    };

    /**
     * Attributes of a query identifier that describe the query or the response rather than an
     * entity (PS3.4 C.4.1.1.3): the query service fills them in, the index neither matches nor
     * returns them.
     */
    private static final int[] NOT_ENTITY = {
        Tag.SpecificCharacterSet, Tag.QueryRetrieveLevel, Tag.RetrieveAETitle, Tag.InstanceAvailability,
        Tag.RetrieveURL, Tag.StorageMediaFileSetID, Tag.StorageMediaFileSetUID,
    };

    private static final Map<Integer, QueryLevel> LEVELS = new HashMap<>();

    static {
        put(PATIENT, QueryLevel.PATIENT);
        put(STUDY, QueryLevel.STUDY);
        put(SERIES, QueryLevel.SERIES);
        LEVELS.put(Tag.NumberOfPatientRelatedStudies, QueryLevel.PATIENT);
        LEVELS.put(Tag.NumberOfPatientRelatedSeries, QueryLevel.PATIENT);
        LEVELS.put(Tag.NumberOfPatientRelatedInstances, QueryLevel.PATIENT);
        LEVELS.put(Tag.NumberOfStudyRelatedSeries, QueryLevel.STUDY);
        LEVELS.put(Tag.NumberOfStudyRelatedInstances, QueryLevel.STUDY);
        LEVELS.put(Tag.ModalitiesInStudy, QueryLevel.STUDY);
        LEVELS.put(Tag.SOPClassesInStudy, QueryLevel.STUDY);
        LEVELS.put(Tag.NumberOfSeriesRelatedInstances, QueryLevel.SERIES);
    }

    private AttributeLevels() {
    }

    private static void put(String[] keywords, QueryLevel level) {
        for (String keyword : keywords) {
            LEVELS.put(ElementDictionary.tagOf(keyword), level);
        }
    }

    /** The entity a top-level attribute belongs to. */
    static QueryLevel levelOf(int tag) {
        return LEVELS.getOrDefault(tag, QueryLevel.IMAGE);
    }

    /** True for the attributes the index computes (counts, Modalities and SOP Classes in Study). */
    static boolean isDerived(int tag) {
        return Arrays.stream(DERIVED).anyMatch(t -> t == tag);
    }

    /** True for attributes that describe the query or response, not an entity (see {@link #NOT_ENTITY}). */
    static boolean isNotEntity(int tag) {
        return Tags.isGroupLength(tag) || Tags.group(tag) == 0x0002 || Tags.group(tag) == 0x0000
                || Arrays.stream(NOT_ENTITY).anyMatch(t -> t == tag);
    }
}
