package org.mosaicpacs.codec.jpeg.internal;

/**
 * Dequantization and 8x8 inverse DCT with exactly the integer arithmetic of IJG libjpeg's "islow"
 * method (jidctint.c, Loeffler-Ligtenberg-Moschytz), which DCMTK and GDCM use: the same constants,
 * the same two passes and rounding, the same shortcut for blocks whose AC terms are zero, and the
 * same wrap-around range limiting, so that lossy frames decode to the very same samples.
 */
final class InverseDct {

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

    private static final InverseDct EIGHT_BIT = new InverseDct(8);
    private static final InverseDct TWELVE_BIT = new InverseDct(12);

    private final int pass1Bits;
    private final int rangeMask;
    /** libjpeg's post-IDCT range-limit table: out-of-range values wrap as in jdmaster.c. */
    private final int[] rangeLimit;

    private InverseDct(int precision) {
        int max = (1 << precision) - 1;
        int center = 1 << (precision - 1);
        pass1Bits = precision == 8 ? 2 : 1;
        rangeMask = 4 * (max + 1) - 1;
        rangeLimit = new int[rangeMask + 1];
        for (int v = 0; v <= rangeMask; v++) {
            // the index is the descaled value modulo 4*(MAX+1), read as signed and re-centred
            int signed = v < 2 * (max + 1) ? v : v - 4 * (max + 1);
            rangeLimit[v] = Math.max(0, Math.min(max, signed + center));
        }
    }

    static InverseDct forPrecision(int precision) {
        return precision == 8 ? EIGHT_BIT : TWELVE_BIT;
    }

    /**
     * @param coef      64 coefficients in natural (row-major) order, as libjpeg's 16-bit JCOEF
     * @param quant     the 64 quantization values in natural order
     * @param workspace 64 ints of scratch space
     * @param out       destination plane; the block goes to {@code out[offset + row * stride + col]}
     */
    void transform(short[] coef, int[] quant, int[] workspace, int[] out, int offset, int stride) {
        final int p1 = pass1Bits;
        // Pass 1: columns from the input into the work array, scaled up by 2^pass1Bits.
        for (int c = 0; c < 8; c++) {
            if (coef[8 + c] == 0 && coef[16 + c] == 0 && coef[24 + c] == 0 && coef[32 + c] == 0
                    && coef[40 + c] == 0 && coef[48 + c] == 0 && coef[56 + c] == 0) {
                int dc = (coef[c] * quant[c]) << p1;
                for (int r = 0; r < 64; r += 8) {
                    workspace[r + c] = dc;
                }
                continue;
            }
            long z2 = coef[16 + c] * quant[16 + c];
            long z3 = coef[48 + c] * quant[48 + c];
            long z1 = (z2 + z3) * FIX_0_541196100;
            long tmp2 = z1 + z3 * -FIX_1_847759065;
            long tmp3 = z1 + z2 * FIX_0_765366865;
            z2 = coef[c] * quant[c];
            z3 = coef[32 + c] * quant[32 + c];
            long tmp0 = (z2 + z3) << CONST_BITS;
            long tmp1 = (z2 - z3) << CONST_BITS;
            long tmp10 = tmp0 + tmp3;
            long tmp13 = tmp0 - tmp3;
            long tmp11 = tmp1 + tmp2;
            long tmp12 = tmp1 - tmp2;

            tmp0 = coef[56 + c] * quant[56 + c];
            tmp1 = coef[40 + c] * quant[40 + c];
            tmp2 = coef[24 + c] * quant[24 + c];
            tmp3 = coef[8 + c] * quant[8 + c];
            long w1 = tmp0 + tmp3;
            long w2 = tmp1 + tmp2;
            long w3 = tmp0 + tmp2;
            long w4 = tmp1 + tmp3;
            long z5 = (w3 + w4) * FIX_1_175875602;
            tmp0 *= FIX_0_298631336;
            tmp1 *= FIX_2_053119869;
            tmp2 *= FIX_3_072711026;
            tmp3 *= FIX_1_501321110;
            w1 *= -FIX_0_899976223;
            w2 *= -FIX_2_562915447;
            w3 = w3 * -FIX_1_961570560 + z5;
            w4 = w4 * -FIX_0_390180644 + z5;
            tmp0 += w1 + w3;
            tmp1 += w2 + w4;
            tmp2 += w2 + w3;
            tmp3 += w1 + w4;

            int shift = CONST_BITS - p1;
            long round = 1L << (shift - 1);
            workspace[c] = (int) ((tmp10 + tmp3 + round) >> shift);
            workspace[56 + c] = (int) ((tmp10 - tmp3 + round) >> shift);
            workspace[8 + c] = (int) ((tmp11 + tmp2 + round) >> shift);
            workspace[48 + c] = (int) ((tmp11 - tmp2 + round) >> shift);
            workspace[16 + c] = (int) ((tmp12 + tmp1 + round) >> shift);
            workspace[40 + c] = (int) ((tmp12 - tmp1 + round) >> shift);
            workspace[24 + c] = (int) ((tmp13 + tmp0 + round) >> shift);
            workspace[32 + c] = (int) ((tmp13 - tmp0 + round) >> shift);
        }

        // Pass 2: rows from the work array to the output, removing the 2^pass1Bits and the 8 of the DCT.
        final int[] limit = rangeLimit;
        final int mask = rangeMask;
        final int shift = CONST_BITS + p1 + 3;
        final long round = 1L << (shift - 1);
        for (int r = 0; r < 64; r += 8) {
            int o = offset + (r >> 3) * stride;
            if (workspace[r + 1] == 0 && workspace[r + 2] == 0 && workspace[r + 3] == 0 && workspace[r + 4] == 0
                    && workspace[r + 5] == 0 && workspace[r + 6] == 0 && workspace[r + 7] == 0) {
                int dc = limit[(int) ((workspace[r] + (1L << (p1 + 2))) >> (p1 + 3)) & mask];
                for (int i = 0; i < 8; i++) {
                    out[o + i] = dc;
                }
                continue;
            }
            long z2 = workspace[r + 2];
            long z3 = workspace[r + 6];
            long z1 = (z2 + z3) * FIX_0_541196100;
            long tmp2 = z1 + z3 * -FIX_1_847759065;
            long tmp3 = z1 + z2 * FIX_0_765366865;
            long tmp0 = ((long) workspace[r] + workspace[r + 4]) << CONST_BITS;
            long tmp1 = ((long) workspace[r] - workspace[r + 4]) << CONST_BITS;
            long tmp10 = tmp0 + tmp3;
            long tmp13 = tmp0 - tmp3;
            long tmp11 = tmp1 + tmp2;
            long tmp12 = tmp1 - tmp2;

            tmp0 = workspace[r + 7];
            tmp1 = workspace[r + 5];
            tmp2 = workspace[r + 3];
            tmp3 = workspace[r + 1];
            long w1 = tmp0 + tmp3;
            long w2 = tmp1 + tmp2;
            long w3 = tmp0 + tmp2;
            long w4 = tmp1 + tmp3;
            long z5 = (w3 + w4) * FIX_1_175875602;
            tmp0 *= FIX_0_298631336;
            tmp1 *= FIX_2_053119869;
            tmp2 *= FIX_3_072711026;
            tmp3 *= FIX_1_501321110;
            w1 *= -FIX_0_899976223;
            w2 *= -FIX_2_562915447;
            w3 = w3 * -FIX_1_961570560 + z5;
            w4 = w4 * -FIX_0_390180644 + z5;
            tmp0 += w1 + w3;
            tmp1 += w2 + w4;
            tmp2 += w2 + w3;
            tmp3 += w1 + w4;

            out[o] = limit[(int) ((tmp10 + tmp3 + round) >> shift) & mask];
            out[o + 7] = limit[(int) ((tmp10 - tmp3 + round) >> shift) & mask];
            out[o + 1] = limit[(int) ((tmp11 + tmp2 + round) >> shift) & mask];
            out[o + 6] = limit[(int) ((tmp11 - tmp2 + round) >> shift) & mask];
            out[o + 2] = limit[(int) ((tmp12 + tmp1 + round) >> shift) & mask];
            out[o + 5] = limit[(int) ((tmp12 - tmp1 + round) >> shift) & mask];
            out[o + 3] = limit[(int) ((tmp13 + tmp0 + round) >> shift) & mask];
            out[o + 4] = limit[(int) ((tmp13 - tmp0 + round) >> shift) & mask];
        }
    }
}
