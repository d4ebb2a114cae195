package org.mosaicpacs.dicom;

import java.io.IOException;

/**
 * Input that is not valid DICOM, or that cannot be read within the configured limits: says what
 * is wrong, at which tag (if known) and at which byte offset of the stream.
 */
public class DicomParseException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int tag;
    private final long offset;

    /**
     * @param message what is wrong
     * @param tag the tag of the element being read, or -1 if none
     * @param offset the byte offset in the stream (inflated offset for deflated data sets), or -1
     */
    public DicomParseException(String message, int tag, long offset) {
        this(message, tag, offset, null);
    }

    public DicomParseException(String message, int tag, long offset, Throwable cause) {
        super(describe(message, tag, offset), cause);
        this.tag = tag;
        this.offset = offset;
    }

    private static String describe(String message, int tag, long offset) {
        StringBuilder b = new StringBuilder(message);
        if (tag != -1) {
            b.append(" (element ").append(Tags.toString(tag));
            String keyword = ElementDictionary.keywordOf(tag);
            if (!keyword.isEmpty()) {
                b.append(' ').append(keyword);
            }
            b.append(')');
        }
        if (offset >= 0) {
            b.append(" at byte offset ").append(offset);
        }
        return b.toString();
    }

    /** The tag of the element being read, or -1. */
    public int tag() {
        return tag;
    }

    /** The byte offset in the stream where the problem was found, or -1. */
    public long offset() {
        return offset;
    }
}
