package org.mosaicpacs.dicom.io;

import java.net.URI;
import java.util.Objects;

/**
 * How a {@link DicomReader} treats bulk data and how much it may allocate. Immutable; start from
 * {@link #defaults()} and change with the {@code with...} methods.
 *
 * <p>Bulk data are: Pixel Data, Float Pixel Data and Double Float Pixel Data of the top-level data
 * set (any length; each fragment of encapsulated Pixel Data), and OB, OD, OF, OL, OV, OW and UN
 * values longer than {@link #bulkDataThreshold()} anywhere.
 *
 * @param bulkDataMode what to do with bulk data
 * @param bulkDataThreshold the length above which other binary values are bulk data
 * @param bulkDataHandler receives bulk data in {@link BulkDataMode#HANDLER} mode
 * @param maxValueLength the longest value loaded into memory; longer ones fail with
 *        {@link org.mosaicpacs.dicom.DicomLimitException} (bulk data should be referenced instead)
 * @param sourceUri the URI of the bytes being read, for bulk data references when reading a
 *        stream; offsets count from the stream start. Set automatically when reading a file.
 */
public record ReadOptions(BulkDataMode bulkDataMode, long bulkDataThreshold, BulkDataHandler bulkDataHandler,
                          long maxValueLength, URI sourceUri) {

    private static final ReadOptions DEFAULTS = new ReadOptions(BulkDataMode.REFERENCE, 64 * 1024, null,
            256L * 1024 * 1024, null);

    public ReadOptions {
        Objects.requireNonNull(bulkDataMode, "bulkDataMode");
        if (bulkDataMode == BulkDataMode.HANDLER && bulkDataHandler == null) {
            throw new IllegalArgumentException("HANDLER mode needs a bulkDataHandler");
        }
        if (maxValueLength < 0 || maxValueLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxValueLength must be 0.." + (Integer.MAX_VALUE - 8));
        }
    }

    /** Bulk data by reference (loaded where no reference is possible), threshold 64 KiB, values up to 256 MiB. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** Everything loaded into memory (small files, tests). */
    public static ReadOptions loadAll() {
        return DEFAULTS.withBulkDataMode(BulkDataMode.LOAD);
    }

    public ReadOptions withBulkDataMode(BulkDataMode mode) {
        return new ReadOptions(mode, bulkDataThreshold, bulkDataHandler, maxValueLength, sourceUri);
    }

    public ReadOptions withBulkDataThreshold(long threshold) {
        return new ReadOptions(bulkDataMode, threshold, bulkDataHandler, maxValueLength, sourceUri);
    }

    /** Hands bulk data to the handler ({@link BulkDataMode#HANDLER}). */
    public ReadOptions withBulkDataHandler(BulkDataHandler handler) {
        return new ReadOptions(BulkDataMode.HANDLER, bulkDataThreshold, handler, maxValueLength, sourceUri);
    }

    public ReadOptions withMaxValueLength(long max) {
        return new ReadOptions(bulkDataMode, bulkDataThreshold, bulkDataHandler, max, sourceUri);
    }

    public ReadOptions withSourceUri(URI uri) {
        return new ReadOptions(bulkDataMode, bulkDataThreshold, bulkDataHandler, maxValueLength, uri);
    }
}
