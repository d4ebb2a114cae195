package org.mosaicpacs.codec.jpeg.internal;

/**
 * 8x8 forward DCT in scaled integer arithmetic (the Loeffler-Ligtenberg-Moschytz factorisation
 * used by libjpeg's "islow" method) followed by quantization with rounding to nearest (T.81 A.3.4).
 */
final class ForwardDct {

    private static final int CONST_BITS = 13;
    private static final long FIX_0_298631336 = 2446;
    private static final long FIX_0_390180644 = 3196;
    private static final long FIX_0_541196100 = 4433;
    private static final long FIX_0_765366865 = 6270;
    private static final long FIX_0_899976223 = 7373;
    private static final long FIX_1_175875602 = 9633;
    private static final long FIX_1_501321110 = 12299;
    private static final long FIX_1_847759065 = 15137;
    private static final long FIX_1_961570560 = 16069;
    private static final long FIX_2_053119869 = 16819;
    private static final long FIX_2_562915447 = 20995;
    private static final long FIX_3_072711026 = 25172;

    private ForwardDct() {
    }

    private static int descale(long x, int n) {
        return (int) ((x + (1L << (n - 1))) >> n);
    }

    /**
     * Transforms and quantizes one block.
     *
     * @param in        plane of level-shifted-later samples; block at {@code in[offset + row * stride + col]}
     * @param center    2^(P-1), the level shift of T.81 A.3.1
     * @param divisors  quantization values times 8 (the DCT output is scaled by 8), natural order
     * @param ws        64 ints of scratch space
     * @param out       receives the 64 quantized coefficients in natural order
     */
    static void transform(int[] in, int offset, int stride, int center, int[] divisors, int[] ws, int[] out) {
        final int pass1Bits = 2;
        for (int r = 0; r < 8; r++) {
            int p = offset + r * stride;
            long d0 = in[p] - center;
            long d1 = in[p + 1] - center;
            long d2 = in[p + 2] - center;
            long d3 = in[p + 3] - center;
            long d4 = in[p + 4] - center;
            long d5 = in[p + 5] - center;
            long d6 = in[p + 6] - center;
            long d7 = in[p + 7] - center;
            int w = r * 8;
            rowOrColumn(d0, d1, d2, d3, d4, d5, d6, d7, ws, w, 1, pass1Bits, CONST_BITS - pass1Bits);
        }
        for (int c = 0; c < 8; c++) {
            rowOrColumn(ws[c], ws[8 + c], ws[16 + c], ws[24 + c], ws[32 + c], ws[40 + c], ws[48 + c], ws[56 + c],
                    ws, c, 8, -pass1Bits, CONST_BITS + pass1Bits);
        }
        for (int i = 0; i < 64; i++) {
            int v = ws[i];
            int q = divisors[i];
            out[i] = v < 0 ? -((-v + (q >> 1)) / q) : (v + (q >> 1)) / q;
        }
    }

    /**
     * One 1-D DCT of eight values written to {@code ws[base + k * step]}. The DC and middle terms
     * are shifted by {@code evenShift} (left when positive, right with rounding when negative);
     * the others descaled by {@code oddShift}.
     */
    private static void rowOrColumn(long d0, long d1, long d2, long d3, long d4, long d5, long d6, long d7,
                                    int[] ws, int base, int step, int evenShift, int oddShift) {
        long tmp0 = d0 + d7;
        long tmp7 = d0 - d7;
        long tmp1 = d1 + d6;
        long tmp6 = d1 - d6;
        long tmp2 = d2 + d5;
        long tmp5 = d2 - d5;
        long tmp3 = d3 + d4;
        long tmp4 = d3 - d4;

        long tmp10 = tmp0 + tmp3;
        long tmp13 = tmp0 - tmp3;
        long tmp11 = tmp1 + tmp2;
        long tmp12 = tmp1 - tmp2;
        if (evenShift >= 0) {
            ws[base] = (int) ((tmp10 + tmp11) << evenShift);
            ws[base + 4 * step] = (int) ((tmp10 - tmp11) << evenShift);
        } else {
            ws[base] = descale(tmp10 + tmp11, -evenShift);
            ws[base + 4 * step] = descale(tmp10 - tmp11, -evenShift);
        }
        long z1 = (tmp12 + tmp13) * FIX_0_541196100;
        ws[base + 2 * step] = descale(z1 + tmp13 * FIX_0_765366865, oddShift);
        ws[base + 6 * step] = descale(z1 - tmp12 * FIX_1_847759065, oddShift);

        long w1 = tmp4 + tmp7;
        long w2 = tmp5 + tmp6;
        long w3 = tmp4 + tmp6;
        long w4 = tmp5 + tmp7;
        long z5 = (w3 + w4) * FIX_1_175875602;
        tmp4 *= FIX_0_298631336;
        tmp5 *= FIX_2_053119869;
        tmp6 *= FIX_3_072711026;
        tmp7 *= FIX_1_501321110;
        w1 *= -FIX_0_899976223;
        w2 *= -FIX_2_562915447;
        w3 = w3 * -FIX_1_961570560 + z5;
        w4 = w4 * -FIX_0_390180644 + z5;
        ws[base + 7 * step] = descale(tmp4 + w1 + w3, oddShift);
        ws[base + 5 * step] = descale(tmp5 + w2 + w4, oddShift);
        ws[base + 3 * step] = descale(tmp6 + w2 + w3, oddShift);
        ws[base + step] = descale(tmp7 + w1 + w4, oddShift);
    }
}
