package org.mosaicpacs.codec.jpeg.internal;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * Encodes one native frame as a JPEG interchange stream: sequential DCT with 8-bit (baseline,
 * SOF0) or 8/12-bit (extended, SOF1) samples, or lossless process 14 (SOF3) with any predictor.
 * Huffman tables are optimised for each frame (T.81 K.2), as IJG libjpeg does for 12-bit and
 * lossless data.
 */
final class JpegEncoder {

    /** T.81 Table K.1, luminance quantization table in natural order. */
    private static final int[] LUMINANCE = {
            16, 11, 10, 16, 24, 40, 51, 61,
            12, 12, 14, 19, 26, 58, 60, 55,
            14, 13, 16, 24, 40, 57, 69, 56,
            14, 17, 22, 29, 51, 87, 80, 62,
            18, 22, 37, 56, 68, 109, 103, 77,
            24, 35, 55, 64, 81, 104, 113, 92,
            49, 64, 78, 87, 103, 121, 120, 101,
            72, 92, 95, 98, 112, 100, 103, 99};

    /** T.81 Table K.2, chrominance quantization table in natural order. */
    private static final int[] CHROMINANCE = {
            17, 18, 24, 47, 99, 99, 99, 99,
            18, 21, 26, 66, 99, 99, 99, 99,
            24, 26, 56, 99, 99, 99, 99, 99,
            47, 66, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99};

    private static final byte[] JFIF = {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
    /** Adobe APP14 with transform 0: the three components are not YCbCr (they are RGB). */
    private static final byte[] ADOBE_NO_TRANSFORM = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};

    private JpegEncoder() {
    }

    /**
     * Sequential DCT encoding.
     *
     * @param baseline        write SOF0 (8-bit only) rather than SOF1
     * @param quality         IJG quality 1..100 scaling the T.81 Annex K tables
     * @param subsample       for colour input, halve the chrominance horizontally (YBR_FULL_422)
     * @param restartInterval MCUs per restart interval, 0 for none
     */
    static EncodedFrame encodeDct(ImageDescriptor image, byte[] pixels, boolean baseline, int quality,
                                  boolean subsample, int restartInterval) throws CodecException {
        int precision = image.bitsStored() <= 8 ? 8 : 12;
        int[][] planes = NativeSamples.planes(image, pixels, image.bitsStored());
        int width = image.columns();
        int height = image.rows();
        int count = planes.length;
        String pi = image.photometricInterpretation().trim();
        if (count == 3) {
            if (pi.equals("RGB")) {
                int[] ycc = new int[3];
                int[] r = planes[0];
                int[] g = planes[1];
                int[] b = planes[2];
                for (int i = 0; i < r.length; i++) {
                    ColorConversion.rgbToYcc(r[i], g[i], b[i], precision, ycc, 0);
                    r[i] = ycc[0];
                    g[i] = ycc[1];
                    b[i] = ycc[2];
                }
            }
            pi = subsample ? "YBR_FULL_422" : "YBR_FULL";
        }
        int maxH = count == 3 && subsample ? 2 : 1;
        int mcusPerLine = (width + 8 * maxH - 1) / (8 * maxH);
        int mcuRows = (height + 7) / 8;
        int paddedWidth = mcusPerLine * 8 * maxH;
        int paddedHeight = mcuRows * 8;
        int[][] blocks = new int[count][];
        int[] hFactor = new int[count];
        for (int c = 0; c < count; c++) {
            int[] full = pad(planes[c], width, height, paddedWidth, paddedHeight);
            hFactor[c] = c == 0 ? maxH : 1;
            blocks[c] = maxH / hFactor[c] == 2 ? halveHorizontally(full, paddedWidth, paddedHeight) : full;
        }
        boolean sixteenBitQuant = false;
        int[][] quant = new int[count == 3 ? 2 : 1][];
        for (int t = 0; t < quant.length; t++) {
            quant[t] = scaledTable(t == 0 ? LUMINANCE : CHROMINANCE, quality, precision == 8 ? 255 : 32767);
            for (int q : quant[t]) {
                sixteenBitQuant |= q > 255;
            }
        }

        // Quantized coefficients of every block, in the order the scan codes them.
        int blocksPerMcu = count == 3 ? maxH + 2 : 1;
        int mcuColumns = count == 1 ? (width + 7) / 8 : mcusPerLine;
        int mcuCount = mcuColumns * mcuRows;
        short[] coefficients = new short[mcuCount * blocksPerMcu * 64];
        int[] tableOfBlock = new int[blocksPerMcu];
        int[] componentOfBlock = new int[blocksPerMcu];
        for (int c = 0, k = 0; c < count; c++) {
            for (int h = 0; h < (count == 1 ? 1 : hFactor[c]); h++, k++) {
                componentOfBlock[k] = c;
                tableOfBlock[k] = c == 0 ? 0 : 1;
            }
        }
        int center = 1 << (precision - 1);
        int[] divisors0 = divisors(quant[0]);
        int[] divisors1 = quant.length > 1 ? divisors(quant[1]) : divisors0;
        int[] ws = new int[64];
        int[] out = new int[64];
        int pos = 0;
        for (int my = 0; my < mcuRows; my++) {
            for (int mx = 0; mx < mcuColumns; mx++) {
                for (int k = 0; k < blocksPerMcu; k++) {
                    int c = componentOfBlock[k];
                    int stride = paddedWidth * hFactor[c] / maxH;
                    int bx = count == 1 ? mx : mx * hFactor[c] + (k - firstBlock(componentOfBlock, c));
                    ForwardDct.transform(blocks[c], my * 8 * stride + bx * 8, stride, center,
                            tableOfBlock[k] == 0 ? divisors0 : divisors1, ws, out);
                    for (int i = 0; i < 64; i++) {
                        coefficients[pos++] = (short) out[JpegDecoder.NATURAL_ORDER[i]];
                    }
                }
            }
        }

        // Pass 1: statistics; pass 2: the bits.
        int tables = quant.length;
        long[][] dcFreq = new long[tables][256];
        long[][] acFreq = new long[tables][256];
        codeBlocks(coefficients, blocksPerMcu, componentOfBlock, tableOfBlock, restartInterval, count,
                null, null, dcFreq, acFreq, null);
        HuffmanEncoder[] dc = new HuffmanEncoder[tables];
        HuffmanEncoder[] ac = new HuffmanEncoder[tables];
        for (int t = 0; t < tables; t++) {
            dc[t] = new HuffmanEncoder(dcFreq[t]);
            ac[t] = new HuffmanEncoder(acFreq[t]);
        }

        JpegWriter w = new JpegWriter(coefficients.length / 4);
        w.marker(Markers.SOI);
        w.marker(Markers.APP0);
        w.byte2(2 + JFIF.length);
        w.bytes(JFIF);
        for (int t = 0; t < tables; t++) {
            w.marker(Markers.DQT);
            w.byte2(2 + 1 + (sixteenBitQuant ? 128 : 64));
            w.byte1((sixteenBitQuant ? 0x10 : 0) | t);
            for (int k = 0; k < 64; k++) {
                int q = quant[t][JpegDecoder.NATURAL_ORDER[k]];
                if (sixteenBitQuant) {
                    w.byte2(q);
                } else {
                    w.byte1(q);
                }
            }
        }
        w.marker(baseline ? Markers.SOF0 : Markers.SOF1);
        w.byte2(8 + 3 * count);
        w.byte1(precision);
        w.byte2(height);
        w.byte2(width);
        w.byte1(count);
        for (int c = 0; c < count; c++) {
            w.byte1(c + 1);
            w.byte1(hFactor[c] << 4 | 1);
            w.byte1(c == 0 ? 0 : 1);
        }
        writeHuffmanTables(w, dc, ac);
        writeRestartInterval(w, restartInterval);
        w.marker(Markers.SOS);
        w.byte2(6 + 2 * count);
        w.byte1(count);
        for (int c = 0; c < count; c++) {
            w.byte1(c + 1);
            w.byte1(c == 0 ? 0x00 : 0x11);
        }
        w.byte1(0);
        w.byte1(63);
        w.byte1(0);
        codeBlocks(coefficients, blocksPerMcu, componentOfBlock, tableOfBlock, restartInterval, count,
                dc, ac, null, null, w);
        w.marker(Markers.EOI);
        ImageDescriptor encoded = image.withPhotometricInterpretation(pi);
        if (count > 1) {
            encoded = encoded.withPlanarConfiguration(0);
        }
        return new EncodedFrame(w.toByteArray(), encoded, true);
    }

    private static int firstBlock(int[] componentOfBlock, int c) {
        int k = 0;
        while (componentOfBlock[k] != c) {
            k++;
        }
        return k;
    }

    /** IJG jcparam.c quality scaling of a T.81 Annex K table. */
    private static int[] scaledTable(int[] base, int quality, int max) {
        int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        int[] table = new int[64];
        for (int i = 0; i < 64; i++) {
            table[i] = Math.max(1, Math.min(max, (base[i] * scale + 50) / 100));
        }
        return table;
    }

    private static int[] divisors(int[] quant) {
        int[] d = new int[64];
        for (int i = 0; i < 64; i++) {
            d[i] = quant[i] << 3;
        }
        return d;
    }

    /** Copies a plane into a larger one, repeating the last column and row (T.81 A.2.4). */
    private static int[] pad(int[] plane, int width, int height, int paddedWidth, int paddedHeight) {
        int[] out = new int[paddedWidth * paddedHeight];
        for (int y = 0; y < paddedHeight; y++) {
            int src = Math.min(y, height - 1) * width;
            int dst = y * paddedWidth;
            System.arraycopy(plane, src, out, dst, width);
            int last = plane[src + width - 1];
            for (int x = width; x < paddedWidth; x++) {
                out[dst + x] = last;
            }
        }
        return out;
    }

    /** 2:1 horizontal averaging with alternating rounding bias, as libjpeg's h2v1_downsample. */
    private static int[] halveHorizontally(int[] plane, int width, int height) {
        int half = width / 2;
        int[] out = new int[half * height];
        for (int y = 0; y < height; y++) {
            int src = y * width;
            int dst = y * half;
            for (int x = 0; x < half; x++) {
                out[dst + x] = (plane[src + 2 * x] + plane[src + 2 * x + 1] + (x & 1)) >> 1;
            }
        }
        return out;
    }

    /**
     * Codes (or, with {@code writer} null, counts the symbols of) every block (T.81 F.1.2).
     */
    private static void codeBlocks(short[] coefficients, int blocksPerMcu, int[] componentOfBlock, int[] tableOfBlock,
                                   int restartInterval, int count, HuffmanEncoder[] dc, HuffmanEncoder[] ac,
                                   long[][] dcFreq, long[][] acFreq, JpegWriter writer) {
        int[] predictors = new int[count];
        int mcus = coefficients.length / (64 * blocksPerMcu);
        int pos = 0;
        int restartIndex = 0;
        for (int mcu = 0; mcu < mcus; mcu++) {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
                java.util.Arrays.fill(predictors, 0);
                if (writer != null) {
                    writer.flushBits();
                    writer.marker(Markers.RST0 + restartIndex);
                }
                restartIndex = (restartIndex + 1) & 7;
            }
            for (int k = 0; k < blocksPerMcu; k++, pos += 64) {
                int c = componentOfBlock[k];
                int t = tableOfBlock[k];
                int diff = coefficients[pos] - predictors[c];
                predictors[c] = coefficients[pos];
                int s = category(diff);
                if (writer == null) {
                    dcFreq[t][s]++;
                } else {
                    writer.bits(dc[t].code[s], dc[t].size[s]);
                    writer.bits(diff < 0 ? diff - 1 : diff, s);
                }
                int run = 0;
                for (int i = 1; i < 64; i++) {
                    int v = coefficients[pos + i];
                    if (v == 0) {
                        run++;
                        continue;
                    }
                    while (run > 15) {
                        if (writer == null) {
                            acFreq[t][0xF0]++;
                        } else {
                            writer.bits(ac[t].code[0xF0], ac[t].size[0xF0]);
                        }
                        run -= 16;
                    }
                    int size = category(v);
                    int rs = run << 4 | size;
                    if (writer == null) {
                        acFreq[t][rs]++;
                    } else {
                        writer.bits(ac[t].code[rs], ac[t].size[rs]);
                        writer.bits(v < 0 ? v - 1 : v, size);
                    }
                    run = 0;
                }
                if (run > 0) {
                    if (writer == null) {
                        acFreq[t][0]++;
                    } else {
                        writer.bits(ac[t].code[0], ac[t].size[0]);
                    }
                }
            }
        }
        if (writer != null) {
            writer.flushBits();
        }
    }

    /** T.81 F.1.2.1.1 / H.1.2.2: the magnitude category (SSSS) of a value. */
    private static int category(int v) {
        return 32 - Integer.numberOfLeadingZeros(v < 0 ? -v : v);
    }

    private static void writeHuffmanTables(JpegWriter w, HuffmanEncoder[] dc, HuffmanEncoder[] ac) {
        int length = 2;
        for (int t = 0; t < dc.length; t++) {
            length += 1 + dc[t].length() + (ac == null ? 0 : 1 + ac[t].length());
        }
        w.marker(Markers.DHT);
        w.byte2(length);
        for (int t = 0; t < dc.length; t++) {
            w.byte1(t);
            dc[t].writeTo(w);
            if (ac != null) {
                w.byte1(0x10 | t);
                ac[t].writeTo(w);
            }
        }
    }

    private static void writeRestartInterval(JpegWriter w, int restartInterval) {
        if (restartInterval > 0) {
            w.marker(Markers.DRI);
            w.byte2(4);
            w.byte2(restartInterval);
        }
    }

    /**
     * Lossless process 14 encoding (T.81 H.1) without point transform.
     *
     * @param predictor       selection value 1..7 (T.81 Table H.1)
     * @param restartInterval MCUs per restart interval (a multiple of the columns), 0 for none
     */
    static EncodedFrame encodeLossless(ImageDescriptor image, byte[] pixels, int predictor, int restartInterval)
            throws CodecException {
        int precision = Math.max(2, image.bitsStored());
        int[][] planes = NativeSamples.planes(image, pixels, precision);
        int width = image.columns();
        int height = image.rows();
        int count = planes.length;
        if (restartInterval % width != 0) {
            throw new IllegalArgumentException("lossless restart interval must be whole rows");
        }
        int restartRows = restartInterval / width;
        // Differences in scan order: sample by sample, components interleaved.
        int[] diffs = new int[width * height * count];
        int initial = 1 << (precision - 1);
        for (int c = 0; c < count; c++) {
            int[] s = planes[c];
            for (int y = 0; y < height; y++) {
                boolean first = y == 0 || restartRows > 0 && y % restartRows == 0;
                int row = y * width;
                for (int x = 0; x < width; x++) {
                    int prediction;
                    if (first) {
                        prediction = x == 0 ? initial : s[row + x - 1];
                    } else if (x == 0) {
                        prediction = s[row - width];
                    } else {
                        int ra = s[row + x - 1];
                        int rb = s[row - width + x];
                        int rc = s[row - width + x - 1];
                        prediction = switch (predictor) {
                            case 1 -> ra;
                            case 2 -> rb;
                            case 3 -> rc;
                            case 4 -> ra + rb - rc;
                            case 5 -> ra + ((rb - rc) >> 1);
                            case 6 -> rb + ((ra - rc) >> 1);
                            default -> (ra + rb) >> 1;
                        };
                    }
                    // T.81 H.1.2.2: differences modulo 2^16, 32768 coded as category 16
                    int d = (s[row + x] - prediction) & 0xFFFF;
                    diffs[(row + x) * count + c] = d == 0x8000 ? 0x8000 : d > 0x8000 ? d - 0x10000 : d;
                }
            }
        }
        long[][] freq = new long[count][256];
        for (int c = 0; c < count; c++) {
            long[] f = freq[c];
            for (int i = c; i < diffs.length; i += count) {
                f[losslessCategory(diffs[i])]++;
            }
        }
        HuffmanEncoder[] tables = new HuffmanEncoder[count];
        for (int c = 0; c < count; c++) {
            tables[c] = new HuffmanEncoder(freq[c]);
        }
        boolean rgb = count == 3 && image.photometricInterpretation().trim().equals("RGB");
        JpegWriter w = new JpegWriter(diffs.length);
        w.marker(Markers.SOI);
        if (rgb) {
            w.marker(Markers.APP14);
            w.byte2(2 + ADOBE_NO_TRANSFORM.length);
            w.bytes(ADOBE_NO_TRANSFORM);
        }
        w.marker(Markers.SOF3);
        w.byte2(8 + 3 * count);
        w.byte1(precision);
        w.byte2(height);
        w.byte2(width);
        w.byte1(count);
        int[] ids = rgb ? new int[] {'R', 'G', 'B'} : new int[] {1, 2, 3};
        for (int c = 0; c < count; c++) {
            w.byte1(ids[c]);
            w.byte1(0x11);
            w.byte1(0);
        }
        writeHuffmanTables(w, tables, null);
        writeRestartInterval(w, restartInterval);
        w.marker(Markers.SOS);
        w.byte2(6 + 2 * count);
        w.byte1(count);
        for (int c = 0; c < count; c++) {
            w.byte1(ids[c]);
            w.byte1(c << 4);
        }
        w.byte1(predictor);
        w.byte1(0);
        w.byte1(0);
        int perRestart = restartInterval * count;
        int restartIndex = 0;
        for (int i = 0; i < diffs.length; i++) {
            if (perRestart > 0 && i > 0 && i % perRestart == 0) {
                w.flushBits();
                w.marker(Markers.RST0 + restartIndex);
                restartIndex = (restartIndex + 1) & 7;
            }
            int d = diffs[i];
            HuffmanEncoder t = tables[count == 1 ? 0 : i % count];
            int s = losslessCategory(d);
            int extra = s == 16 ? 0 : s;
            w.bits(t.code[s] << extra | (d < 0 ? d - 1 : d) & ((1 << extra) - 1), t.size[s] + extra);
        }
        w.flushBits();
        w.marker(Markers.EOI);
        ImageDescriptor encoded = count > 1 ? image.withPlanarConfiguration(0) : image;
        return new EncodedFrame(w.toByteArray(), encoded, false);
    }

    private static int losslessCategory(int d) {
        return d == 0x8000 ? 16 : category(d);
    }
}
