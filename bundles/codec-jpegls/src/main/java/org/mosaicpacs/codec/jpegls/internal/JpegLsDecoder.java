package org.mosaicpacs.codec.jpegls.internal;

import org.mosaicpacs.api.codec.CodecException;

/**
 * Reads a JPEG-LS interchange stream (ITU-T T.87 Annex C): SOI, an optional SPIFF header (APP8,
 * T.87 / T.84), the SOF55 frame header, LSE preset parameters, DRI, one or more scans, EOI.
 * Create one per frame: {@link #readHeader()}, check the frame, then {@link #decode(SampleSink)}.
 */
final class JpegLsDecoder {

    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    static final int DNL = 0xDC;
    static final int DRI = 0xDD;
    static final int SOF55 = 0xF7;
    static final int LSE = 0xF8;
    static final int COM = 0xFE;

    /** The SOF55 frame header (T.87 C.2.2), with LSE id 4 dimensions applied. */
    record FrameHeader(int precision, int rows, int columns, int[] componentIds) {

        int components() {
            return componentIds.length;
        }
    }

    private final byte[] data;
    private final int end;
    private final QuantizationTables tables;
    private int pos;
    private FrameHeader frame;
    // LSE id 1 preset parameters (0 = default), in force for the scans that follow.
    private int presetMaxVal;
    private int presetT1;
    private int presetT2;
    private int presetT3;
    private int presetReset;
    private int restartInterval;

    JpegLsDecoder(byte[] data, QuantizationTables tables) {
        this.data = data;
        this.end = data.length;
        this.tables = tables;
    }

    /** Reads the markers up to the first scan and returns the frame header. */
    FrameHeader readHeader() throws CodecException {
        if (end < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != SOI) {
            throw new CodecException("not a JPEG-LS stream: " + (end == 0 ? "no data"
                    : "no SOI marker at the start (first bytes " + hexPrefix() + ")"));
        }
        pos = 2;
        while (true) {
            int code = readMarker();
            if (code == SOS) {
                if (frame == null) {
                    throw new CodecException("JPEG-LS scan (SOS) before the frame header (SOF55)");
                }
                if (frame.rows() == 0 || frame.columns() == 0) {
                    throw new CodecException("JPEG-LS frame of " + frame.columns() + "x" + frame.rows()
                            + " samples: a height defined by DNL is not supported");
                }
                pos -= 2; // decode() reads the SOS marker again
                return frame;
            }
            if (code == EOI) {
                throw new CodecException("JPEG-LS stream ends (EOI) before any scan");
            }
            readSegment(code);
        }
    }

    /** Decodes every scan into {@code sink}, through EOI. */
    void decode(SampleSink sink) throws CodecException {
        boolean[] decoded = new boolean[frame.components()];
        while (true) {
            int code = readMarker();
            if (code == SOS) {
                decodeScan(sink, decoded);
            } else if (code == EOI) {
                for (int i = 0; i < decoded.length; i++) {
                    if (!decoded[i]) {
                        throw new CodecException("JPEG-LS stream ends without a scan for component "
                                + frame.componentIds()[i]);
                    }
                }
                return;
            } else {
                readSegment(code);
            }
        }
    }

    private void decodeScan(SampleSink sink, boolean[] decoded) throws CodecException {
        int length = segmentLength();
        int s = pos + 2;
        int ns = length > 2 ? data[s] & 0xFF : 0;
        if (ns < 1 || ns > 4 || length != 6 + 2 * ns) {
            throw new CodecException("JPEG-LS scan header with " + ns + " components and length " + length
                    + " is malformed");
        }
        int[] components = new int[ns];
        for (int i = 0; i < ns; i++) {
            int id = data[s + 1 + 2 * i] & 0xFF;
            int table = data[s + 2 + 2 * i] & 0xFF;
            int index = indexOf(frame.componentIds(), id);
            if (index < 0 || decoded[index]) {
                throw new CodecException("JPEG-LS scan names component " + id
                        + (index < 0 ? ", which the frame does not have" : " a second time"));
            }
            if (table != 0) {
                throw new CodecException("JPEG-LS mapping tables (palettised scans, T.87 C.2.4.1.2) are not supported");
            }
            components[i] = index;
            decoded[index] = true;
        }
        int near = data[s + 1 + 2 * ns] & 0xFF;
        int interleave = data[s + 2 + 2 * ns] & 0xFF;
        int pointTransform = data[s + 3 + 2 * ns] & 0xFF;
        if (interleave > 2 || ns > 1 && interleave == 0) {
            throw new CodecException("JPEG-LS interleave mode " + interleave + " is invalid for " + ns + " components");
        }
        if (pointTransform != 0) {
            throw new CodecException("JPEG-LS point transform " + pointTransform + " is not supported");
        }
        CodingParameters p = CodingParameters.resolve(frame.precision(), near, presetMaxVal, presetT1, presetT2,
                presetT3, presetReset);
        ScanDecoder scan = new ScanDecoder(p, tables.forParameters(p), data, pos + length, end, sink);
        scan.codeScan(frame.columns(), frame.rows(), components, interleave, restartInterval);
        pos = scan.endOfData();
    }

    /** Reads one marker segment other than SOS and EOI. */
    private void readSegment(int code) throws CodecException {
        if (code == SOI) {
            return; // SPIFF writers repeat SOI after the end-of-directory entry (T.84 F.2.2.3)
        }
        if (code >= 0xD0 && code <= 0xD7) {
            throw new CodecException(String.format("JPEG-LS restart marker 0xFF%02X outside a scan", code));
        }
        if (code >= 0xC0 && code <= 0xCF || code == 0xDB) {
            throw new CodecException(String.format("marker 0xFF%02X belongs to JPEG (ITU-T T.81), not JPEG-LS:"
                    + " the frame is in another transfer syntax than it claims", code));
        }
        int length = segmentLength();
        int s = pos + 2;
        switch (code) {
            case SOF55 -> readFrameHeader(s, length);
            case LSE -> readPresets(s, length);
            case DRI -> readRestartInterval(s, length);
            case DNL -> throw new CodecException("JPEG-LS DNL marker (height defined after the scan) is not supported");
            default -> {
                if (!(code >= 0xE0 && code <= 0xEF || code == COM)) {
                    throw new CodecException(String.format("unexpected marker 0xFF%02X in JPEG-LS stream", code));
                }
                // APPn (including the SPIFF header, APP8) and COM carry nothing the decoder needs.
            }
        }
        pos += length;
    }

    private void readFrameHeader(int s, int length) throws CodecException {
        if (frame != null) {
            throw new CodecException("JPEG-LS stream has more than one frame header (SOF55)");
        }
        if (length < 9) {
            throw new CodecException("JPEG-LS frame header too short (" + length + " bytes)");
        }
        int precision = data[s] & 0xFF;
        int rows = u16(s + 1);
        int columns = u16(s + 3);
        int nf = data[s + 5] & 0xFF;
        if (nf < 1 || length != 8 + 3 * nf) {
            throw new CodecException("JPEG-LS frame header with " + nf + " components and length " + length
                    + " is malformed");
        }
        if (precision < 2 || precision > 16) {
            throw new CodecException("JPEG-LS sample precision " + precision + " not in 2..16");
        }
        int[] ids = new int[nf];
        int sampling = data[s + 7] & 0xFF;
        for (int i = 0; i < nf; i++) {
            ids[i] = data[s + 6 + 3 * i] & 0xFF;
            if (indexOf(ids, ids[i]) != i) {
                throw new CodecException("JPEG-LS frame header names component " + ids[i] + " twice");
            }
            if ((data[s + 7 + 3 * i] & 0xFF) != sampling) {
                throw new CodecException("JPEG-LS frames with subsampled components are not supported");
            }
        }
        frame = new FrameHeader(precision, rows, columns, ids);
    }

    /** LSE marker segment (T.87 C.2.4.1). */
    private void readPresets(int s, int length) throws CodecException {
        if (length < 3) {
            throw new CodecException("JPEG-LS LSE segment too short");
        }
        int id = data[s] & 0xFF;
        switch (id) {
            case 1 -> {
                if (length != 13) {
                    throw new CodecException("JPEG-LS preset parameters (LSE id 1) must be 13 bytes, not " + length);
                }
                presetMaxVal = u16(s + 1);
                presetT1 = u16(s + 3);
                presetT2 = u16(s + 5);
                presetT3 = u16(s + 7);
                presetReset = u16(s + 9);
            }
            case 2, 3 -> {
                // Mapping tables only matter to scans that select them, which decodeScan rejects.
            }
            case 4 -> {
                int wxy = length >= 4 ? data[s + 1] & 0xFF : 0;
                if (wxy < 2 || wxy > 4 || length != 4 + 2 * wxy) {
                    throw new CodecException("JPEG-LS oversize dimensions (LSE id 4) segment is malformed");
                }
                if (frame == null) {
                    throw new CodecException("JPEG-LS oversize dimensions (LSE id 4) before the frame header");
                }
                long rows = unsigned(s + 2, wxy);
                long columns = unsigned(s + 2 + wxy, wxy);
                if (rows > Integer.MAX_VALUE || columns > Integer.MAX_VALUE) {
                    throw new CodecException("JPEG-LS image of " + columns + "x" + rows + " is too large");
                }
                frame = new FrameHeader(frame.precision(), (int) rows, (int) columns, frame.componentIds());
            }
            default -> throw new CodecException("JPEG-LS LSE segment with unknown id " + id);
        }
    }

    private void readRestartInterval(int s, int length) throws CodecException {
        if (length < 4 || length > 6) {
            throw new CodecException("JPEG-LS DRI segment length " + length + " not in 4..6");
        }
        long interval = unsigned(s, length - 2);
        if (interval > Integer.MAX_VALUE) {
            throw new CodecException("JPEG-LS restart interval " + interval + " too large");
        }
        restartInterval = (int) interval;
    }

    /** Reads a marker at pos, skipping 0xFF fill bytes (T.81 B.1.1.2); pos then points past it. */
    private int readMarker() throws CodecException {
        if (pos >= end) {
            throw new CodecException("JPEG-LS stream truncated: no EOI marker");
        }
        if ((data[pos] & 0xFF) != 0xFF) {
            throw new CodecException(String.format("JPEG-LS stream corrupt: marker expected at offset %d, found 0x%02X",
                    pos, data[pos] & 0xFF));
        }
        while (pos < end && (data[pos] & 0xFF) == 0xFF) {
            pos++;
        }
        if (pos >= end) {
            throw new CodecException("JPEG-LS stream truncated inside a marker");
        }
        return data[pos++] & 0xFF;
    }

    /** Length of the segment starting at pos, checked against the data. */
    private int segmentLength() throws CodecException {
        if (pos + 2 > end) {
            throw new CodecException("JPEG-LS stream truncated in a marker segment length");
        }
        int length = u16(pos);
        if (length < 2 || pos + length > end) {
            throw new CodecException("JPEG-LS marker segment of " + length + " bytes at offset " + pos
                    + (length < 2 ? " is malformed" : " runs past the end of the data (truncated)"));
        }
        return length;
    }

    /**
     * Position of the 0xFF that introduces the next marker at or after {@code from} (the last of
     * any fill bytes), or {@code end} when there is none. Scan data never holds 0xFF followed by a
     * byte of 0x80 or more (T.87 A.1).
     */
    static int findMarker(byte[] data, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (data[i] == (byte) 0xFF && (data[i + 1] & 0x80) != 0 && data[i + 1] != (byte) 0xFF) {
                return i;
            }
        }
        return end;
    }

    private int u16(int at) {
        return (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
    }

    private long unsigned(int at, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = v << 8 | data[at + i] & 0xFF;
        }
        return v;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private String hexPrefix() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, end); i++) {
            sb.append(String.format("%02X", data[i] & 0xFF));
        }
        return sb.toString();
    }
}
