package org.mosaicpacs.dicom.internal;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

import org.mosaicpacs.dicom.Range;

/**
 * Parsing and formatting of DA, TM and DT values (PS3.5 Table 6.2-1), tolerant of the ACR-NEMA
 * forms "YYYY.MM.DD" and "HH:MM:SS" (PS3.5 6.2 Note). Partial values are completed to the first
 * instant they denote, or to the last one with {@code ceil} (for the upper bound of a range).
 */
public final class DateTimes {

    private DateTimes() {
    }

    public static LocalDate parseDate(String s) {
        String v = s.strip();
        if (v.length() == 10 && v.charAt(4) == '.' && v.charAt(7) == '.') {
            v = v.substring(0, 4) + v.substring(5, 7) + v.substring(8);
        }
        if (v.length() != 8) {
            throw new DateTimeException("not a DA value (YYYYMMDD): \"" + s + "\"");
        }
        return LocalDate.of(digits(v, 0, 4, s), digits(v, 4, 2, s), digits(v, 6, 2, s));
    }

    public static LocalTime parseTime(String s, boolean ceil) {
        String v = s.strip().replace(":", "");
        int len = v.indexOf('.') >= 0 ? v.indexOf('.') : v.length();
        if (len < 2 || len > 6 || len % 2 != 0) {
            throw new DateTimeException("not a TM value (HH[MM[SS[.F]]]): \"" + s + "\"");
        }
        int hour = digits(v, 0, 2, s);
        int minute = len >= 4 ? digits(v, 2, 2, s) : ceil ? 59 : 0;
        int second = len >= 6 ? digits(v, 4, 2, s) : ceil ? 59 : 0;
        if (second == 60) {
            second = 59; // leap second, PS3.5 allows 60
        }
        int nanos = ceil ? 999_999_000 : 0;
        if (len < v.length()) {
            String frac = v.substring(len + 1);
            if (frac.length() > 6 || !frac.chars().allMatch(Character::isDigit)) {
                throw new DateTimeException("not a TM fraction: \"" + s + "\"");
            }
            if (!frac.isEmpty()) {
                String padded = (frac + (ceil ? "999999" : "000000")).substring(0, 6);
                nanos = Integer.parseInt(padded) * 1000;
            }
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    /** Parses a DT value, ignoring a UTC offset suffix (see {@link #dateTimeOffset}). */
    public static LocalDateTime parseDateTime(String s, boolean ceil) {
        String v = stripOffset(s.strip());
        int dot = v.indexOf('.');
        int len = dot >= 0 ? dot : v.length();
        if (len < 4 || len > 14 || len % 2 != 0 || dot >= 0 && len != 14) {
            throw new DateTimeException("not a DT value (YYYY[MM[DD[HH[MM[SS[.F]]]]]]): \"" + s + "\"");
        }
        int year = digits(v, 0, 4, s);
        int month = len >= 6 ? digits(v, 4, 2, s) : ceil ? 12 : 1;
        LocalDate date = LocalDate.of(year, month, 1);
        int day = len >= 8 ? digits(v, 6, 2, s) : ceil ? date.lengthOfMonth() : 1;
        date = date.withDayOfMonth(day);
        LocalTime time = len > 8 ? parseTime(v.substring(8), ceil) : ceil ? LocalTime.MAX.withNano(999_999_000)
                : LocalTime.MIDNIGHT;
        return LocalDateTime.of(date, time);
    }

    /** The UTC offset suffix "&amp;ZZXX" of a DT value, or null. */
    public static ZoneOffset dateTimeOffset(String s) {
        String v = s.strip();
        int i = Math.max(v.lastIndexOf('+'), v.lastIndexOf('-'));
        if (i < 4 || v.length() - i != 5) {
            return null;
        }
        return parseOffset(v.substring(i));
    }

    /** Parses "+HHMM" / "-HHMM" (Timezone Offset From UTC, DT suffix). */
    public static ZoneOffset parseOffset(String s) {
        String v = s.strip();
        if (v.length() != 5 || v.charAt(0) != '+' && v.charAt(0) != '-') {
            throw new DateTimeException("not a UTC offset (&ZZXX): \"" + s + "\"");
        }
        int sign = v.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * digits(v, 1, 2, s), sign * digits(v, 3, 2, s));
    }

    private static String stripOffset(String v) {
        int i = Math.max(v.lastIndexOf('+'), v.lastIndexOf('-'));
        return i >= 4 ? v.substring(0, i) : v;
    }

    private static int digits(String v, int off, int len, String original) {
        if (off + len > v.length()) {
            throw new DateTimeException("value too short: \"" + original + "\"");
        }
        int n = 0;
        for (int i = off; i < off + len; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeException("not a digit at " + i + " in \"" + original + "\"");
            }
            n = n * 10 + c - '0';
        }
        return n;
    }

    public static String formatDate(LocalDate d) {
        return String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
    }

    public static String formatTime(LocalTime t) {
        String s = String.format("%02d%02d%02d", t.getHour(), t.getMinute(), t.getSecond());
        int micros = t.getNano() / 1000;
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }

    public static String formatDateTime(LocalDateTime dt) {
        return formatDate(dt.toLocalDate()) + formatTime(dt.toLocalTime());
    }

    /** Parses a range "a-b", "a-", "-b" or a single value "a" (PS3.4 C.2.2.2.5). */
    public static <T extends Comparable<? super T>> Range<T> parseRange(String s, RangeParser<T> parser) {
        String v = s.strip();
        int dash = rangeDash(v);
        if (dash < 0) {
            return new Range<>(parser.parse(v, false), parser.parse(v, true));
        }
        String lo = v.substring(0, dash).strip();
        String hi = v.substring(dash + 1).strip();
        return new Range<>(lo.isEmpty() ? null : parser.parse(lo, false), hi.isEmpty() ? null : parser.parse(hi, true));
    }

    /** The range dash, telling it from the "-ZZXX" UTC offset a DT bound may end with. */
    private static int rangeDash(String v) {
        int first = v.indexOf('-');
        int last = v.lastIndexOf('-');
        int count = (int) v.chars().filter(c -> c == '-').count();
        if (count <= 1) {
            return first;
        }
        int second = v.indexOf('-', first + 1);
        if (count == 2) {
            String tail = v.substring(last + 1);
            boolean tailIsOffset = tail.length() == 4 && tail.chars().allMatch(Character::isDigit);
            return first == 0 || tailIsOffset && last == second ? first : second;
        }
        return second;
    }

    /** Parses one bound of a range. */
    @FunctionalInterface
    public interface RangeParser<T> {
        T parse(String value, boolean ceil);
    }
}
