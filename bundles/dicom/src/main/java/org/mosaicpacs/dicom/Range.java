package org.mosaicpacs.dicom;

/**
 * A range of dates, times or date-times as a DICOM range query writes it (PS3.4 C.2.2.2.5):
 * "20200101-20201231", an open range "20200101-" or "-20201231", or a single value that matches
 * its whole precision ("2020" as a DT is the whole year). Bounds are inclusive; a null bound is
 * open. The upper bound of a partial value is its last instant ("1200" as TM ends at 12:00:59.999999).
 *
 * @param <T> LocalDate, LocalTime or LocalDateTime
 * @param start the lower bound, or null
 * @param end the upper bound, or null
 */
public record Range<T extends Comparable<? super T>>(T start, T end) {

    /** True if the value lies in the range. */
    public boolean contains(T value) {
        return (start == null || start.compareTo(value) <= 0) && (end == null || end.compareTo(value) >= 0);
    }

    /** True if there is no lower bound. */
    public boolean isOpenStart() {
        return start == null;
    }

    /** True if there is no upper bound. */
    public boolean isOpenEnd() {
        return end == null;
    }
}
