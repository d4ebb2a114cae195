package org.mosaicpacs.codec.jpeg.internal;

import org.mosaicpacs.api.codec.CodecException;

/**
 * Reads the bits of an entropy-coded segment (T.81 B.1.1.5, F.2.2.5): removes stuffed zero bytes,
 * stops at the next marker and decodes Huffman symbols.
 *
 * <p>Like IJG libjpeg, it feeds zero bits once the segment ends, so that lookahead never reads past
 * a marker; unlike libjpeg, a decoder that actually consumes those bits is told the data are
 * truncated ({@link #overrun()}) instead of painting the rest of the image grey.
 */
final class EntropyDecoder {

    private final byte[] data;
    private final int end;
    private int pos;
    private long bitBuffer;
    private int bitCount;
    /** Zero bits appended after the end of the segment; they sit at the low end of the buffer. */
    private int fillerBits;
    /** Offset of the marker (its 0xFF) that ended the segment, or -1 while none was seen. */
    private int markerPos = -1;

    EntropyDecoder(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    private void fill() {
        while (bitCount <= 56) {
            int b = 0;
            if (markerPos < 0 && pos < end) {
                b = data[pos] & 0xFF;
                if (b != 0xFF) {
                    pos++;
                } else {
                    // T.81 B.1.1.5: 0xFF 0x00 is a data byte 0xFF; any 0xFF run before a non-zero byte is
                    // fill ahead of a marker. Like libjpeg, 0xFF... 0xFF 0x00 still counts as one 0xFF.
                    int p = pos + 1;
                    while (p < end && data[p] == (byte) 0xFF) {
                        p++;
                    }
                    if (p < end && data[p] == 0) {
                        pos = p + 1;
                    } else {
                        markerPos = p - 1;
                        b = 0;
                        fillerBits += 8;
                    }
                }
            } else {
                fillerBits += 8;
            }
            bitBuffer = bitBuffer << 8 | b;
            bitCount += 8;
        }
    }

    /** True once more bits were consumed than the segment holds: the stream is truncated or corrupt. */
    boolean overrun() {
        return bitCount < fillerBits;
    }

    /** Decodes one Huffman-coded symbol (T.81 F.2.2.3). */
    int decode(HuffmanTable table) throws CodecException {
        if (bitCount < 16) {
            fill();
        }
        int entry = table.lookahead[(int) (bitBuffer >>> (bitCount - HuffmanTable.LOOKAHEAD_BITS))
                & ((1 << HuffmanTable.LOOKAHEAD_BITS) - 1)];
        if (entry != 0) {
            bitCount -= entry >>> 8;
            return entry & 0xFF;
        }
        for (int length = HuffmanTable.LOOKAHEAD_BITS + 1; length <= 16; length++) {
            int code = (int) (bitBuffer >>> (bitCount - length)) & ((1 << length) - 1);
            if (code <= table.maxCode[length]) {
                bitCount -= length;
                return table.symbols[table.symbolOffset[length] + code];
            }
        }
        throw new CodecException("corrupt JPEG: invalid Huffman code in the entropy-coded data");
    }

    /**
     * Decodes a Huffman-coded category and its additional bits in one step: a lossless difference
     * (T.81 H.1.2.2, where category 16 means 32768 without additional bits) or, for categories up
     * to 15, a DCT coefficient (F.2.2.1).
     */
    int decodeValue(HuffmanTable table) throws CodecException {
        if (bitCount < 32) {
            fill(); // room for a 16-bit code and 15 additional bits without further checks
        }
        int s;
        int entry = table.lookahead[(int) (bitBuffer >>> (bitCount - HuffmanTable.LOOKAHEAD_BITS))
                & ((1 << HuffmanTable.LOOKAHEAD_BITS) - 1)];
        if (entry != 0) {
            bitCount -= entry >>> 8;
            s = entry & 0xFF;
        } else {
            s = decode(table);
        }
        if (s == 0) {
            return 0;
        }
        if (s >= 16) {
            return 32768;
        }
        bitCount -= s;
        int v = (int) (bitBuffer >>> bitCount) & ((1 << s) - 1);
        return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }

    /**
     * Decodes an AC run/size symbol (T.81 F.2.2.2) and the coefficient's additional bits.
     *
     * @return the symbol RS in the upper 16 bits, the coefficient (0 for EOB and ZRL) in the lower 16
     */
    int decodeAc(HuffmanTable table) throws CodecException {
        if (bitCount < 32) {
            fill();
        }
        int rs;
        int entry = table.lookahead[(int) (bitBuffer >>> (bitCount - HuffmanTable.LOOKAHEAD_BITS))
                & ((1 << HuffmanTable.LOOKAHEAD_BITS) - 1)];
        if (entry != 0) {
            bitCount -= entry >>> 8;
            rs = entry & 0xFF;
        } else {
            rs = decode(table);
        }
        int s = rs & 0x0F;
        if (s == 0) {
            return rs << 16;
        }
        bitCount -= s;
        int v = (int) (bitBuffer >>> bitCount) & ((1 << s) - 1);
        return rs << 16 | (v < 1 << (s - 1) ? v - (1 << s) + 1 : v) & 0xFFFF;
    }

    /**
     * Ends the current entropy-coded segment: drops the padding bits and finds the marker that
     * follows, skipping extraneous bytes as libjpeg does.
     *
     * @return the offset of the 0xFF of the next marker, or the end of the data when there is none
     */
    int finishSegment() {
        int p = markerPos >= 0 ? markerPos : pos;
        bitCount = 0;
        fillerBits = 0;
        bitBuffer = 0;
        markerPos = -1;
        return JpegDecoder.findMarker(data, p, end);
    }

    /** Consumes the RSTn marker expected at a restart interval boundary (T.81 F.2.2.5, E.2.4). */
    void restart(int expectedIndex) throws CodecException {
        int p = finishSegment();
        int expected = Markers.RST0 + expectedIndex;
        if (p + 1 >= end) {
            throw new CodecException("corrupt JPEG: data ends where restart marker RST" + expectedIndex
                    + " was expected");
        }
        int code = data[p + 1] & 0xFF;
        if (code != expected) {
            throw new CodecException(String.format("corrupt JPEG: expected restart marker RST%d, found marker 0x%02X",
                    expectedIndex, code));
        }
        pos = p + 2;
    }
}
