package org.mosaicpacs.dicom.io;

/** What a {@link DicomReader} does with bulk data values (see {@link ReadOptions}). */
public enum BulkDataMode {
    /**
     * Keep a {@link org.mosaicpacs.dicom.BulkData} reference (source URI, offset, length) and
     * skip the bytes. Needs a source URI (set when reading a file) and a stream that is not
     * deflated; otherwise the value is loaded.
     */
    REFERENCE,
    /** Load the value into memory (within {@link ReadOptions#maxValueLength()}). */
    LOAD,
    /** Hand the value to the {@link ReadOptions#bulkDataHandler()}. */
    HANDLER
}
