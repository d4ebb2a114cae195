package org.mosaicpacs.dicom;

/**
 * A value longer than the reader may hold in memory ({@code ReadOptions.maxValueLength}) or than
 * the rest of the input: a bogus length such as 0xFFFFFFF0 is reported, never allocated.
 */
public class DicomLimitException extends DicomParseException {

    private static final long serialVersionUID = 1L;

    private final long length;

    public DicomLimitException(String message, int tag, long offset, long length) {
        super(message, tag, offset);
        this.length = length;
    }

    /** The value length that exceeded the limit. */
    public long length() {
        return length;
    }
}
