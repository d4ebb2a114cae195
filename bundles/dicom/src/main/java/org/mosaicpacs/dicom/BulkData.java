package org.mosaicpacs.dicom;

import java.net.URI;
import java.util.Objects;

/**
 * A value kept where it is instead of in memory: {@code length} bytes at {@code offset} of the
 * resource {@code uri} (typically the file a data set was read from). Pixel Data and other large
 * values are read this way so that reading a header costs O(header) memory, and are copied from
 * their source when a data set is written ({@link org.mosaicpacs.dicom.io.BulkDataResolver}).
 *
 * @param uri where the bytes are, e.g. {@code file:///archive/1.dcm}
 * @param offset the byte offset of the value in the resource
 * @param length the value length in bytes, or -1 if unknown (a BulkDataURI read from DICOM JSON
 *        or XML names no length: the caller resolves it before the value is written as DICOM)
 * @param bigEndian true if the bytes are in big endian order (read from Explicit VR Big Endian):
 *        writing them in a little endian syntax swaps OW, OF, OL, OD and OV words
 */
public record BulkData(URI uri, long offset, long length, boolean bigEndian) {

    public BulkData {
        Objects.requireNonNull(uri, "uri");
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
    }

    /** A reference to a whole resource of unknown length, e.g. a BulkDataURI of DICOM JSON (PS3.18 F.2.6). */
    public static BulkData of(URI uri) {
        return new BulkData(uri, 0, -1, false);
    }

    /** True if the length is known. */
    public boolean hasLength() {
        return length >= 0;
    }

    /**
     * The URI with the range as query parameters, {@code file:///a.dcm?offset=1234&length=5678},
     * the form DICOM JSON and XML use for a BulkDataURI of a part of a file; the bare URI for a
     * whole resource of unknown length.
     */
    public String toUriString() {
        String u = uri.toString();
        if (offset == 0 && length < 0 && !bigEndian) {
            return u;
        }
        return u + (u.indexOf('?') >= 0 ? '&' : '?') + "offset=" + offset + (length >= 0 ? "&length=" + length : "")
                + (bigEndian ? "&bigEndian=true" : "");
    }

    /**
     * Parses {@link #toUriString()}; a missing offset is 0, a missing length unknown (-1).
     *
     * @throws IllegalArgumentException if the text is no URI or its offset or length no number
     */
    public static BulkData fromUriString(String text) {
        URI full = URI.create(text);
        String query = full.getRawQuery();
        long offset = 0;
        long length = -1;
        boolean bigEndian = false;
        StringBuilder rest = new StringBuilder();
        if (query != null) {
            for (String param : query.split("&")) {
                if (param.startsWith("offset=")) {
                    offset = Long.parseLong(param.substring(7));
                } else if (param.startsWith("length=")) {
                    length = Long.parseLong(param.substring(7));
                } else if (param.startsWith("bigEndian=")) {
                    bigEndian = Boolean.parseBoolean(param.substring(10));
                } else {
                    rest.append(rest.length() == 0 ? "" : "&").append(param);
                }
            }
            int q = text.indexOf('?');
            text = text.substring(0, q) + (rest.length() == 0 ? "" : "?" + rest);
        }
        return new BulkData(URI.create(text), offset, length, bigEndian);
    }
}
