package org.mosaicpacs.service.mpps.internal;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/** MPPS data sets as a modality sends them: a complete N-CREATE, N-SET updates, final N-SETs. */
final class MppsTestData {

    static final String STUDY_UID = "1.2.826.0.1.3680043.10.543.7.1";
    static final String SERIES_UID = "1.2.826.0.1.3680043.10.543.7.2";

    private MppsTestData() {
    }

    /** An N-CREATE Attribute List with every Type 1 and Type 2 attribute of PS3.4 Table F.7.2-1. */
    static DataSet create(String stepId, String stationAe) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        DataSet sched = ds.newSequence(Tag.ScheduledStepAttributesSequence).addNewItem();
        sched.setString(Tag.StudyInstanceUID, VR.UI, STUDY_UID);
        sched.newSequence(Tag.ReferencedStudySequence);
        sched.setString(Tag.AccessionNumber, VR.SH, "ACC-1");
        sched.setString(Tag.RequestedProcedureID, VR.SH, "RP-1");
        sched.setString(Tag.RequestedProcedureDescription, VR.LO, "CT chest");
        sched.setString(Tag.ScheduledProcedureStepID, VR.SH, stepId);
        sched.setString(Tag.ScheduledProcedureStepDescription, VR.LO, "CT chest without contrast");
        sched.newSequence(Tag.ScheduledProtocolCodeSequence);
        ds.setString(Tag.PatientName, VR.PN, "Müller^Jürgen");
        ds.setString(Tag.PatientID, VR.LO, "PID-1");
        ds.setString(Tag.PatientBirthDate, VR.DA, "19600101");
        ds.setString(Tag.PatientSex, VR.CS, "M");
        ds.newSequence(Tag.ReferencedPatientSequence);
        ds.setString(Tag.PerformedProcedureStepID, VR.SH, "PPS-" + stepId);
        ds.setString(Tag.PerformedStationAETitle, VR.AE, stationAe);
        ds.setString(Tag.PerformedStationName, VR.SH, "CT room 1");
        ds.setString(Tag.PerformedLocation, VR.SH, "Radiology");
        ds.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20260301");
        ds.setString(Tag.PerformedProcedureStepStartTime, VR.TM, "101500");
        ds.setString(Tag.PerformedProcedureStepStatus, VR.CS, "IN PROGRESS");
        ds.setString(Tag.PerformedProcedureStepDescription, VR.LO, "CT chest");
        ds.setNull(Tag.PerformedProcedureTypeDescription, VR.LO);
        ds.newSequence(Tag.ProcedureCodeSequence);
        ds.setNull(Tag.PerformedProcedureStepEndDate, VR.DA);
        ds.setNull(Tag.PerformedProcedureStepEndTime, VR.TM);
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(Tag.StudyID, VR.SH, "S1");
        ds.newSequence(Tag.PerformedProtocolCodeSequence);
        ds.newSequence(Tag.PerformedSeriesSequence);
        return ds;
    }

    /** An N-SET changing only the description (stays IN PROGRESS). */
    static DataSet update(String description) {
        DataSet ds = new DataSet();
        ds.setString(Tag.PerformedProcedureStepDescription, VR.LO, description);
        return ds;
    }

    /** An N-SET to a final status with end date/time and one performed series. */
    static DataSet finish(String status, String seriesUid) {
        DataSet ds = new DataSet();
        ds.setString(Tag.PerformedProcedureStepStatus, VR.CS, status);
        ds.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20260301");
        ds.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "103000");
        Sequence series = ds.newSequence(Tag.PerformedSeriesSequence);
        DataSet item = series.addNewItem();
        item.setNull(Tag.PerformingPhysicianName, VR.PN);
        item.setString(Tag.ProtocolName, VR.LO, "Chest routine");
        item.setString(Tag.OperatorsName, VR.PN, "Tech^One");
        item.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        item.setString(Tag.SeriesDescription, VR.LO, "Axial 1mm");
        item.setNull(Tag.RetrieveAETitle, VR.AE);
        DataSet image = item.newSequence(Tag.ReferencedImageSequence).addNewItem();
        image.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        image.setString(Tag.ReferencedSOPInstanceUID, VR.UI, seriesUid + ".1");
        item.newSequence(Tag.ReferencedNonImageCompositeSOPInstanceSequence);
        return ds;
    }
}
