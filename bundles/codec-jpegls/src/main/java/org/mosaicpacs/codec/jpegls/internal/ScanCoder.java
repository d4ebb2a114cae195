package org.mosaicpacs.codec.jpegls.internal;

import java.util.Arrays;

import org.mosaicpacs.api.codec.CodecException;

/**
 * What JPEG-LS encoding and decoding of one scan share (ITU-T T.87 Annex A): the context
 * variables, prediction, gradient quantization, the Golomb parameter, context updates and bias
 * correction, and the line loop with its edge rules, interleave modes and restart intervals.
 * One instance codes one scan on one thread.
 */
abstract class ScanCoder {

    /** T.87 A.2.1 step 3: run-length order J[RUNindex]. */
    static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
        4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private static final int CONTEXTS = 365;
    private static final int MIN_C = -128;
    private static final int MAX_C = 127;

    final int maxVal;
    final int near;
    final int range;
    final int qbpp;
    final int limit;
    final int reset;
    /** 2 NEAR + 1, the quantization step of near-lossless coding. */
    final int step;
    /** NEAR 0 and MAXVAL 2^P - 1, the common case. */
    final boolean losslessFullRange;
    /** Gradient quantization table indexed by gradient + MAXVAL. */
    final byte[] quantization;

    /** Regular-mode context variables (T.87 A.2.1): A, B, C, N of context q at 4q .. 4q+3, together for locality. */
    final int[] contexts = new int[CONTEXTS * 4];
    // Run-interruption context variables (contexts 365 and 366), indexed by RItype.
    final int[] riA = new int[2];
    final int[] riN = new int[2];
    final int[] riNn = new int[2];
    /** RUNindex of the component being coded. */
    int runIndex;
    /** Contexts of the components of one pixel in sample-interleaved lines (at most 4 components per scan). */
    final int[] pixelContexts = new int[4];

    ScanCoder(CodingParameters p, byte[] quantization) {
        this.maxVal = p.maxVal;
        this.near = p.near;
        this.range = p.range;
        this.qbpp = p.qbpp;
        this.limit = p.limit;
        this.reset = p.reset;
        this.step = 2 * p.near + 1;
        this.losslessFullRange = p.near == 0 && (p.maxVal & p.maxVal + 1) == 0;
        this.quantization = quantization;
        resetContexts();
    }

    /** T.87 A.2.1 initialisation, also done after each restart marker. */
    final void resetContexts() {
        int initialA = Math.max(2, (range + 32) / 64);
        for (int q = 0; q < CONTEXTS; q++) {
            contexts[4 * q] = initialA;
            contexts[4 * q + 1] = 0;
            contexts[4 * q + 2] = 0;
            contexts[4 * q + 3] = 1;
        }
        Arrays.fill(riA, initialA);
        Arrays.fill(riN, 1);
        Arrays.fill(riNn, 0);
        runIndex = 0;
    }

    /** Codes one line of a single component; {@code prev} and {@code cur} hold samples at 1..width. */
    abstract void codeLine(int[] prev, int[] cur, int width) throws CodecException;

    /** Codes one line of {@code ns} sample-interleaved components (ILV 2); sample x of component k at (x+1)*ns+k. */
    abstract void codeLineInterleaved(int[] prev, int[] cur, int width, int ns) throws CodecException;

    /** Called before a line is coded: an encoder loads the samples of {@code component} into {@code line}. */
    abstract void beforeLine(int row, int component, int[] line, int offset, int stride) throws CodecException;

    /** Called after a line is coded: a decoder stores the reconstructed samples. */
    abstract void afterLine(int row, int component, int[] line, int offset, int stride) throws CodecException;

    /** At the end of a restart interval: an encoder writes RSTm, a decoder reads it (T.87 D.2). */
    abstract void restart(int markerIndex) throws CodecException;

    /**
     * Codes a whole scan. Lines are coded top to bottom; with ILV 0 or 1 each component has its own
     * line buffers and RUNindex, with ILV 2 the components of a pixel are coded together (T.87 A.8).
     *
     * @param components indices of the scan's components in the frame, in scan order
     */
    final void codeScan(int width, int height, int[] components, int interleave, int restartInterval)
            throws CodecException {
        int ns = components.length;
        int restarts = 0;
        if (interleave == 2 && ns > 1) {
            int stride = (width + 2) * ns;
            int[] prev = new int[stride];
            int[] cur = new int[stride];
            for (int row = 0; row < height; row++) {
                if (restartInterval > 0 && row > 0 && row % restartInterval == 0) {
                    restart(restarts++ & 7);
                    Arrays.fill(prev, 0);
                    Arrays.fill(cur, 0);
                    resetContexts();
                }
                for (int k = 0; k < ns; k++) {
                    // T.87 A.2.1: Rd beyond the last sample is Rb; Ra before the first is Rb.
                    prev[(width + 1) * ns + k] = prev[width * ns + k];
                    cur[k] = prev[ns + k];
                    beforeLine(row, components[k], cur, ns + k, ns);
                }
                codeLineInterleaved(prev, cur, width, ns);
                for (int k = 0; k < ns; k++) {
                    afterLine(row, components[k], cur, ns + k, ns);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
        } else {
            int[][] prev = new int[ns][width + 2];
            int[][] cur = new int[ns][width + 2];
            int[] runIndices = new int[ns];
            for (int row = 0; row < height; row++) {
                if (restartInterval > 0 && row > 0 && row % restartInterval == 0) {
                    restart(restarts++ & 7);
                    for (int k = 0; k < ns; k++) {
                        Arrays.fill(prev[k], 0);
                        Arrays.fill(cur[k], 0);
                    }
                    Arrays.fill(runIndices, 0);
                    resetContexts();
                }
                for (int k = 0; k < ns; k++) {
                    int[] p = prev[k];
                    int[] q = cur[k];
                    p[width + 1] = p[width];
                    q[0] = p[1];
                    beforeLine(row, components[k], q, 1, 1);
                    runIndex = runIndices[k];
                    codeLine(p, q, width);
                    runIndices[k] = runIndex;
                    afterLine(row, components[k], q, 1, 1);
                    prev[k] = q;
                    cur[k] = p;
                }
            }
        }
    }

    /** Context number from the three local gradients (T.87 A.3.3 and A.3.4), sign folded in by the caller. */
    final int context(int ra, int rb, int rc, int rd) {
        byte[] q = quantization;
        int m = maxVal;
        return (q[rd - rb + m] * 9 + q[rb - rc + m]) * 9 + q[rc - ra + m];
    }

    /** Median edge detector (T.87 A.4.1). */
    static int predict(int ra, int rb, int rc) {
        if (rc >= Math.max(ra, rb)) {
            return Math.min(ra, rb);
        } else if (rc <= Math.min(ra, rb)) {
            return Math.max(ra, rb);
        }
        return ra + rb - rc;
    }

    /** Golomb parameter k of a regular context (T.87 A.5.1). */
    final int golombK(int q) {
        return golombK(contexts[4 * q + 3], contexts[4 * q]);
    }

    /**
     * The least k with N * 2^k >= A (T.87 code segment A.10), from the bit lengths instead of a
     * loop; capped, as only corrupt data gives more than 17.
     */
    static int golombK(int n, int a) {
        int k = Integer.numberOfLeadingZeros(n) - Integer.numberOfLeadingZeros(a);
        if (k <= 0) {
            return k == 0 && n < a ? 1 : 0;
        }
        if ((long) n << k < a) {
            k++;
        }
        return Math.min(k, 24);
    }

    /** Prediction corrected by C[Q] and clamped (T.87 A.4.2). */
    final int correctPrediction(int px, int q, int sign) {
        int corrected = px + ((contexts[4 * q + 2] ^ sign) - sign);
        return corrected < 0 ? 0 : corrected > maxVal ? maxVal : corrected;
    }

    /** Reconstructed sample from prediction and (signed, quantized) error, with modulo and clamping (T.87 A.4.4 and A.5.2 note). */
    final int reconstruct(int px, int errval) {
        if (losslessFullRange) {
            return px + errval & maxVal; // RANGE is 2^P: the modulo is a mask
        }
        int rx = px + errval * step;
        if (rx < -near) {
            rx += range * step;
        } else if (rx > maxVal + near) {
            rx -= range * step;
        }
        return rx < 0 ? 0 : rx > maxVal ? maxVal : rx;
    }

    /** Context variables update and bias correction (T.87 A.6.1 and A.6.2). */
    final void updateRegular(int q, int errval) {
        int[] ctx = contexts;
        int i = 4 * q;
        int aq = ctx[i] + Math.abs(errval);
        int bq = ctx[i + 1] + errval * step;
        int cq = ctx[i + 2];
        int nq = ctx[i + 3];
        if (nq == reset) {
            aq >>= 1;
            bq >>= 1;
            nq >>= 1;
        }
        nq++;
        if (bq <= -nq) {
            bq += nq;
            if (cq > MIN_C) {
                cq--;
            }
            if (bq <= -nq) {
                bq = -nq + 1;
            }
        } else if (bq > 0) {
            bq -= nq;
            if (cq < MAX_C) {
                cq++;
            }
            if (bq > 0) {
                bq = 0;
            }
        }
        ctx[i] = aq;
        ctx[i + 1] = bq;
        ctx[i + 2] = cq;
        ctx[i + 3] = nq;
    }

    /** Golomb parameter of a run-interruption context (T.87 A.7.2.1, TEMP). */
    final int riGolombK(int riType) {
        return golombK(riN[riType], riA[riType] + ((riN[riType] >> 1) & -riType));
    }

    /** Run-interruption context update (T.87 A.7.2.2). */
    final void updateRunInterruption(int riType, int errval, int mapped) {
        if (errval < 0) {
            riNn[riType]++;
        }
        riA[riType] += (mapped + 1 - riType) >> 1;
        if (riN[riType] == reset) {
            riA[riType] >>= 1;
            riN[riType] >>= 1;
            riNn[riType] >>= 1;
        }
        riN[riType]++;
    }

    /** Whether the error-mapping of T.87 A.5.2 swaps signs for this regular context (lossless, k 0, negative bias). */
    final boolean invertedMapping(int q, int k) {
        return k == 0 && near == 0 && 2 * contexts[4 * q + 1] <= -contexts[4 * q + 3];
    }
}
