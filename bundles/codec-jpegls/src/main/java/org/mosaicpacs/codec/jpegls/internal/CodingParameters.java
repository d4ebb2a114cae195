package org.mosaicpacs.codec.jpegls.internal;

import org.mosaicpacs.api.codec.CodecException;

/**
 * The parameters that govern one JPEG-LS scan (ITU-T T.87 A.2.1 and C.2.4.1.1): MAXVAL, NEAR, the
 * gradient thresholds T1..T3, RESET, and the quantities derived from them.
 */
final class CodingParameters {

    static final int DEFAULT_RESET = 64;
    private static final int BASIC_T1 = 3;
    private static final int BASIC_T2 = 7;
    private static final int BASIC_T3 = 21;

    final int maxVal;
    final int near;
    final int t1;
    final int t2;
    final int t3;
    final int reset;
    /** RANGE = floor((MAXVAL + 2 NEAR) / (2 NEAR + 1)) + 1 (T.87 A.2.1). */
    final int range;
    /** qbpp = ceil(log2 RANGE). */
    final int qbpp;
    /** LIMIT = 2 (bpp + max(8, bpp)) with bpp = max(2, ceil(log2(MAXVAL + 1))). */
    final int limit;

    private CodingParameters(int maxVal, int near, int t1, int t2, int t3, int reset) {
        this.maxVal = maxVal;
        this.near = near;
        this.t1 = t1;
        this.t2 = t2;
        this.t3 = t3;
        this.reset = reset;
        this.range = (maxVal + 2 * near) / (2 * near + 1) + 1;
        this.qbpp = ceilLog2(range);
        int bpp = Math.max(2, ceilLog2(maxVal + 1));
        this.limit = 2 * (bpp + Math.max(8, bpp));
    }

    /**
     * Resolves the preset parameters of an LSE segment (0 = default) against the frame's sample
     * precision and the scan's NEAR, validating them as T.87 C.2.4.1.1 requires.
     *
     * @param precision sample precision P from the frame header
     * @param near      NEAR from the scan header
     * @param presetMaxVal, presetT1, presetT2, presetT3, presetReset values from LSE id 1, 0 where absent
     */
    static CodingParameters resolve(int precision, int near, int presetMaxVal, int presetT1, int presetT2,
                                    int presetT3, int presetReset) throws CodecException {
        int maxVal = presetMaxVal != 0 ? presetMaxVal : (1 << precision) - 1;
        if (maxVal < 1 || maxVal >= 1 << precision) {
            throw new CodecException("JPEG-LS MAXVAL " + maxVal + " does not fit sample precision " + precision);
        }
        if (near < 0 || near > Math.min(255, maxVal / 2)) {
            throw new CodecException("JPEG-LS NEAR " + near + " not in 0.." + Math.min(255, maxVal / 2)
                    + " for MAXVAL " + maxVal);
        }
        int[] defaults = defaultThresholds(maxVal, near);
        int t1 = presetT1 != 0 ? presetT1 : defaults[0];
        int t2 = presetT2 != 0 ? presetT2 : defaults[1];
        int t3 = presetT3 != 0 ? presetT3 : defaults[2];
        int reset = presetReset != 0 ? presetReset : DEFAULT_RESET;
        // T.87 C.2.4.1.1: NEAR+1 <= T1 <= T2 <= T3 <= MAXVAL, 3 <= RESET <= max(255, MAXVAL).
        if (t1 < near + 1 || t1 > maxVal || t2 < t1 || t2 > maxVal || t3 < t2 || t3 > maxVal) {
            throw new CodecException("JPEG-LS thresholds T1=" + t1 + " T2=" + t2 + " T3=" + t3
                    + " are invalid for MAXVAL " + maxVal + " and NEAR " + near);
        }
        if (reset < 3 || reset > Math.max(255, maxVal)) {
            throw new CodecException("JPEG-LS RESET " + reset + " not in 3.." + Math.max(255, maxVal));
        }
        CodingParameters p = new CodingParameters(maxVal, near, t1, t2, t3, reset);
        // Context accumulator A grows to about RESET * RANGE; keep it within an int.
        if ((long) reset * p.range >= Integer.MAX_VALUE / 2) {
            throw new CodecException("JPEG-LS RESET " + reset + " with MAXVAL " + maxVal + " is not supported");
        }
        return p;
    }

    /** Default parameters for P-bit samples: what an encoder uses without an LSE segment. */
    static CodingParameters defaults(int precision, int near) throws CodecException {
        return resolve(precision, near, 0, 0, 0, 0, 0);
    }

    /** T.87 C.2.4.1.1.1: default T1, T2, T3 for any MAXVAL and NEAR. */
    static int[] defaultThresholds(int maxVal, int near) {
        int t1;
        int t2;
        int t3;
        if (maxVal >= 128) {
            int factor = (Math.min(maxVal, 4095) + 128) / 256;
            t1 = clamp(factor * (BASIC_T1 - 2) + 2 + 3 * near, near + 1, maxVal);
            t2 = clamp(factor * (BASIC_T2 - 3) + 3 + 5 * near, t1, maxVal);
            t3 = clamp(factor * (BASIC_T3 - 4) + 4 + 7 * near, t2, maxVal);
        } else {
            int factor = 256 / (maxVal + 1);
            t1 = clamp(Math.max(2, BASIC_T1 / factor + 3 * near), near + 1, maxVal);
            t2 = clamp(Math.max(3, BASIC_T2 / factor + 5 * near), t1, maxVal);
            t3 = clamp(Math.max(4, BASIC_T3 / factor + 7 * near), t2, maxVal);
        }
        return new int[] {t1, t2, t3};
    }

    /** Whether these thresholds and RESET are what a decoder assumes without an LSE segment. */
    boolean hasDefaultPresets(int precision) {
        int[] d = defaultThresholds(maxVal, near);
        return maxVal == (1 << precision) - 1 && t1 == d[0] && t2 == d[1] && t3 == d[2] && reset == DEFAULT_RESET;
    }

    /** The CLAMP function of T.87 C.2.4.1.1.1. */
    private static int clamp(int i, int j, int maxVal) {
        return i > maxVal || i < j ? j : i;
    }

    private static int ceilLog2(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
