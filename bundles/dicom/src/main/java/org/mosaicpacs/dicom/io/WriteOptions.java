package org.mosaicpacs.dicom.io;

import java.util.Objects;
import java.util.zip.Deflater;

/**
 * How a {@link DicomWriter} encodes. Immutable; start from {@link #defaults()}.
 *
 * @param undefinedLengths write sequences and items with undefined length and delimiters (the
 *        default, fully streaming) rather than computing their lengths first
 * @param groupLengths write a Group Length (gggg,0000) for every group (only File Meta
 *        Information and DIMSE command sets need them; PS3.5 7.2 retired the others)
 * @param bulkDataResolver opens the sources of {@link org.mosaicpacs.dicom.BulkData} values
 * @param deflateLevel the {@link Deflater} level for Deflated Explicit VR Little Endian
 */
public record WriteOptions(boolean undefinedLengths, boolean groupLengths, BulkDataResolver bulkDataResolver,
                           int deflateLevel) {

    private static final WriteOptions DEFAULTS = new WriteOptions(true, false, BulkDataResolver.files(),
            Deflater.DEFAULT_COMPRESSION);

    public WriteOptions {
        Objects.requireNonNull(bulkDataResolver, "bulkDataResolver");
    }

    /** Undefined lengths, no group lengths (except in File Meta Information), file bulk data. */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    public WriteOptions withUndefinedLengths(boolean undefined) {
        return new WriteOptions(undefined, groupLengths, bulkDataResolver, deflateLevel);
    }

    public WriteOptions withGroupLengths(boolean groupLengths) {
        return new WriteOptions(undefinedLengths, groupLengths, bulkDataResolver, deflateLevel);
    }

    public WriteOptions withBulkDataResolver(BulkDataResolver resolver) {
        return new WriteOptions(undefinedLengths, groupLengths, resolver, deflateLevel);
    }

    public WriteOptions withDeflateLevel(int level) {
        return new WriteOptions(undefinedLengths, groupLengths, bulkDataResolver, level);
    }
}
