package org.mosaicpacs.index.jdbc.internal;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.PersonName;
import org.mosaicpacs.dicom.Range;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * Matching of C-FIND keys against an entity's attributes, PS3.4 C.2.2.2, in Java: the judge of
 * every key the database cannot decide exactly, and the reference the SQL translation is tested
 * against.
 *
 * <ul>
 * <li>Universal matching (C.2.2.2.3): an empty key, or "*", matches everything, empty values too.</li>
 * <li>Single value matching (C.2.2.2.1): exact and case-sensitive, except PN (see below); numbers
 *     compare by value.</li>
 * <li>List of UID matching (C.2.2.2.2); multiple values of any other key match if one of them matches.</li>
 * <li>Wild card matching (C.2.2.2.4) with "*" and "?" for AE, CS, LO, LT, PN, SH, ST, UC, UR, UT.</li>
 * <li>Range matching (C.2.2.2.5) of DA, TM and DT: "a-b", "a-", "-b"; a single value matches its
 *     whole precision ("2020" as DT is the year). Combined date-time matching of a date key and
 *     its time key (StudyDate and StudyTime...) when {@link MatchOptions#combinedDateTime()}.</li>
 * <li>Sequence matching (C.2.2.2.6): some item must match every key of the key's single item.</li>
 * <li>PN: a key without "=" matches any component group (so "홍*" and "洪*" find
 *     "Hong^Gildong=洪^吉洞=홍^길동"); a key with groups matches each non-empty group against the
 *     same group. Case and width are ignored when configured; fuzzy matching adds a sound-alike
 *     match of the alphabetic components (see {@link PersonNames}).</li>
 * </ul>
 * An entity that lacks the attribute, or has it empty, matches only universal keys. Values that
 * cannot be parsed (a stored date "2020-13") match nothing but universal keys.
 */
final class KeyMatcher {

    private static final ConcurrentHashMap<Integer, Integer> TIME_OF_DATE = new ConcurrentHashMap<>();

    private final MatchOptions options;

    KeyMatcher(MatchOptions options) {
        this.options = options;
    }

    MatchOptions options() {
        return options;
    }

    /** True if {@code attrs} matches every key among {@code tags} of {@code keys}. */
    boolean matches(DataSet attrs, DataSet keys, int[] tags) {
        for (int tag : tags) {
            if (options.combinedDateTime()) {
                int timeTag = timeTagOf(tag);
                if (timeTag != 0 && isCombined(keys, tag, timeTag)) {
                    if (!matchesCombined(attrs, keys, tag, timeTag)) {
                        return false;
                    }
                    continue;
                }
                int dateTag = dateTagOf(tag);
                if (dateTag != 0 && isCombined(keys, dateTag, tag)) {
                    continue; // matched with its date
                }
            }
            if (!matchesKey(attrs, keys, tag)) {
                return false;
            }
        }
        return true;
    }

    /** True if every key of the data set matches. */
    boolean matchesAll(DataSet attrs, DataSet keys) {
        return matches(attrs, keys, keys.tags());
    }

    /** True if a date key and its time key are both single non-universal values: combined matching applies. */
    static boolean isCombined(DataSet keys, int dateTag, int timeTag) {
        return !isUniversal(keys, dateTag) && !isUniversal(keys, timeTag)
                && keys.getStrings(dateTag).length == 1 && keys.getStrings(timeTag).length == 1;
    }

    /** The TM attribute that goes with a DA attribute (StudyTime for StudyDate), or 0. */
    static int timeTagOf(int dateTag) {
        return TIME_OF_DATE.computeIfAbsent(dateTag, KeyMatcher::findTimeTag);
    }

    private static int dateTagOf(int timeTag) {
        DictionaryEntry entry = ElementDictionary.lookup(timeTag);
        if (entry == null || entry.vr() != VR.TM || !entry.keyword().endsWith("Time")) {
            return 0;
        }
        DictionaryEntry date = ElementDictionary.lookup(entry.keyword().substring(0, entry.keyword().length() - 4) + "Date");
        return date != null && date.vr() == VR.DA && timeTagOf(date.tag()) == timeTag ? date.tag() : 0;
    }

    private static int findTimeTag(int dateTag) {
        DictionaryEntry entry = ElementDictionary.lookup(dateTag);
        if (entry == null || entry.vr() != VR.DA || !entry.keyword().endsWith("Date")) {
            return 0;
        }
        DictionaryEntry time = ElementDictionary.lookup(entry.keyword().substring(0, entry.keyword().length() - 4) + "Time");
        return time != null && time.vr() == VR.TM ? time.tag() : 0;
    }

    /** True if the key matches everything: absent, empty, "*", or a sequence without matching keys. */
    static boolean isUniversal(DataSet keys, int tag) {
        if (!keys.contains(tag)) {
            return true;
        }
        if (keys.vr(tag) == VR.SQ) {
            Sequence seq = keys.getSequence(tag);
            return seq == null || seq.isEmpty() || !hasMatchingKeys(seq.get(0));
        }
        String[] values = keys.getStrings(tag);
        if (values.length == 0) {
            return true;
        }
        for (String v : values) {
            if (!v.equals("*")) {
                return false;
            }
        }
        return true;
    }

    /** True if an item of a sequence key holds at least one non-universal key. */
    static boolean hasMatchingKeys(DataSet item) {
        for (int tag : item.tags()) {
            if (!isUniversal(item, tag)) {
                return true;
            }
        }
        return false;
    }

    /** The VR a key is matched as: the key's own, else the stored one, else the dictionary's. */
    static VR matchingVR(DataSet keys, DataSet attrs, int tag) {
        VR vr = keys.vr(tag);
        if (vr == null || vr == VR.UN) {
            VR stored = attrs == null ? null : attrs.vr(tag);
            vr = stored != null && stored != VR.UN ? stored : ElementDictionary.vrOf(tag);
        }
        return vr;
    }

    boolean matchesKey(DataSet attrs, DataSet keys, int tag) {
        if (isUniversal(keys, tag)) {
            return true;
        }
        VR vr = matchingVR(keys, attrs, tag);
        if (vr == VR.SQ) {
            DataSet keyItem = keys.getSequence(tag).get(0);
            Sequence stored = attrs.getSequence(tag);
            if (stored == null) {
                return false;
            }
            for (DataSet item : stored) {
                if (matchesAll(item, keyItem)) {
                    return true;
                }
            }
            return false;
        }
        String[] stored = attrs.getStrings(tag);
        if (stored.length == 0) {
            return false;
        }
        String[] wanted = keys.getStrings(tag);
        for (String key : wanted) {
            for (String value : stored) {
                if (matchesValue(vr, key, value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matchesValue(VR vr, String key, String value) {
        return switch (vr) {
            case UI -> key.strip().equals(value.strip());
            case DA -> inRange(dateRange(key), parseDate(value));
            case TM -> inRange(timeRange(key), parseTime(value));
            case DT -> inRange(dateTimeRange(key), parseDateTime(value));
            case PN -> matchesPersonName(key, value);
            case AE, CS, LO, LT, SH, ST, UC, UR, UT -> hasWildcard(key) ? glob(key, value) : key.equals(value);
            case IS, DS, US, SS, UL, SL, UV, SV, FL, FD -> numericEquals(key, value);
            default -> key.equals(value);
        };
    }

    // ---------------------------------------------------------------- person names

    boolean matchesPersonName(String key, String value) {
        if (matchesPersonNameLiterally(key, value)) {
            return true;
        }
        return options.fuzzyPersonNames() && soundsAlike(key, value);
    }

    private boolean matchesPersonNameLiterally(String key, String value) {
        String[] keyGroups = PersonNames.groups(key);
        String[] valueGroups = PersonNames.groups(value);
        if (key.indexOf('=') < 0) {
            // no groups in the key: any group of the value may match it
            for (String group : valueGroups) {
                if (!group.isEmpty() && matchesGroup(keyGroups[0], group)) {
                    return true;
                }
            }
            return keyGroups[0].isEmpty();
        }
        for (int g = 0; g < keyGroups.length; g++) {
            if (!keyGroups[g].isEmpty() && !keyGroups[g].equals("*") && !matchesGroup(keyGroups[g], valueGroups[g])) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesGroup(String key, String value) {
        String k = options.caseInsensitivePersonNames() ? PersonNames.normalize(key) : key;
        String v = options.caseInsensitivePersonNames() ? PersonNames.normalize(value) : value;
        return hasWildcard(k) ? glob(k, v) : k.equals(v);
    }

    /**
     * Fuzzy matching: the key's alphabetic family name and every other alphabetic component the
     * key gives sound like the value's (Double Metaphone codes shared; a component ending in "*"
     * sounds like the start of the value's).
     */
    private boolean soundsAlike(String key, String value) {
        PersonName k = PersonName.parse(key);
        PersonName v = PersonName.parse(value);
        if (k.familyName().isEmpty()) {
            return false;
        }
        for (PersonName.Component c : PersonName.Component.values()) {
            String kc = k.get(PersonName.Group.ALPHABETIC, c);
            if (!kc.isEmpty() && !componentSoundsAlike(kc, v.get(PersonName.Group.ALPHABETIC, c))) {
                return false;
            }
        }
        return true;
    }

    private boolean componentSoundsAlike(String key, String value) {
        if (key.equals("*") || glob(PersonNames.normalize(key), PersonNames.normalize(value))) {
            return true;
        }
        Set<String> keyCodes = PersonNames.phoneticCodes(key.replace("*", "").replace("?", ""));
        Set<String> valueCodes = PersonNames.phoneticCodes(value);
        boolean prefix = key.endsWith("*");
        for (String kc : keyCodes) {
            for (String vc : valueCodes) {
                if (prefix ? vc.startsWith(kc) : vc.equals(kc)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- wild cards and numbers

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
        int mark = 0;
        while (ti < t.length) {
            if (pi < p.length && (p[pi] == '?' || p[pi] == t[ti])) {
                pi++;
                ti++;
            } else if (pi < p.length && p[pi] == '*') {
                star = pi++;
                mark = ti;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++mark;
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

    // ---------------------------------------------------------------- dates and times

    private boolean matchesCombined(DataSet attrs, DataSet keys, int dateTag, int timeTag) {
        Range<LocalDateTime> range = combinedRange(keys.getString(dateTag), keys.getString(timeTag));
        LocalDate date = parseDate(attrs.getString(dateTag));
        if (date == null) {
            return false;
        }
        LocalTime time = parseTime(attrs.getString(timeTag));
        if (time == null) {
            // no time recorded: the whole day is a candidate
            return (range.end() == null || !date.atStartOfDay().isAfter(range.end()))
                    && (range.start() == null || !date.atTime(LocalTime.MAX).isBefore(range.start()));
        }
        return range.contains(date.atTime(time));
    }

    /**
     * The date-time range of a date key and a time key matched together (C.2.2.2.5): the
     * earliest and latest instants "20200105-20200107" and "1000-1800" denote, 5 January 10:00 to
     * 7 January 18:00. A missing time bound is the start or end of the day.
     *
     * @throws DateTimeException if a key is not a date or time (range)
     */
    static Range<LocalDateTime> combinedRange(String dateKey, String timeKey) {
        Range<LocalDate> dates = dateRange(dateKey);
        Range<LocalTime> times = timeRange(timeKey);
        LocalDateTime start = dates.start() == null ? null
                : dates.start().atTime(times.start() == null ? LocalTime.MIN : times.start());
        LocalDateTime end = dates.end() == null ? null
                : dates.end().atTime(times.end() == null ? LocalTime.MAX.withNano(999_999_000) : times.end());
        return new Range<>(start, end);
    }

    private static <T extends Comparable<? super T>> boolean inRange(Range<T> range, T value) {
        return value != null && range.contains(value);
    }

    /** A DA key as a range; a single date is a one-day range. @throws DateTimeException if invalid */
    static Range<LocalDate> dateRange(String key) {
        DataSet ds = new DataSet(1);
        ds.setString(Tag.StudyDate, VR.DA, key);
        return ds.getDateRange(Tag.StudyDate);
    }

    /** A TM key as a range; a single time spans its precision. @throws DateTimeException if invalid */
    static Range<LocalTime> timeRange(String key) {
        DataSet ds = new DataSet(1);
        ds.setString(Tag.StudyTime, VR.TM, key);
        return ds.getTimeRange(Tag.StudyTime);
    }

    /** A DT key as a range (UTC offsets ignored). @throws DateTimeException if invalid */
    static Range<LocalDateTime> dateTimeRange(String key) {
        DataSet ds = new DataSet(1);
        ds.setString(Tag.AcquisitionDateTime, VR.DT, key);
        return ds.getDateTimeRange(Tag.AcquisitionDateTime);
    }

    /** A stored DA value, or null if absent or invalid. */
    static LocalDate parseDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            DataSet ds = new DataSet(1);
            ds.setString(Tag.StudyDate, VR.DA, value);
            return ds.getDate(Tag.StudyDate);
        } catch (DateTimeException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A stored TM value, or null if absent or invalid. */
    static LocalTime parseTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            DataSet ds = new DataSet(1);
            ds.setString(Tag.StudyTime, VR.TM, value);
            return ds.getTime(Tag.StudyTime);
        } catch (DateTimeException | IllegalArgumentException e) {
            return null;
        }
    }

    private static LocalDateTime parseDateTime(String value) {
        try {
            DataSet ds = new DataSet(1);
            ds.setString(Tag.AcquisitionDateTime, VR.DT, value);
            return ds.getDateTime(Tag.AcquisitionDateTime);
        } catch (DateTimeException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Checks that every range key of an identifier can be parsed, so a malformed query fails as
     * a whole instead of matching nothing.
     *
     * @throws IllegalArgumentException naming the attribute and value
     */
    static void validate(DataSet keys) {
        for (int tag : keys.tags()) {
            if (isUniversal(keys, tag)) {
                continue;
            }
            VR vr = matchingVR(keys, null, tag);
            if (vr == VR.SQ) {
                validate(keys.getSequence(tag).get(0));
                continue;
            }
            for (String key : keys.getStrings(tag)) {
                try {
                    switch (vr) {
                        case DA -> dateRange(key);
                        case TM -> timeRange(key);
                        case DT -> dateTimeRange(key);
                        default -> {
                        }
                    }
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("invalid " + vr + " matching key "
                            + ElementDictionary.keywordOf(tag) + " \"" + key + "\": " + e.getMessage(), e);
                }
            }
        }
    }
}
