package org.mosaicpacs.codec.jpegls.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gradient quantization look-up tables (T.87 A.3.3), one per (MAXVAL, NEAR, T1, T2, T3). A table
 * for 16-bit samples has 131071 entries, as much work to build as decoding a small image, so the
 * few combinations real streams use are kept; the cache is bounded and thread safe.
 */
final class QuantizationTables {

    private static final int MAX_CACHED = 32;

    private record Key(int maxVal, int near, int t1, int t2, int t3) {
    }

    private final Map<Key, byte[]> cache = new ConcurrentHashMap<>();

    /** Table indexed by gradient + MAXVAL, giving the region -4..4. Callers must not modify it. */
    byte[] forParameters(CodingParameters p) {
        Key key = new Key(p.maxVal, p.near, p.t1, p.t2, p.t3);
        byte[] table = cache.get(key);
        if (table == null) {
            table = build(p);
            if (cache.size() < MAX_CACHED) {
                cache.putIfAbsent(key, table);
            }
        }
        return table;
    }

    private static byte[] build(CodingParameters p) {
        byte[] table = new byte[2 * p.maxVal + 1];
        for (int i = 0; i < table.length; i++) {
            table[i] = (byte) quantize(i - p.maxVal, p);
        }
        return table;
    }

    /** T.87 A.3.3, code segment A.4. */
    private static int quantize(int d, CodingParameters p) {
        if (d <= -p.t3) {
            return -4;
        } else if (d <= -p.t2) {
            return -3;
        } else if (d <= -p.t1) {
            return -2;
        } else if (d < -p.near) {
            return -1;
        } else if (d <= p.near) {
            return 0;
        } else if (d < p.t1) {
            return 1;
        } else if (d < p.t2) {
            return 2;
        } else if (d < p.t3) {
            return 3;
        }
        return 4;
    }
}
