package org.mosaicpacs.codec.jpeg.internal;

/**
 * JFIF / CCIR 601 full-range YCbCr &lt;-&gt; RGB (PS3.3 C.7.6.3.1.2 YBR_FULL) in 16-bit fixed point.
 * The decoding direction reproduces IJG libjpeg's jdcolor.c tables bit for bit (what DCMTK's
 * dcmdjpeg applies by default); the encoding direction follows jccolor.c's rounding.
 */
final class ColorConversion {

    private static final int SCALEBITS = 16;
    private static final long ONE_HALF = 1L << (SCALEBITS - 1);

    private static final long Y_R = fix(0.29900);
    private static final long Y_G = fix(0.58700);
    private static final long Y_B = fix(0.11400);
    private static final long CB_R = fix(0.16874);
    private static final long CB_G = fix(0.33126);
    private static final long HALF = fix(0.50000);
    private static final long CR_G = fix(0.41869);
    private static final long CR_B = fix(0.08131);

    private ColorConversion() {
    }

    private static long fix(double x) {
        return (long) (x * (1L << SCALEBITS) + 0.5);
    }

    /**
     * Converts three full-resolution planes in place from Y, Cb, Cr to R, G, B.
     *
     * @param planes  Y, Cb and Cr, each with its own row stride
     */
    static void yccToRgb(int[][] planes, int[] strides, int width, int height, int precision) {
        int max = (1 << precision) - 1;
        int center = 1 << (precision - 1);
        int[] crR = new int[max + 1];
        int[] cbB = new int[max + 1];
        long[] crG = new long[max + 1];
        long[] cbG = new long[max + 1];
        for (int i = 0; i <= max; i++) {
            long x = i - center;
            crR[i] = (int) ((fix(1.40200) * x + ONE_HALF) >> SCALEBITS);
            cbB[i] = (int) ((fix(1.77200) * x + ONE_HALF) >> SCALEBITS);
            crG[i] = -fix(0.71414) * x;
            cbG[i] = -fix(0.34414) * x + ONE_HALF;
        }
        int[] y = planes[0];
        int[] cb = planes[1];
        int[] cr = planes[2];
        for (int row = 0; row < height; row++) {
            int py = row * strides[0];
            int pb = row * strides[1];
            int pr = row * strides[2];
            for (int x = 0; x < width; x++, py++, pb++, pr++) {
                int l = y[py];
                int b = cb[pb] & max;
                int r = cr[pr] & max;
                y[py] = clamp(l + crR[r], max);
                cb[pb] = clamp(l + (int) ((cbG[b] + crG[r]) >> SCALEBITS), max);
                cr[pr] = clamp(l + cbB[b], max);
            }
        }
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }

    /**
     * Converts one RGB pixel to Y, Cb, Cr (PS3.3 C.7.6.3.1.2).
     *
     * @param out receives Y, Cb, Cr at {@code out[o]}, {@code out[o + 1]}, {@code out[o + 2]}
     */
    static void rgbToYcc(int r, int g, int b, int precision, int[] out, int o) {
        long center = 1L << (precision - 1 + SCALEBITS);
        out[o] = (int) ((Y_R * r + Y_G * g + Y_B * b + ONE_HALF) >> SCALEBITS);
        // ONE_HALF - 1 rounds so that Cb and Cr never exceed MAXJSAMPLE (jccolor.c)
        out[o + 1] = (int) ((-CB_R * r - CB_G * g + HALF * b + center + ONE_HALF - 1) >> SCALEBITS);
        out[o + 2] = (int) ((HALF * r - CR_G * g - CR_B * b + center + ONE_HALF - 1) >> SCALEBITS);
    }
}
