package org.mosaicpacs.codec.jpeg.internal;

import org.mosaicpacs.api.codec.CodecException;

/**
 * A Huffman table as defined by a DHT segment (ITU T.81 B.2.4.2), prepared for decoding: a
 * 9-bit lookahead table for the common short codes and the MAXCODE/VALPTR arrays of T.81 F.2.2.3
 * for the rest.
 */
final class HuffmanTable {

    static final int LOOKAHEAD_BITS = 9;

    /** (code length << 8) | symbol for codes of at most {@link #LOOKAHEAD_BITS} bits; 0 = longer code. */
    final int[] lookahead = new int[1 << LOOKAHEAD_BITS];
    /** Largest code of each length 1..16, -1 when the length has no code. */
    final int[] maxCode = new int[17];
    /** Added to a code of length l to index {@link #symbols}. */
    final int[] symbolOffset = new int[17];
    final int[] symbols;
    /** Largest symbol value, to validate DC tables against the scan that uses them. */
    final int maxSymbol;

    private HuffmanTable(int[] counts, int[] symbols) throws CodecException {
        this.symbols = symbols;
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++) {
            symbolOffset[length] = k - code;
            int n = counts[length];
            for (int i = 0; i < n; i++, k++, code++) {
                if (code >= 1 << length) {
                    throw overfull(length);
                }
                if (length <= LOOKAHEAD_BITS) {
                    int shift = LOOKAHEAD_BITS - length;
                    int entry = length << 8 | symbols[k];
                    for (int fill = code << shift, stop = (code + 1) << shift; fill < stop; fill++) {
                        lookahead[fill] = entry;
                    }
                }
            }
            maxCode[length] = n == 0 ? -1 : code - 1;
            // T.81 C.2: codes of one length must fit in that many bits and none may be all ones.
            if (code >= 1 << length) {
                throw overfull(length);
            }
            code <<= 1;
        }
        int max = 0;
        for (int s : symbols) {
            max = Math.max(max, s);
        }
        maxSymbol = max;
    }

    private static CodecException overfull(int length) {
        return new CodecException("corrupt JPEG: Huffman table has more codes of length " + length
                + " than fit (bogus DHT counts)");
    }

    /**
     * Reads one table from a DHT segment: 16 counts then the symbols (T.81 B.2.4.2).
     *
     * @return the table and the number of bytes it took
     */
    static HuffmanTable read(byte[] data, int pos, int end) throws CodecException {
        if (pos + 16 > end) {
            throw new CodecException("corrupt JPEG: DHT segment too short for its code counts");
        }
        int[] counts = new int[17];
        int total = 0;
        for (int i = 1; i <= 16; i++) {
            counts[i] = data[pos + i - 1] & 0xFF;
            total += counts[i];
        }
        if (total == 0 || total > 256) {
            throw new CodecException("corrupt JPEG: Huffman table with " + total + " codes (must be 1..256)");
        }
        if (pos + 16 + total > end) {
            throw new CodecException("corrupt JPEG: DHT segment too short for its " + total + " symbols");
        }
        int[] symbols = new int[total];
        for (int i = 0; i < total; i++) {
            symbols[i] = data[pos + 16 + i] & 0xFF;
        }
        return new HuffmanTable(counts, symbols);
    }

    /** Number of bytes {@link #read} consumed for this table. */
    int encodedLength() {
        return 16 + symbols.length;
    }
}
