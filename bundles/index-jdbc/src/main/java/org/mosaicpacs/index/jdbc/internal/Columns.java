package org.mosaicpacs.index.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HexFormat;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;

/**
 * The values of the indexed columns, taken from an entity's attributes: the first value of each
 * attribute, dates as "YYYYMMDD", times as "HHMMSS.FFFFFF" (so both sort as text), values that
 * are not valid dates, times or integers as NULL. Text longer than its column is cut (only
 * values far beyond their VR's length limit are).
 */
final class Columns {

    /** Width of the short text columns (IDs, codes): four times the longest LO. */
    static final int TEXT = 256;
    /** Width of description columns. */
    static final int DESCRIPTION = 1024;
    /** The longest UID (PS3.5 9.1). */
    static final int UID = 64;

    private Columns() {
    }

    static String text(DataSet ds, int tag, int width) {
        String s = ds.getString(tag);
        return s == null ? null : s.length() <= width ? s : s.substring(0, width);
    }

    static String date(DataSet ds, int tag) {
        LocalDate d = KeyMatcher.parseDate(ds.getString(tag));
        return d == null ? null : date(d);
    }

    static String date(LocalDate d) {
        return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    static String time(DataSet ds, int tag) {
        LocalTime t = KeyMatcher.parseTime(ds.getString(tag));
        return t == null ? null : time(t);
    }

    static String time(LocalTime t) {
        return String.format("%02d%02d%02d.%06d", t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000);
    }

    /** An IS value as integer, or null. */
    static Integer integer(DataSet ds, int tag) {
        String s = ds.getString(tag);
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The identity of a patient: Patient ID with Issuer of Patient ID; without a Patient ID, the
     * name and birth date (such instances then share a patient only with namesakes born the same day).
     */
    static String patientIdentity(DataSet patient) {
        String id = patient.getString(Tag.PatientID);
        String identity = id != null
                ? "ID\\" + id + "\\" + patient.getString(Tag.IssuerOfPatientID, "")
                : "NAME\\" + patient.getString(Tag.PatientName, "") + "\\" + patient.getString(Tag.PatientBirthDate, "");
        return identity.length() <= 600 ? identity : "SHA256\\" + sha256(identity);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
