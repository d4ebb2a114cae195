package org.mosaicpacs.service.mpps.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;

/**
 * The attribute rules of PS3.4 Table F.7.2-1 (Modality Performed Procedure Step SOP Class
 * N-CREATE, N-SET and Final State Attributes), as the SCP checks them:
 * <ul>
 * <li>N-CREATE: every Type 1 attribute present with a value (else 0120 Missing Attribute or 0121
 *     Missing Attribute Value, the attributes in Offending Element); Type 2 attributes present,
 *     possibly empty, only when {@code strictType2} (many modalities leave some out);</li>
 * <li>N-SET: the attributes the table marks "Not allowed" for N-SET (patient, scheduling and
 *     start information, Performed Procedure Step ID, Modality, Study ID...) cannot change: a
 *     different value is refused with 0105 No Such Attribute, as dcm4che does for attributes an
 *     N-SET may not carry; the same value sent again is accepted, and left as it was;</li>
 * <li>Final state (N-SET of COMPLETED or DISCONTINUED): Performed Procedure Step End Date and
 *     End Time with values, and a Performed Series Sequence of at least one item whose Series
 *     Instance UID and Protocol Name have values (F.7.2-1 note on the final state); else 0121
 *     Missing Attribute Value (the N-SET statuses of PS3.7 10.1.3.1.9 have no 0120).</li>
 * </ul>
 * Sequence items are checked with the rules of their own rows (Scheduled Step Attributes
 * Sequence, Performed Series Sequence, Referenced Image Sequence...).
 */
final class MppsAttributeRules {

    /** A row of Table F.7.2-1: the N-CREATE type, whether N-SET may carry it, and what items hold. */
    record Row(int tag, int createType, boolean settable, List<Row> items) {

        static Row of(int tag, int createType, boolean settable, Row... items) {
            return new Row(tag, createType, settable, List.of(items));
        }
    }

    private static final List<Row> REFERENCED_SOP = List.of(
            Row.of(Tag.ReferencedSOPClassUID, 1, true), Row.of(Tag.ReferencedSOPInstanceUID, 1, true));

    private static final List<Row> PERFORMED_SERIES_ITEM = List.of(
            Row.of(Tag.PerformingPhysicianName, 2, true),
            Row.of(Tag.ProtocolName, 1, true),
            Row.of(Tag.OperatorsName, 2, true),
            Row.of(Tag.SeriesInstanceUID, 1, true),
            Row.of(Tag.SeriesDescription, 2, true),
            Row.of(Tag.RetrieveAETitle, 2, true),
            new Row(Tag.ReferencedImageSequence, 2, true, REFERENCED_SOP),
            new Row(Tag.ReferencedNonImageCompositeSOPInstanceSequence, 2, true, REFERENCED_SOP));

    /** Table F.7.2-1, the rows with Type 1 or 2 for N-CREATE or "Not allowed" for N-SET. */
    static final List<Row> TABLE = List.of(
            // Performed Procedure Step Relationship
            Row.of(Tag.ScheduledStepAttributesSequence, 1, false,
                    Row.of(Tag.StudyInstanceUID, 1, false),
                    new Row(Tag.ReferencedStudySequence, 2, false, REFERENCED_SOP),
                    Row.of(Tag.AccessionNumber, 2, false),
                    Row.of(Tag.RequestedProcedureID, 2, false),
                    Row.of(Tag.RequestedProcedureDescription, 2, false),
                    Row.of(Tag.ScheduledProcedureStepID, 2, false),
                    Row.of(Tag.ScheduledProcedureStepDescription, 2, false),
                    Row.of(Tag.ScheduledProtocolCodeSequence, 2, false)),
            Row.of(Tag.PatientName, 2, false),
            Row.of(Tag.PatientID, 2, false),
            Row.of(Tag.IssuerOfPatientID, 3, false),
            Row.of(Tag.PatientBirthDate, 2, false),
            Row.of(Tag.PatientSex, 2, false),
            Row.of(Tag.ReferencedPatientSequence, 2, false),
            // Performed Procedure Step Information
            Row.of(Tag.PerformedProcedureStepID, 1, false),
            Row.of(Tag.PerformedStationAETitle, 1, false),
            Row.of(Tag.PerformedStationName, 2, false),
            Row.of(Tag.PerformedLocation, 2, false),
            Row.of(Tag.PerformedProcedureStepStartDate, 1, false),
            Row.of(Tag.PerformedProcedureStepStartTime, 1, false),
            Row.of(Tag.PerformedProcedureStepStatus, 1, true),
            Row.of(Tag.PerformedProcedureStepDescription, 2, true),
            Row.of(Tag.PerformedProcedureTypeDescription, 2, true),
            Row.of(Tag.ProcedureCodeSequence, 2, true),
            Row.of(Tag.PerformedProcedureStepEndDate, 2, true),
            Row.of(Tag.PerformedProcedureStepEndTime, 2, true),
            // Image Acquisition Results
            Row.of(Tag.Modality, 1, false),
            Row.of(Tag.StudyID, 2, false),
            Row.of(Tag.PerformedProtocolCodeSequence, 2, true),
            new Row(Tag.PerformedSeriesSequence, 2, true, PERFORMED_SERIES_ITEM));

    /** Error ID (0000,0903), US, of "Performed Procedure Step Object may no longer be updated" (PS3.4 Table F.7.2-2). */
    static final int ERROR_ID_NO_LONGER_UPDATABLE = 0xA710;

    /** Error Comment of that failure, the standard's wording (PS3.4 F.7.2.2.4, Table F.7.2-2). */
    static final String NO_LONGER_UPDATABLE = "Performed Procedure Step Object may no longer be updated";

    private final boolean strictType2;

    MppsAttributeRules(boolean strictType2) {
        this.strictType2 = strictType2;
    }

    /**
     * Checks the Attribute List of an N-CREATE-RQ.
     *
     * @throws DimseStatusException 0120 (attributes missing), 0121 (Type 1 without value) or 0106
     *         (status other than IN PROGRESS, F.7.2.1.3)
     */
    void checkCreate(DataSet attributes) throws DimseStatusException {
        Problems problems = new Problems();
        checkRows(attributes, TABLE, "", problems);
        problems.throwIfAny(Status.MISSING_ATTRIBUTE, "N-CREATE");
        String status = attributes.getString(Tag.PerformedProcedureStepStatus);
        if (!MppsStatus.IN_PROGRESS.value().equals(status)) {
            // F.7.2.1.3: 0106 "with an Attribute List", the invalid value as received
            DataSet invalid = single(attributes, Tag.PerformedProcedureStepStatus);
            throw new DimseStatusException(DimseResponse.of(Status.INVALID_ATTRIBUTE_VALUE)
                    .withErrorComment("N-CREATE needs Performed Procedure Step Status IN PROGRESS")
                    .withOffendingElements(Tag.PerformedProcedureStepStatus)
                    .withDataSet(invalid));
        }
    }

    /**
     * Checks the Modification List of an N-SET-RQ against the stored step.
     *
     * @throws DimseStatusException 0106 (an unknown status value), 0105 (a change to an attribute
     *         N-SET may not carry), 0121 (a Type 1 item attribute without value)
     */
    void checkSet(DataSet modifications, DataSet stored) throws DimseStatusException {
        if (modifications.contains(Tag.PerformedProcedureStepStatus)
                && MppsStatus.of(modifications.getString(Tag.PerformedProcedureStepStatus)) == null) {
            throw new DimseStatusException(DimseResponse.of(Status.INVALID_ATTRIBUTE_VALUE)
                    .withErrorComment("Performed Procedure Step Status must be IN PROGRESS, COMPLETED or DISCONTINUED")
                    .withOffendingElements(Tag.PerformedProcedureStepStatus));
        }
        List<Integer> notAllowed = new ArrayList<>();
        for (Row row : TABLE) {
            if (!row.settable() && modifications.contains(row.tag())
                    && !single(modifications, row.tag()).equals(single(stored, row.tag()))) {
                notAllowed.add(row.tag());
            }
        }
        if (!notAllowed.isEmpty()) {
            throw new DimseStatusException(DimseResponse.of(Status.NO_SUCH_ATTRIBUTE)
                    .withErrorComment("N-SET may not change " + names(notAllowed))
                    .withOffendingElements(ints(notAllowed)));
        }
        Problems problems = new Problems();
        for (Row row : TABLE) {
            if (row.settable() && !row.items().isEmpty() && modifications.contains(row.tag())) {
                checkItems(modifications, row, "", problems);
            }
        }
        problems.throwIfAny(Status.MISSING_ATTRIBUTE_VALUE, "N-SET");
    }

    /**
     * Checks the step as it would be after an N-SET to COMPLETED or DISCONTINUED (the Final State
     * column of Table F.7.2-1).
     *
     * @throws DimseStatusException 0121 Missing Attribute Value, listing what is missing
     */
    void checkFinal(DataSet merged) throws DimseStatusException {
        Problems problems = new Problems();
        for (int tag : new int[] {Tag.PerformedProcedureStepEndDate, Tag.PerformedProcedureStepEndTime,
                Tag.PerformedSeriesSequence}) {
            if (!merged.containsValue(tag)) {
                problems.missing(tag, "");
            }
        }
        Sequence series = merged.getSequence(Tag.PerformedSeriesSequence);
        if (series != null) {
            for (DataSet item : series) {
                for (int tag : new int[] {Tag.SeriesInstanceUID, Tag.ProtocolName}) {
                    if (!item.containsValue(tag)) {
                        problems.missing(tag, "PerformedSeriesSequence > ");
                    }
                }
            }
        }
        problems.throwIfAny(Status.MISSING_ATTRIBUTE_VALUE, "Final state");
    }

    private void checkRows(DataSet ds, List<Row> rows, String path, Problems problems) {
        for (Row row : rows) {
            boolean present = ds.contains(row.tag());
            if (!present) {
                if (row.createType() == 1 || row.createType() == 2 && strictType2) {
                    problems.absent(row.tag(), path);
                }
                continue;
            }
            if (row.createType() == 1 && !ds.containsValue(row.tag())) {
                problems.missing(row.tag(), path);
            }
            checkItems(ds, row, path, problems);
        }
    }

    private void checkItems(DataSet ds, Row row, String path, Problems problems) {
        Sequence seq = ds.getSequence(row.tag());
        if (seq == null || row.items().isEmpty()) {
            return;
        }
        String itemPath = path + ElementDictionary.keywordOf(row.tag()) + " > ";
        for (DataSet item : seq) {
            checkRows(item, row.items(), itemPath, problems);
        }
    }

    /** The element alone (or nothing), for comparing one attribute of two data sets. */
    private static DataSet single(DataSet ds, int tag) {
        DataSet copy = ds.deepCopy();
        for (int t : copy.tags()) {
            if (t != tag) {
                copy.remove(t);
            }
        }
        return copy;
    }

    private static String names(List<Integer> tags) {
        return tags.stream().map(MppsAttributeRules::name).collect(Collectors.joining(", "));
    }

    static String name(int tag) {
        String keyword = ElementDictionary.keywordOf(tag);
        return keyword != null ? keyword : Tags.toString(tag);
    }

    private static int[] ints(Iterable<Integer> tags) {
        List<Integer> list = new ArrayList<>();
        tags.forEach(list::add);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** What a check found: attributes absent (0120) and attributes without value (0121). */
    private static final class Problems {
        private final Set<Integer> absentTags = new LinkedHashSet<>();
        private final Set<Integer> missingValueTags = new LinkedHashSet<>();
        private final List<String> absentNames = new ArrayList<>();
        private final List<String> missingValueNames = new ArrayList<>();

        void absent(int tag, String path) {
            absentTags.add(tag);
            absentNames.add(path + name(tag));
        }

        void missing(int tag, String path) {
            missingValueTags.add(tag);
            missingValueNames.add(path + name(tag));
        }

        /** 0120 when something is absent and the request allows it, else 0121 for values missing. */
        void throwIfAny(int absentStatus, String what) throws DimseStatusException {
            if (!absentTags.isEmpty() && absentStatus == Status.MISSING_ATTRIBUTE) {
                throw new DimseStatusException(DimseResponse.of(Status.MISSING_ATTRIBUTE)
                        .withErrorComment("Missing " + String.join(", ", absentNames))
                        .withOffendingElements(ints(absentTags)));
            }
            Set<Integer> tags = new LinkedHashSet<>(absentTags);
            tags.addAll(missingValueTags);
            if (!tags.isEmpty()) {
                List<String> names = new ArrayList<>(absentNames);
                names.addAll(missingValueNames);
                throw new DimseStatusException(DimseResponse.of(Status.MISSING_ATTRIBUTE_VALUE)
                        .withErrorComment(what + " needs a value for " + String.join(", ", names))
                        .withOffendingElements(ints(tags)));
            }
        }
    }
}
