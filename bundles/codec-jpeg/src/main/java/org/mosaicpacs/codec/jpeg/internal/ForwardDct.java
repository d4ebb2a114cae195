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
     * @param in        plane of unsigned samples; the block is {@code in[offset + row * stride + col]}
     * @param center    2^(P-1), the level shift of T.81 A.3.1
     * @param divisors  quantization values times 8 (the DCT output is scaled by 8), natural order
     * @param ws        64 ints of scratch space
     * @param out       receives the 64 quantized coefficients in natural order
     */
    static void transform(int[] in, int offset, int stride, int center, int[] divisors, int[] ws, int[] out) {
        final int pass1Bits = 2;
        // Pass 1: rows, results scaled up by 2^pass1Bits.
        for (int r = 0; r < 8; r++) {
            int p = offset + r * stride;
            int w = r * 8;
            long tmp0 = in[p] + in[p + 7] - 2L * center;
            long tmp7 = in[p] - in[p + 7];
            long tmp1 = in[p + 1] + in[p + 6] - 2L * center;
            long tmp6 = in[p + 1] - in[p + 6];
            long tmp2 = in[p + 2] + in[p + 5] - 2L * center;
            long tmp5 = in[p + 2] - in[p + 5];
            long tmp3 = in[p + 3] + in[p + 4] - 2L * center;
            long tmp4 = in[p + 3] - in[p + 4];
            long tmp10 = tmp0 + tmp3;
            long tmp13 = tmp0 - tmp3;
            long tmp11 = tmp1 + tmp2;
            long tmp12 = tmp1 - tmp2;
            ws[w] = (int) ((tmp10 + tmp11) << pass1Bits);
            ws[w + 4] = (int) ((tmp10 - tmp11) << pass1Bits);
            long z1 = (tmp12 + tmp13) * FIX_0_541196100;
            ws[w + 2] = descale(z1 + tmp13 * FIX_0_765366865, CONST_BITS - pass1Bits);
            ws[w + 6] = descale(z1 - tmp12 * FIX_1_847759065, CONST_BITS - pass1Bits);
            long w1 = tmp4 + tmp7;
            long w2 = tmp5 + tmp6;
            long w3 = tmp4 + tmp6;
            long w4 = tmp5 + tmp7;
            long z5 = (w3 + w4) * FIX_1_175875602;
            w1 *= -FIX_0_899976223;
            w2 *= -FIX_2_562915447;
            w3 = w3 * -FIX_1_961570560 + z5;
            w4 = w4 * -FIX_0_390180644 + z5;
            ws[w + 7] = descale(tmp4 * FIX_0_298631336 + w1 + w3, CONST_BITS - pass1Bits);
            ws[w + 5] = descale(tmp5 * FIX_2_053119869 + w2 + w4, CONST_BITS - pass1Bits);
            ws[w + 3] = descale(tmp6 * FIX_3_072711026 + w2 + w3, CONST_BITS - pass1Bits);
            ws[w + 1] = descale(tmp7 * FIX_1_501321110 + w1 + w4, CONST_BITS - pass1Bits);
        }
        // Pass 2: columns, removing the pass-1 scaling; the output keeps a factor of 8.
        for (int c = 0; c < 8; c++) {
            long tmp0 = ws[c] + (long) ws[56 + c];
            long tmp7 = ws[c] - (long) ws[56 + c];
            long tmp1 = ws[8 + c] + (long) ws[48 + c];
            long tmp6 = ws[8 + c] - (long) ws[48 + c];
            long tmp2 = ws[16 + c] + (long) ws[40 + c];
            long tmp5 = ws[16 + c] - (long) ws[40 + c];
            long tmp3 = ws[24 + c] + (long) ws[32 + c];
            long tmp4 = ws[24 + c] - (long) ws[32 + c];
            long tmp10 = tmp0 + tmp3;
            long tmp13 = tmp0 - tmp3;
            long tmp11 = tmp1 + tmp2;
            long tmp12 = tmp1 - tmp2;
            int shift = CONST_BITS + pass1Bits;
            ws[c] = descale(tmp10 + tmp11, pass1Bits);
            ws[32 + c] = descale(tmp10 - tmp11, pass1Bits);
            long z1 = (tmp12 + tmp13) * FIX_0_541196100;
            ws[16 + c] = descale(z1 + tmp13 * FIX_0_765366865, shift);
            ws[48 + c] = descale(z1 - tmp12 * FIX_1_847759065, shift);
            long w1 = tmp4 + tmp7;
            long w2 = tmp5 + tmp6;
            long w3 = tmp4 + tmp6;
            long w4 = tmp5 + tmp7;
            long z5 = (w3 + w4) * FIX_1_175875602;
            w1 *= -FIX_0_899976223;
            w2 *= -FIX_2_562915447;
            w3 = w3 * -FIX_1_961570560 + z5;
            w4 = w4 * -FIX_0_390180644 + z5;
            ws[56 + c] = descale(tmp4 * FIX_0_298631336 + w1 + w3, shift);
            ws[40 + c] = descale(tmp5 * FIX_2_053119869 + w2 + w4, shift);
            ws[24 + c] = descale(tmp6 * FIX_3_072711026 + w2 + w3, shift);
            ws[8 + c] = descale(tmp7 * FIX_1_501321110 + w1 + w4, shift);
        }
        for (int i = 0; i < 64; i++) {
            int v = ws[i];
            int q = divisors[i];
            out[i] = v < 0 ? -((-v + (q >> 1)) / q) : (v + (q >> 1)) / q;
        }
    }
}
