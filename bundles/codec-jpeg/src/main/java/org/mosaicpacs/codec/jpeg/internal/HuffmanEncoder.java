package org.mosaicpacs.codec.jpeg.internal;

/**
 * A Huffman code built for the statistics of one image (T.81 Annex K.2), limited to 16-bit code
 * lengths and without the all-ones code, with the encoder's code and size per symbol (T.81 C.2).
 */
final class HuffmanEncoder {

    /** Number of codes of each length 1..16 (BITS) and the symbols in code order (HUFFVAL). */
    final int[] counts = new int[17];
    final int[] symbols;
    final int[] code = new int[256];
    final int[] size = new int[256];

    /**
     * @param frequencies how often each symbol 0..255 occurs; at least one must be non-zero
     */
    HuffmanEncoder(long[] frequencies) {
        long[] freq = new long[257];
        System.arraycopy(frequencies, 0, freq, 0, 256);
        freq[256] = 1; // reserved symbol: guarantees no real symbol gets the all-ones code (K.2)
        int[] codeSize = new int[257];
        int[] others = new int[257];
        java.util.Arrays.fill(others, -1);
        // Figure K.1: repeatedly merge the two least frequent trees.
        while (true) {
            int c1 = -1;
            int c2 = -1;
            for (int i = 0; i < 257; i++) {
                if (freq[i] == 0) {
                    continue;
                }
                if (c1 < 0 || freq[i] <= freq[c1]) {
                    c2 = c1;
                    c1 = i;
                } else if (c2 < 0 || freq[i] <= freq[c2]) {
                    c2 = i;
                }
            }
            if (c2 < 0) {
                break;
            }
            freq[c1] += freq[c2];
            freq[c2] = 0;
            codeSize[c1]++;
            int i = c1;
            while (others[i] >= 0) {
                i = others[i];
                codeSize[i]++;
            }
            others[i] = c2;
            codeSize[c2]++;
            i = c2;
            while (others[i] >= 0) {
                i = others[i];
                codeSize[i]++;
            }
        }
        int[] bits = new int[33 + 257];
        for (int i = 0; i < 257; i++) {
            if (codeSize[i] > 0) {
                bits[codeSize[i]]++;
            }
        }
        // Figure K.3: move codes longer than 16 bits up the tree.
        for (int i = bits.length - 1; i > 16; i--) {
            while (bits[i] > 0) {
                int j = i - 2;
                while (bits[j] == 0) {
                    j--;
                }
                bits[i] -= 2;
                bits[i - 1]++;
                bits[j + 1] += 2;
                bits[j]--;
            }
        }
        // Drop the reserved symbol, which has the longest code.
        int longest = 16;
        while (bits[longest] == 0) {
            longest--;
        }
        bits[longest]--;
        int total = 0;
        for (int i = 1; i <= 16; i++) {
            counts[i] = bits[i];
            total += bits[i];
        }
        // Figure K.4: symbols sorted by code size (a stable order by symbol value within a size).
        symbols = new int[total];
        int k = 0;
        for (int length = 1; length <= 256 && k < total; length++) {
            for (int s = 0; s < 256; s++) {
                if (codeSize[s] == length) {
                    symbols[k++] = s;
                }
            }
        }
        // T.81 C.2: assign codes in order of increasing length.
        int next = 0;
        k = 0;
        for (int length = 1; length <= 16; length++) {
            for (int n = 0; n < counts[length]; n++) {
                code[symbols[k]] = next++;
                size[symbols[k]] = length;
                k++;
            }
            next <<= 1;
        }
    }

    /** Writes this table as one entry of a DHT segment (class and id already written). */
    void writeTo(JpegWriter out) {
        for (int i = 1; i <= 16; i++) {
            out.byte1(counts[i]);
        }
        for (int s : symbols) {
            out.byte1(s);
        }
    }

    /** Bytes {@link #writeTo} writes. */
    int length() {
        return 16 + symbols.length;
    }
}
