package org.mosaicpacs.service.worklist.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.util.Locale;

import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;

/**
 * A worklist item's data set as the store keeps it: checked (one Scheduled Procedure Step
 * Sequence item, dates and times that parse, values that fit the indexed columns), completed
 * (identifiers and status assigned when absent), encoded for the database (Explicit VR Little
 * Endian in UTF-8, so every name keeps its characters whatever the item arrived in) and reduced to
 * the indexed column values.
 */
final class ItemAttributes {

    /** The step status an item gets when it has none (PS3.3 C.4.10, Scheduled Procedure Step Status). */
    static final String DEFAULT_STATUS = "SCHEDULED";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UTF_8 = "ISO_IR 192";

    /** The indexed columns of one item, in the order of {@link JdbcWorklistStore}'s INSERT. */
    record Columns(String patientId, String patientName, String accessionNumber, String studyInstanceUid,
                   String requestedProcedureId, String stepId, String startDate, String startTime, String modality,
                   String stationAeTitles, String performingPhysician, String status) {

        String[] values() {
            return new String[] {patientId, patientName, accessionNumber, studyInstanceUid, requestedProcedureId,
                    stepId, startDate, startTime, modality, stationAeTitles, performingPhysician, status};
        }
    }

    private ItemAttributes() {
    }

    /**
     * A checked, completed copy of an item: Study Instance UID, Requested Procedure ID, Scheduled
     * Procedure Step ID and Status assigned when absent; (0008,0005) dropped (the values are
     * characters, the store decides the encoding).
     *
     * @throws WorklistException saying what is wrong with the item
     */
    static DataSet complete(DataSet attributes) throws WorklistException {
        if (attributes == null) {
            throw new WorklistException("a worklist item needs a data set");
        }
        DataSet item = attributes.deepCopy();
        item.remove(Tag.SpecificCharacterSet);
        Sequence steps = item.getSequence(Tag.ScheduledProcedureStepSequence);
        int count = steps == null ? 0 : steps.size();
        if (count != 1) {
            throw new WorklistException("a worklist item needs exactly one Scheduled Procedure Step Sequence "
                    + "(0040,0100) item, this one has " + count);
        }
        DataSet step = steps.get(0);
        if (!item.containsValue(Tag.StudyInstanceUID)) {
            item.setString(Tag.StudyInstanceUID, VR.UI, UidGenerator.newUid());
        }
        if (!item.containsValue(Tag.RequestedProcedureID)) {
            item.setString(Tag.RequestedProcedureID, VR.SH, newId("RP"));
        }
        if (!step.containsValue(Tag.ScheduledProcedureStepID)) {
            step.setString(Tag.ScheduledProcedureStepID, VR.SH, newId("SPS"));
        }
        if (!step.containsValue(Tag.ScheduledProcedureStepStatus)) {
            step.setString(Tag.ScheduledProcedureStepStatus, VR.CS, DEFAULT_STATUS);
        }
        checkDate(step, Tag.ScheduledProcedureStepStartDate);
        checkDate(item, Tag.PatientBirthDate);
        if (step.containsValue(Tag.ScheduledProcedureStepStartTime)) {
            try {
                WorklistMatcher.parseTime(step.getString(Tag.ScheduledProcedureStepStartTime));
            } catch (DateTimeException e) {
                throw new WorklistException("Scheduled Procedure Step Start Time (0040,0003) '"
                        + step.getString(Tag.ScheduledProcedureStepStartTime) + "' is no DICOM time (HHMMSS)");
            }
        }
        columns(item); // checks the lengths
        return item;
    }

    private static void checkDate(DataSet ds, int tag) throws WorklistException {
        String value = ds.getString(tag);
        if (value == null) {
            return;
        }
        try {
            if (value.length() != 8) {
                throw new DateTimeException(value);
            }
            WorklistMatcher.parseDate(value);
        } catch (DateTimeException e) {
            throw new WorklistException(WorklistMatcher.name(tag) + " '" + value + "' is no DICOM date (YYYYMMDD)");
        }
    }

    /** An identifier of at most 16 characters (SH): a prefix and 12 random base-36 digits. */
    private static String newId(String prefix) {
        String digits = Long.toString(RANDOM.nextLong() >>> 2, 36).toUpperCase(Locale.ROOT);
        digits = digits.length() > 12 ? digits.substring(0, 12) : digits;
        return (prefix + digits).substring(0, Math.min(16, prefix.length() + digits.length()));
    }

    /**
     * The indexed values of a completed item; person names upper-cased, multi-valued station AE
     * titles joined with a backslash.
     *
     * @throws WorklistException if a value is longer than its column (and than its VR allows)
     */
    static Columns columns(DataSet item) throws WorklistException {
        DataSet step = item.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        return new Columns(
                fit(item, Tag.PatientID, 64, false),
                fit(item, Tag.PatientName, 400, true),
                fit(item, Tag.AccessionNumber, 64, false),
                fit(item, Tag.StudyInstanceUID, 64, false),
                fit(item, Tag.RequestedProcedureID, 64, false),
                fit(step, Tag.ScheduledProcedureStepID, 64, false),
                fit(step, Tag.ScheduledProcedureStepStartDate, 8, false),
                fit(step, Tag.ScheduledProcedureStepStartTime, 16, false),
                fit(step, Tag.Modality, 16, false),
                fit(step, Tag.ScheduledStationAETitle, 400, false),
                fit(step, Tag.ScheduledPerformingPhysicianName, 400, true),
                fit(step, Tag.ScheduledProcedureStepStatus, 16, false));
    }

    private static String fit(DataSet ds, int tag, int width, boolean upperCase) throws WorklistException {
        String[] values = ds.getStrings(tag);
        if (values.length == 0) {
            return null;
        }
        String value = String.join("\\", values);
        if (value.length() > width) {
            throw new WorklistException(WorklistMatcher.name(tag) + " is " + value.length()
                    + " characters long, more than the " + width + " the worklist keeps");
        }
        return upperCase ? value.toUpperCase(Locale.ROOT) : value;
    }

    /** The item as the database keeps it: Explicit VR Little Endian, UTF-8. */
    static byte[] encode(DataSet item) {
        DataSet ds = item.deepCopy();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (DicomWriter writer = DicomWriter.create(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                WriteOptions.defaults().withUndefinedLengths(false))) {
            writer.writeDataSet(ds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a worklist item", e);
        }
        return out.toByteArray();
    }

    /** An item read back from the database, as characters, without (0008,0005). */
    static DataSet decode(byte[] encoded) throws WorklistException {
        try (DicomReader reader = DicomReader.open(new ByteArrayInputStream(encoded),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.defaults())) {
            DataSet ds = reader.readDataSet();
            // the text stays held in (and decoded from) the character set it was read in
            ds.remove(Tag.SpecificCharacterSet);
            return ds;
        } catch (IOException e) {
            throw new WorklistException("a stored worklist item is corrupt: " + e.getMessage(), e);
        }
    }
}
