package org.mosaicpacs.codec.jpegls.internal;

import org.mosaicpacs.api.codec.CodecException;

/**
 * Encodes one scan (T.87 Annex A, encoder side) into a {@link ByteSink}. Near-lossless coding
 * replaces each sample in the line buffers by its reconstruction, so prediction uses what the
 * decoder will see.
 */
final class ScanEncoder extends ScanCoder {

    private final ByteSink out;
    private final SampleSource source;
    /** Pending bits, most significant first. */
    private long bits;
    private int bitCount;
    /** The last byte written was 0xFF: the next one carries a stuffed 0 bit and 7 data bits (T.87 A.1). */
    private boolean afterFF;

    ScanEncoder(CodingParameters p, byte[] quantization, ByteSink out, SampleSource source) {
        super(p, quantization);
        this.out = out;
        this.source = source;
    }

    @Override
    void beforeLine(int row, int component, int[] line, int offset, int stride) {
        source.getLine(row, component, line, offset, stride);
    }

    @Override
    void afterLine(int row, int component, int[] line, int offset, int stride) {
        // reconstructed samples are only needed for prediction, already in the line buffer
    }

    @Override
    void restart(int markerIndex) {
        finish();
        out.write(0xFF);
        out.write(0xD0 + markerIndex);
    }

    /** Pads the last byte with zero bits; a final 0xFF gets a following zero byte so no marker is faked. */
    void finish() {
        flush();
        if (bitCount > 0) {
            writeBits(0, (afterFF ? 7 : 8) - bitCount);
            flush();
        }
        if (afterFF) {
            out.write(0);
        }
        bits = 0;
        bitCount = 0;
        afterFF = false;
    }

    /** Appends the low {@code count} (0..32) bits of {@code value}. */
    private void writeBits(int value, int count) {
        if (count == 0) {
            return;
        }
        bits |= ((long) value & 0xFFFF_FFFFL >>> (32 - count)) << (64 - bitCount - count);
        bitCount += count;
        if (bitCount >= 32) {
            flush();
        }
    }

    /** Moves whole bytes from the bit buffer to the output, stuffing a 0 bit after each 0xFF. */
    private void flush() {
        // Fast path: four bytes at once when none of them is 0xFF and none follows one.
        while (bitCount >= 32 && !afterFF) {
            int word = (int) (bits >>> 32);
            if (hasFFByte(word)) {
                break;
            }
            out.writeInt(word);
            bits <<= 32;
            bitCount -= 32;
        }
        while (true) {
            if (afterFF) {
                if (bitCount < 7) {
                    return;
                }
                out.write((int) (bits >>> 57));
                bits <<= 7;
                bitCount -= 7;
                afterFF = false;
            } else {
                if (bitCount < 8) {
                    return;
                }
                int v = (int) (bits >>> 56);
                out.write(v);
                bits <<= 8;
                bitCount -= 8;
                afterFF = v == 0xFF;
            }
        }
    }

    /** Whether any of the four bytes of {@code word} is 0xFF (the classic has-zero-byte test on its complement). */
    private static boolean hasFFByte(int word) {
        int inverted = ~word;
        return ((inverted - 0x01010101) & ~inverted & 0x80808080) != 0;
    }

    private void writeZeros(int count) {
        while (count > 24) {
            writeBits(0, 24);
            count -= 24;
        }
        writeBits(0, count);
    }

    /** Limited-length Golomb code LG(k, glimit) (T.87 A.5.3). */
    private void writeGolomb(int k, int mapped, int glimit) {
        int q = mapped >>> k;
        int escape = glimit - qbpp - 1;
        if (q < escape) {
            int length = q + 1 + k;
            if (length <= 32) {
                writeBits(1 << k | mapped & (1 << k) - 1, length); // the prefix zeros are leading zeros
            } else {
                writeZeros(q);
                writeBits(1 << k | mapped & (1 << k) - 1, k + 1);
            }
        } else {
            writeZeros(escape);
            writeBits(1, 1);
            writeBits(mapped - 1, qbpp);
        }
    }

    /** Prediction error quantized for near-lossless coding and reduced modulo RANGE (T.87 A.4.4). */
    private int quantizeError(int errval) {
        if (near > 0) {
            errval = errval > 0 ? (errval + near) / step : -((near - errval) / step);
        }
        if (errval < 0) {
            errval += range;
        }
        if (errval >= (range + 1) / 2) {
            errval -= range;
        }
        return errval;
    }

    /** Regular-mode sample (T.87 A.3 to A.6, encoder); returns the reconstructed value. */
    private int encodeRegular(int q, int px, int x) {
        int sign = q >> 31;
        int ctx = (q ^ sign) - sign;
        int k = golombK(ctx);
        int predicted = correctPrediction(px, ctx, sign);
        int errval = quantizeError(((x - predicted) ^ sign) - sign);
        int mapped = invertedMapping(ctx, k) ? ~errval : errval;
        // Error mapping of T.87 A.5.2: non-negative -> even, negative -> odd.
        writeGolomb(k, (mapped << 1) ^ (mapped >> 31), limit);
        updateRegular(ctx, errval);
        return reconstruct(predicted, (errval ^ sign) - sign);
    }

    /** Run-interruption error (T.87 A.7.2, encoder). */
    private void encodeRunInterruptionError(int riType, int errval) {
        int k = riGolombK(riType);
        boolean map;
        if (k == 0 && errval > 0 && 2 * riNn[riType] < riN[riType]) {
            map = true;
        } else if (errval < 0 && (2 * riNn[riType] >= riN[riType] || k != 0)) {
            map = true;
        } else {
            map = false;
        }
        int mapped = 2 * Math.abs(errval) - riType - (map ? 1 : 0);
        writeGolomb(k, mapped, limit - J[runIndex] - 1);
        updateRunInterruption(riType, errval, mapped);
    }

    /** Run length (T.87 A.7.1, encoder); {@code endOfLine} when the run reached the end of the line. */
    private void encodeRunLength(int run, boolean endOfLine) {
        while (run >= 1 << J[runIndex]) {
            writeBits(1, 1);
            run -= 1 << J[runIndex];
            if (runIndex < 31) {
                runIndex++;
            }
        }
        if (endOfLine) {
            if (run > 0) {
                writeBits(1, 1);
            }
        } else {
            writeBits(run, J[runIndex] + 1); // a 0 bit, then the remainder in J[RUNindex] bits
        }
    }

    @Override
    void codeLine(int[] prev, int[] cur, int width) {
        int end = width + 1;
        int x = 1;
        while (x < end) {
            int ra = cur[x - 1];
            int rb = prev[x];
            int rc = prev[x - 1];
            int rd = prev[x + 1];
            int q = context(ra, rb, rc, rd);
            if (q != 0) {
                cur[x] = encodeRegular(q, predict(ra, rb, rc), cur[x]);
                x++;
                continue;
            }
            int start = x;
            while (x < end && Math.abs(cur[x] - ra) <= near) {
                cur[x++] = ra;
            }
            encodeRunLength(x - start, x == end);
            if (x == end) {
                break;
            }
            // Run interruption sample (T.87 A.7.2).
            rb = prev[x];
            if (Math.abs(ra - rb) <= near) {
                int errval = quantizeError(cur[x] - ra);
                encodeRunInterruptionError(1, errval);
                cur[x] = reconstruct(ra, errval);
            } else {
                int sign = rb < ra ? -1 : 1;
                int errval = quantizeError((cur[x] - rb) * sign);
                encodeRunInterruptionError(0, errval);
                cur[x] = reconstruct(rb, errval * sign);
            }
            if (runIndex > 0) {
                runIndex--;
            }
            x++;
        }
    }

    @Override
    void codeLineInterleaved(int[] prev, int[] cur, int width, int ns) {
        int[] qs = pixelContexts;
        int end = (width + 1) * ns;
        int i = ns;
        while (i < end) {
            boolean flat = true;
            for (int k = 0; k < ns; k++) {
                int s = i + k;
                int q = context(cur[s - ns], prev[s], prev[s - ns], prev[s + ns]);
                qs[k] = q;
                flat &= q == 0;
            }
            if (!flat) {
                for (int k = 0; k < ns; k++) {
                    int s = i + k;
                    cur[s] = encodeRegular(qs[k], predict(cur[s - ns], prev[s], prev[s - ns]), cur[s]);
                }
                i += ns;
                continue;
            }
            int start = i;
            while (i < end && withinNear(cur, i, ns)) {
                System.arraycopy(cur, i - ns, cur, i, ns);
                i += ns;
            }
            encodeRunLength((i - start) / ns, i == end);
            if (i == end) {
                break;
            }
            for (int k = 0; k < ns; k++) {
                int s = i + k;
                int ra = cur[s - ns];
                int rb = prev[s];
                int sign = rb < ra ? -1 : 1;
                int errval = quantizeError((cur[s] - rb) * sign);
                encodeRunInterruptionError(0, errval);
                cur[s] = reconstruct(rb, errval * sign);
            }
            if (runIndex > 0) {
                runIndex--;
            }
            i += ns;
        }
    }

    /** Whether every component of the pixel at i is within NEAR of the pixel before it. */
    private boolean withinNear(int[] cur, int i, int ns) {
        for (int k = 0; k < ns; k++) {
            if (Math.abs(cur[i + k] - cur[i + k - ns]) > near) {
                return false;
            }
        }
        return true;
    }
}
