package org.mosaicpacs.service.worklist.internal;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Locale;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Range;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;

/**
 * Matching of a Modality Worklist C-FIND identifier against one worklist item (PS3.4 K.2.2.1,
 * which applies the matching of C.2.2.2), and the response identifier built from the item (K.6).
 *
 * <ul>
 * <li>Universal matching (C.2.2.2.3): an absent or empty key, or "*", matches every item, also
 *     one without the attribute; a sequence key with no item, or with an item of universal keys
 *     only, likewise.</li>
 * <li>Single value matching (C.2.2.2.1): exact and case-sensitive, except PN; numbers by value;
 *     a multi-valued key (list of UIDs, C.2.2.2.2) matches if one of its values does.</li>
 * <li>Wild cards (C.2.2.2.4), "*" any run and "?" one character, for AE, CS, LO, LT, PN, SH, ST,
 *     UC, UR, UT.</li>
 * <li>Ranges of DA, TM, DT (C.2.2.2.5), open ones too; a single value matches its whole precision.
 *     Scheduled Procedure Step Start Date and Time given together are one date-time range
 *     ("20261201-20261202" with "2000-0800" is 1 December 20:00 to 2 December 08:00), as
 *     C.2.2.2.5 describes for combined date and time keys.</li>
 * <li>Sequence matching (C.2.2.2.6), notably the Scheduled Procedure Step Sequence: some item of
 *     the stored sequence must match every key of the key's item.</li>
 * <li>Person names: a key without "=" matches any component group of the value (so a hangul or
 *     hanja key finds the ideographic or phonetic group); a key with "=" matches group by group.
 *     Case is ignored when configured (C.2.2.2.1 lets the SCP decide); trailing empty components
 *     do not count.</li>
 * </ul>
 * An item without the attribute, or with it empty, matches only universal keys; a stored value
 * that cannot be parsed (a date "2026-12-01") matches none but universal keys. Thread-safe.
 */
final class WorklistMatcher {

    private final boolean caseInsensitiveNames;

    WorklistMatcher(boolean caseInsensitiveNames) {
        this.caseInsensitiveNames = caseInsensitiveNames;
    }

    /**
     * Checks an identifier before any matching: every sequence key has at most one item
     * (C.2.2.2.6) and every date, time and date-time key is a valid value or range.
     *
     * @throws InvalidKeyException naming the offending attribute
     */
    static void validate(DataSet keys) throws InvalidKeyException {
        for (int tag : keys.tags()) {
            VR vr = keys.vr(tag);
            if (vr == VR.SQ) {
                Sequence seq = keys.getSequence(tag);
                if (seq != null && seq.size() > 1) {
                    // PS3.4 C.2.2.2.6; the comment fits the 64 characters of an Error Comment
                    throw new InvalidKeyException(tag, keyword(tag) + " has " + seq.size() + " items, a key has at most 1");
                }
                if (seq != null && !seq.isEmpty()) {
                    validate(seq.get(0));
                }
                continue;
            }
            if (isUniversal(keys, tag) || vr != VR.DA && vr != VR.TM && vr != VR.DT) {
                continue;
            }
            for (String key : keys.getStrings(tag)) {
                try {
                    range(vr, key);
                } catch (DateTimeException | IllegalArgumentException e) {
                    throw new InvalidKeyException(tag, keyword(tag) + " is no valid " + vr + " value or range");
                }
            }
        }
    }

    /** True if the item matches every key of the identifier. */
    boolean matches(DataSet item, DataSet keys) {
        boolean combined = isCombined(keys);
        for (int tag : keys.tags()) {
            if (tag == Tag.SpecificCharacterSet || Tags.element(tag) == 0) {
                continue;
            }
            if (combined && tag == Tag.ScheduledProcedureStepStartTime) {
                continue; // matched with the date
            }
            boolean match = combined && tag == Tag.ScheduledProcedureStepStartDate
                    ? matchesCombined(item, keys) : matchesKey(item, keys, tag);
            if (!match) {
                return false;
            }
        }
        return true;
    }

    /**
     * The response identifier (PS3.4 K.6, C.2.2.1): every key of the identifier with the item's
     * value, zero-length where the item has none; a sequence key with an item returns the stored
     * items that match it, each reduced to the key item's attributes; an empty sequence key returns
     * the stored sequence whole. Specific Character Set is left to the caller.
     */
    DataSet response(DataSet item, DataSet keys) {
        DataSet out = item.deepCopy();
        for (int tag : out.tags()) {
            if (!keys.contains(tag) || tag == Tag.SpecificCharacterSet) {
                out.remove(tag);
            }
        }
        for (int tag : keys.tags()) {
            if (tag == Tag.SpecificCharacterSet || Tags.element(tag) == 0) {
                continue;
            }
            VR vr = matchingVR(keys, item, tag);
            Sequence stored = vr == VR.SQ ? item.getSequence(tag) : null;
            if (stored != null) {
                Sequence keySeq = keys.getSequence(tag);
                if (keySeq != null && !keySeq.isEmpty()) {
                    DataSet keyItem = keySeq.get(0);
                    Sequence answer = out.newSequence(tag, stored.size());
                    for (DataSet storedItem : stored) {
                        if (matches(storedItem, keyItem)) {
                            answer.add(response(storedItem, keyItem));
                        }
                    }
                }
            } else if (!out.contains(tag)) {
                out.setNull(tag, vr == VR.UN ? ElementDictionary.vrOf(tag) : vr);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- keys

    /** True if the key matches everything: absent, empty, "*", or a sequence without matching keys. */
    static boolean isUniversal(DataSet keys, int tag) {
        if (!keys.contains(tag)) {
            return true;
        }
        if (keys.vr(tag) == VR.SQ) {
            Sequence seq = keys.getSequence(tag);
            if (seq == null || seq.isEmpty()) {
                return true;
            }
            DataSet item = seq.get(0);
            for (int t : item.tags()) {
                if (!isUniversal(item, t)) {
                    return false;
                }
            }
            return true;
        }
        for (String v : keys.getStrings(tag)) {
            if (!v.equals("*")) {
                return false;
            }
        }
        return true;
    }

    /** Combined date-time matching applies when both SPS Start Date and Time are single non-universal keys. */
    private static boolean isCombined(DataSet keys) {
        return !isUniversal(keys, Tag.ScheduledProcedureStepStartDate)
                && !isUniversal(keys, Tag.ScheduledProcedureStepStartTime)
                && keys.getStrings(Tag.ScheduledProcedureStepStartDate).length == 1
                && keys.getStrings(Tag.ScheduledProcedureStepStartTime).length == 1;
    }

    /** The VR a key is matched as: the key's own, else the stored one, else the dictionary's. */
    private static VR matchingVR(DataSet keys, DataSet item, int tag) {
        VR vr = keys.vr(tag);
        if (vr == null || vr == VR.UN) {
            VR stored = item.vr(tag);
            vr = stored != null && stored != VR.UN ? stored : ElementDictionary.vrOf(tag);
        }
        return vr;
    }

    private boolean matchesKey(DataSet item, DataSet keys, int tag) {
        if (isUniversal(keys, tag)) {
            return true;
        }
        VR vr = matchingVR(keys, item, tag);
        if (vr == VR.SQ) {
            Sequence stored = item.getSequence(tag);
            if (stored == null) {
                return false;
            }
            DataSet keyItem = keys.getSequence(tag).get(0);
            for (DataSet storedItem : stored) {
                if (matches(storedItem, keyItem)) {
                    return true;
                }
            }
            return false;
        }
        String[] stored = item.getStrings(tag);
        for (String key : keys.getStrings(tag)) {
            for (String value : stored) {
                if (matchesValue(vr, key, value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matchesValue(VR vr, String key, String value) {
        try {
            return switch (vr) {
                case UI -> key.strip().equals(value.strip());
                case DA -> WorklistMatcher.<LocalDate>rangeOf(vr, key).contains(parseDate(value));
                case TM -> WorklistMatcher.<LocalTime>rangeOf(vr, key).contains(parseTime(value));
                case DT -> WorklistMatcher.<LocalDateTime>rangeOf(vr, key).contains(parseDateTime(value));
                case PN -> matchesPersonName(key, value);
                case AE, CS, LO, LT, SH, ST, UC, UR, UT -> hasWildcard(key) ? glob(key, value) : key.equals(value);
                case IS, DS, US, SS, UL, SL, UV, SV, FL, FD -> numericEquals(key, value);
                default -> key.equals(value);
            };
        } catch (DateTimeException | IllegalArgumentException e) {
            return false; // a stored value that is no date or time matches no range
        }
    }

    private boolean matchesCombined(DataSet item, DataSet keys) {
        Range<LocalDate> dates = rangeOf(VR.DA, keys.getString(Tag.ScheduledProcedureStepStartDate));
        Range<LocalTime> times = rangeOf(VR.TM, keys.getString(Tag.ScheduledProcedureStepStartTime));
        LocalDateTime start = dates.start() == null ? null
                : dates.start().atTime(times.start() == null ? LocalTime.MIN : times.start());
        LocalDateTime end = dates.end() == null ? null
                : dates.end().atTime(times.end() == null ? LocalTime.MAX : times.end());
        Range<LocalDateTime> range = new Range<>(start, end);
        try {
            String date = item.getString(Tag.ScheduledProcedureStepStartDate);
            String time = item.getString(Tag.ScheduledProcedureStepStartTime);
            if (date == null || time == null) {
                return false;
            }
            return range.contains(parseDate(date).atTime(parseTime(time)));
        } catch (DateTimeException | IllegalArgumentException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- person names

    boolean matchesPersonName(String key, String value) {
        String[] keyGroups = groups(key);
        String[] valueGroups = groups(value);
        if (key.indexOf('=') < 0) {
            for (String group : valueGroups) {
                if (!group.isEmpty() && matchesGroup(keyGroups[0], group)) {
                    return true;
                }
            }
            return false;
        }
        for (int g = 0; g < 3; g++) {
            if (!keyGroups[g].isEmpty() && !keyGroups[g].equals("*") && !matchesGroup(keyGroups[g], valueGroups[g])) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesGroup(String key, String value) {
        String k = caseInsensitiveNames ? key.toUpperCase(Locale.ROOT) : key;
        String v = caseInsensitiveNames ? value.toUpperCase(Locale.ROOT) : value;
        return hasWildcard(k) ? glob(k, v) : k.equals(v);
    }

    /** The three component groups of a PN value, without trailing empty components (PS3.5 6.2.1). */
    static String[] groups(String value) {
        String[] g = {"", "", ""};
        String[] parts = value.split("=", -1);
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            String s = parts[i].strip();
            int end = s.length();
            while (end > 0 && s.charAt(end - 1) == '^') {
                end--;
            }
            g[i] = s.substring(0, end);
        }
        return g;
    }

    // ---------------------------------------------------------------- values

    static boolean hasWildcard(String key) {
        return key.indexOf('*') >= 0 || key.indexOf('?') >= 0;
    }

    /** Wild card matching (C.2.2.2.4): "*" any run of characters, "?" one character (code point). */
    static boolean glob(String pattern, String text) {
        int[] p = pattern.codePoints().toArray();
        int[] t = text.codePoints().toArray();
        int pi = 0;
        int ti = 0;
        int star = -1;
        int resume = 0;
        while (ti < t.length) {
            if (pi < p.length && p[pi] == '*') {
                star = pi++;
                resume = ti;
            } else if (pi < p.length && (p[pi] == '?' || p[pi] == t[ti])) {
                pi++;
                ti++;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++resume;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    private static boolean numericEquals(String key, String value) {
        try {
            return new BigDecimal(key.strip()).compareTo(new BigDecimal(value.strip())) == 0;
        } catch (NumberFormatException e) {
            return key.strip().equals(value.strip());
        }
    }

    /** A DA, TM or DT key as a range; a single value spans its precision. @throws DateTimeException if invalid */
    static Range<?> range(VR vr, String key) {
        DataSet ds = new DataSet(1);
        switch (vr) {
            case DA -> {
                ds.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, key);
                return ds.getDateRange(Tag.ScheduledProcedureStepStartDate);
            }
            case TM -> {
                ds.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, key);
                return ds.getTimeRange(Tag.ScheduledProcedureStepStartTime);
            }
            case DT -> {
                ds.setString(Tag.ScheduledProcedureStepStartDateTime, VR.DT, key);
                return ds.getDateTimeRange(Tag.ScheduledProcedureStepStartDateTime);
            }
            default -> throw new IllegalArgumentException("no range for " + vr);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Comparable<? super T>> Range<T> rangeOf(VR vr, String key) {
        return (Range<T>) range(vr, key);
    }

    static LocalDate parseDate(String value) {
        DataSet ds = new DataSet(1);
        ds.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, value);
        return ds.getDate(Tag.ScheduledProcedureStepStartDate);
    }

    static LocalTime parseTime(String value) {
        DataSet ds = new DataSet(1);
        ds.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, value);
        return ds.getTime(Tag.ScheduledProcedureStepStartTime);
    }

    private static LocalDateTime parseDateTime(String value) {
        DataSet ds = new DataSet(1);
        ds.setString(Tag.ScheduledProcedureStepStartDateTime, VR.DT, value);
        return ds.getDateTime(Tag.ScheduledProcedureStepStartDateTime);
    }

    /** The keyword of an attribute, or its tag if it has none. */
    static String keyword(int tag) {
        DictionaryEntry e = ElementDictionary.lookup(tag);
        return e == null ? Tags.toString(tag) : e.keyword();
    }

    /** Keyword and tag, for messages. */
    static String name(int tag) {
        DictionaryEntry e = ElementDictionary.lookup(tag);
        return (e == null ? "" : e.keyword() + " ") + Tags.toString(tag);
    }
}
