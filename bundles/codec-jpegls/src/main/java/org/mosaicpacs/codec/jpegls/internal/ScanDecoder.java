package org.mosaicpacs.codec.jpegls.internal;

import org.mosaicpacs.api.codec.CodecException;

/**
 * Decodes the entropy-coded data of one scan (T.87 Annex A, decoder side) from a byte array.
 *
 * <p>Bits are read through a 64-bit cache. A 0xFF byte in scan data is followed by a byte whose
 * first bit is a stuffed 0 (T.87 A.1); 0xFF followed by a byte of 0x80 or more is a marker, which
 * ends the data. Reading past the data supplies zero bits and counts them, so a truncated stream is
 * reported instead of read beyond its end.
 */
final class ScanDecoder extends ScanCoder {

    private final byte[] data;
    private final int end;
    private final SampleSink sink;
    /** Next byte to load into the cache. */
    private int pos;
    /** Unread bits, most significant first. */
    private long cache;
    private int validBits;
    /** The last byte loaded was 0xFF: the next one carries 7 bits. */
    private boolean afterFF;
    /** A marker or the end of the data was reached; zero bits are supplied from then on. */
    private boolean exhausted;
    /** Zero bits supplied past the data, still counted in validBits until consumed. */
    private int paddingBits;
    /** Index of the next 0xFF byte at or after pos (or end): bytes before it load without checks. */
    private int nextFF;

    ScanDecoder(CodingParameters p, byte[] quantization, byte[] data, int start, int end, SampleSink sink) {
        super(p, quantization);
        this.data = data;
        this.pos = start;
        this.end = end;
        this.sink = sink;
        this.nextFF = nextFF(start);
    }

    /** The position where the scan data ends: the next marker at or after the last byte read. */
    int endOfData() {
        return JpegLsDecoder.findMarker(data, pos, end);
    }

    @Override
    void beforeLine(int row, int component, int[] line, int offset, int stride) {
        // nothing to load: the decoder produces the samples
    }

    @Override
    void afterLine(int row, int component, int[] line, int offset, int stride) throws CodecException {
        if (validBits < paddingBits) {
            throw new CodecException("JPEG-LS scan data truncated or corrupt: ran out of data in line " + row);
        }
        sink.putLine(row, component, line, offset, stride);
    }

    @Override
    void restart(int markerIndex) throws CodecException {
        if (validBits < paddingBits) {
            throw new CodecException("JPEG-LS scan data truncated before restart marker RST" + markerIndex);
        }
        int marker = JpegLsDecoder.findMarker(data, pos, end);
        int code = marker + 1 < end ? data[marker + 1] & 0xFF : -1;
        if (code != 0xD0 + markerIndex) {
            throw new CodecException("JPEG-LS restart marker RST" + markerIndex + " expected at offset " + marker
                    + (code < 0 ? ", found end of data" : String.format(", found 0xFF%02X", code)));
        }
        pos = marker + 2;
        nextFF = nextFF(pos);
        cache = 0;
        validBits = 0;
        afterFF = false;
        exhausted = false;
        paddingBits = 0;
    }

    /** Loads bytes until the cache holds at least 57 bits. */
    private void fill() {
        // Fast path: whole bytes up to the next 0xFF need no checks.
        if (!afterFF) {
            int room = (64 - validBits) >> 3;
            if (pos + room <= nextFF) {
                long c = cache;
                int shift = 56 - validBits;
                for (int i = 0; i < room; i++, shift -= 8) {
                    c |= (long) (data[pos++] & 0xFF) << shift;
                }
                cache = c;
                validBits += room << 3;
                return;
            }
        }
        fillSlowly();
    }

    /** Byte by byte, with the 0xFF rules of T.87 A.1 and padding past the end; kept out of the hot path. */
    private void fillSlowly() {
        while (validBits <= 56) {
            if (!exhausted && pos < end) {
                int v = data[pos] & 0xFF;
                if (afterFF) {
                    // The byte after a data 0xFF carries a stuffed 0 bit and 7 data bits (checked below).
                    cache |= (long) v << (57 - validBits);
                    validBits += 7;
                    afterFF = false;
                    pos++;
                    continue;
                }
                if (v == 0xFF) {
                    if (pos + 1 >= end || (data[pos + 1] & 0x80) != 0) {
                        exhausted = true; // a marker (or a lone trailing 0xFF) ends the scan data
                        continue;
                    }
                    nextFF = nextFF(pos + 1);
                    afterFF = true;
                }
                cache |= (long) v << (56 - validBits);
                validBits += 8;
                pos++;
            } else {
                exhausted = true;
                validBits += 8;
                paddingBits += 8;
            }
        }
    }

    /** Index of the next 0xFF byte at or after {@code from}, or the end of the data. */
    private int nextFF(int from) {
        int i = from;
        while (i < end && data[i] != (byte) 0xFF) {
            i++;
        }
        return i;
    }

    private int readBit() {
        if (validBits == 0) {
            fill();
        }
        int bit = (int) (cache >>> 63);
        cache <<= 1;
        validBits--;
        return bit;
    }

    /** Reads 1..31 bits. */
    private int readBits(int count) {
        if (validBits < count) {
            fill();
        }
        int v = (int) (cache >>> (64 - count));
        cache <<= count;
        validBits -= count;
        return v;
    }

    /** Limited-length Golomb code LG(k, glimit) (T.87 A.5.3). */
    private int readGolomb(int k, int glimit) throws CodecException {
        if (validBits < 32) {
            fill();
        }
        int q = Long.numberOfLeadingZeros(cache);
        int escape = glimit - qbpp - 1;
        if (q < escape && q + 1 + k <= validBits) {
            // Common case: unary prefix, its terminating 1 and k bits all in the cache.
            long c = cache << (q + 1);
            validBits -= q + 1 + k;
            if (k == 0) {
                cache = c;
                return q;
            }
            cache = c << k;
            return q << k | (int) (c >>> (64 - k));
        }
        return readGolombSlowly(k, escape);
    }

    private int readGolombSlowly(int k, int escape) throws CodecException {
        fill(); // at least 57 bits: more than the longest prefix with its 1 (escape is at most 55)
        int q = Long.numberOfLeadingZeros(cache);
        if (q < escape) {
            cache <<= q + 1;
            validBits -= q + 1;
            return k == 0 ? q : q << k | readBits(k);
        }
        if (q == escape) {
            cache <<= q + 1;
            validBits -= q + 1;
            return readBits(qbpp) + 1;
        }
        throw corrupt("Golomb code longer than its limit " + (escape + qbpp + 1));
    }

    private CodecException corrupt(String what) {
        return new CodecException((exhausted ? "JPEG-LS scan data truncated or corrupt: " : "JPEG-LS scan data corrupt: ")
                + what);
    }

    /** Regular-mode sample (T.87 A.3 to A.6, decoder); q is the signed context. */
    private int decodeRegular(int q, int px) throws CodecException {
        int sign = q >> 31;
        int ctx = (q ^ sign) - sign;
        int k = golombK(ctx);
        int predicted = correctPrediction(px, ctx, sign);
        int mapped = readGolomb(k, limit);
        // Inverse of the error mapping of T.87 A.5.2: even -> non-negative, odd -> negative.
        int errval = (mapped >>> 1) ^ -(mapped & 1);
        if (invertedMapping(ctx, k)) {
            errval = ~errval;
        }
        updateRegular(ctx, errval);
        return reconstruct(predicted, (errval ^ sign) - sign);
    }

    /** Run-interruption error (T.87 A.7.2, decoder). */
    private int decodeRunInterruptionError(int riType) throws CodecException {
        int k = riGolombK(riType);
        int mapped = readGolomb(k, limit - J[runIndex] - 1);
        int temp = mapped + riType;
        int map = temp & 1;
        int magnitude = (temp + map) >> 1;
        boolean negativeMapsToOne = k != 0 || 2 * riNn[riType] >= riN[riType];
        int errval = negativeMapsToOne == (map == 1) ? -magnitude : magnitude;
        updateRunInterruption(riType, errval, mapped);
        return errval;
    }

    /** Length of a run (T.87 A.7.1, decoder), at most {@code remaining}. */
    private int decodeRunLength(int remaining) throws CodecException {
        int count = 0;
        while (readBit() == 1) {
            int length = 1 << J[runIndex];
            int taken = Math.min(length, remaining - count);
            count += taken;
            if (taken == length && runIndex < 31) {
                runIndex++;
            }
            if (count == remaining) {
                return count;
            }
        }
        if (J[runIndex] > 0) {
            count += readBits(J[runIndex]);
        }
        if (count > remaining) {
            throw corrupt("run of " + count + " samples exceeds the " + remaining + " left in the line");
        }
        return count;
    }

    @Override
    void codeLine(int[] prev, int[] cur, int width) throws CodecException {
        int end = width + 1;
        int x = 1;
        while (x < end) {
            int ra = cur[x - 1];
            int rb = prev[x];
            int rc = prev[x - 1];
            int rd = prev[x + 1];
            int q = context(ra, rb, rc, rd);
            if (q != 0) {
                cur[x++] = decodeRegular(q, predict(ra, rb, rc));
                continue;
            }
            int run = decodeRunLength(end - x);
            for (int i = 0; i < run; i++) {
                cur[x + i] = ra;
            }
            x += run;
            if (x == end) {
                break;
            }
            // Run interruption sample (T.87 A.7.2).
            rb = prev[x];
            if (Math.abs(ra - rb) <= near) {
                cur[x] = reconstruct(ra, decodeRunInterruptionError(1));
            } else {
                int errval = decodeRunInterruptionError(0);
                cur[x] = reconstruct(rb, rb < ra ? -errval : errval);
            }
            if (runIndex > 0) {
                runIndex--;
            }
            x++;
        }
    }

    @Override
    void codeLineInterleaved(int[] prev, int[] cur, int width, int ns) throws CodecException {
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
                    cur[s] = decodeRegular(qs[k], predict(cur[s - ns], prev[s], prev[s - ns]));
                }
                i += ns;
                continue;
            }
            // Run mode over whole pixels; interruption samples use RItype 0 for every component.
            int run = decodeRunLength((end - i) / ns);
            for (int r = 0; r < run; r++, i += ns) {
                System.arraycopy(cur, i - ns, cur, i, ns);
            }
            if (i == end) {
                break;
            }
            for (int k = 0; k < ns; k++) {
                int s = i + k;
                int ra = cur[s - ns];
                int rb = prev[s];
                int errval = decodeRunInterruptionError(0);
                cur[s] = reconstruct(rb, rb < ra ? -errval : errval);
            }
            if (runIndex > 0) {
                runIndex--;
            }
            i += ns;
        }
    }
}
