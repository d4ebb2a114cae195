package org.mosaicpacs.service.worklist.internal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Range;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * The WHERE clause that narrows a worklist query on the indexed columns of {@code mwl_item}: a
 * superset of the matches, never fewer (wild cards become LIKE patterns that may match more, names
 * are compared upper-cased and anywhere in the value, keys it cannot express are left out).
 * {@link WorklistMatcher} then decides each candidate exactly.
 *
 * @param where  the condition, "1=1" when nothing narrows
 * @param params its parameters, in order
 */
record SqlPrefilter(String where, List<String> params) {

    private static final char ESCAPE = '!';

    /** The pre-filter of a validated identifier (see {@link WorklistMatcher#validate}). */
    static SqlPrefilter of(DataSet keys) {
        List<String> conditions = new ArrayList<>();
        List<String> params = new ArrayList<>();
        exact(keys, Tag.PatientID, "patient_id", conditions, params);
        exact(keys, Tag.AccessionNumber, "accession_no", conditions, params);
        exact(keys, Tag.StudyInstanceUID, "study_uid", conditions, params);
        exact(keys, Tag.RequestedProcedureID, "req_proc_id", conditions, params);
        contains(keys, Tag.PatientName, "patient_name", conditions, params);
        Sequence steps = keys.vr(Tag.ScheduledProcedureStepSequence) == VR.SQ
                ? keys.getSequence(Tag.ScheduledProcedureStepSequence) : null;
        if (steps != null && !steps.isEmpty()) {
            DataSet step = steps.get(0);
            exact(step, Tag.ScheduledProcedureStepID, "sps_id", conditions, params);
            exact(step, Tag.Modality, "modality", conditions, params);
            exact(step, Tag.ScheduledProcedureStepStatus, "sps_status", conditions, params);
            contains(step, Tag.ScheduledStationAETitle, "station_aet", conditions, params);
            contains(step, Tag.ScheduledPerformingPhysicianName, "performing_physician", conditions, params);
            dateRange(step, conditions, params);
        }
        return new SqlPrefilter(conditions.isEmpty() ? "1=1" : String.join(" AND ", conditions), params);
    }

    private static String[] values(DataSet keys, int tag) {
        return WorklistMatcher.isUniversal(keys, tag) || keys.vr(tag) == VR.SQ ? new String[0] : keys.getStrings(tag);
    }

    /** Single value or UID list: equality; one value with wild cards: LIKE. */
    private static void exact(DataSet keys, int tag, String column, List<String> conditions, List<String> params) {
        String[] values = values(keys, tag);
        if (values.length == 0) {
            return;
        }
        boolean wildcards = Arrays.stream(values).anyMatch(WorklistMatcher::hasWildcard);
        if (!wildcards) {
            conditions.add(column + (values.length == 1 ? " = ?" : " IN (" + "?, ".repeat(values.length - 1) + "?)"));
            params.addAll(Arrays.stream(values).map(String::strip).toList());
        } else if (values.length == 1) {
            conditions.add(column + " LIKE ? ESCAPE '" + ESCAPE + "'");
            params.add(likePattern(values[0].strip()));
        }
    }

    /**
     * Names (stored upper-cased, all component groups) and multi-valued AE titles: the key, upper-cased,
     * anywhere in the column. A key with component groups is left to the exact matching.
     */
    private static void contains(DataSet keys, int tag, String column, List<String> conditions, List<String> params) {
        String[] values = values(keys, tag);
        if (values.length != 1 || values[0].indexOf('=') >= 0) {
            return;
        }
        String key = WorklistMatcher.groups(values[0])[0];
        if (key.isEmpty()) {
            return;
        }
        conditions.add(column + " LIKE ? ESCAPE '" + ESCAPE + "'");
        params.add("%" + likePattern(key.toUpperCase(Locale.ROOT)) + "%");
    }

    /** The date part of the SPS Start Date key (also when combined with the time: the same days bound it). */
    private static void dateRange(DataSet step, List<String> conditions, List<String> params) {
        String[] values = values(step, Tag.ScheduledProcedureStepStartDate);
        if (values.length != 1) {
            return;
        }
        @SuppressWarnings("unchecked")
        Range<LocalDate> range = (Range<LocalDate>) WorklistMatcher.range(VR.DA, values[0]);
        if (range.start() != null) {
            conditions.add("sps_start_date >= ?");
            params.add(range.start().format(DateTimeFormatter.BASIC_ISO_DATE));
        }
        if (range.end() != null) {
            conditions.add("sps_start_date <= ?");
            params.add(range.end().format(DateTimeFormatter.BASIC_ISO_DATE));
        }
    }

    /** A DICOM wild card key as a LIKE pattern: "*" and "?" become "%" (a superset for "?"), SQL's own escaped. */
    static String likePattern(String key) {
        StringBuilder sb = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '*', '?' -> sb.append('%');
                case '%', '_', ESCAPE -> sb.append(ESCAPE).append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
