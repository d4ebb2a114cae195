package org.mosaicpacs.codec.jpeg.internal;

import java.util.Arrays;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * Decodes one JPEG frame (ITU T.81 interchange format): Huffman-coded sequential DCT with 8 or 12
 * bits (processes 1, 2 and 4) and lossless (process 14, any predictor and point transform, 2 to 16
 * bits), interleaved or in several scans, with restart intervals and DNL. What the stream says
 * decides the process, predictor and precision, not the transfer syntax, as in DCMTK.
 *
 * <p>One instance decodes one frame; it is not thread-safe and not reused.
 */
final class JpegDecoder {

    /** Zig-zag index to natural index (T.81 Figure A.6), padded like libjpeg for run-lengths past 63. */
    static final int[] NATURAL_ORDER = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
            12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
            35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
            58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
            63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63};

    /** Most blocks (or samples) one MCU may have (T.81 B.2.3). */
    private static final int MAX_BLOCKS_IN_MCU = 10;

    private final byte[] data;
    private final int end;
    private final ImageDescriptor image;

    private final int[][] quantTables = new int[4][];
    private final HuffmanTable[] dcTables = new HuffmanTable[4];
    private final HuffmanTable[] acTables = new HuffmanTable[4];
    private int restartInterval;

    private int frameMarker = -1;
    private boolean lossless;
    private int precision;
    private int width;
    private int height;
    private Component[] components;
    private int maxH;
    private int maxV;
    private int mcusPerLine;
    private int mcuRows;

    /** One image component of the frame (T.81 B.2.2) and the samples decoded for it. */
    private static final class Component {
        int id;
        int h;
        int v;
        int quantSelector;
        /** Real size of the component (libjpeg downsampled_width/height). */
        int width;
        int height;
        /** Its plane covers whole MCUs; for DCT frames in samples, a multiple of 8. */
        int stride;
        int rows;
        int[] samples;
        int[] quant;
        /** Lossless point transform Pt of the scan that coded the component. */
        int pointTransform;
        boolean decoded;
    }

    private JpegDecoder(byte[] data, int end, ImageDescriptor image) {
        this.data = data;
        this.end = end;
        this.image = image;
    }

    /**
     * Decodes a frame.
     *
     * @param frame    the compressed frame (trailing padding after EOI allowed)
     * @param image    the image parameters stated by the data set
     * @param ybrToRgb convert lossy frames whose Photometric Interpretation is YBR_* to RGB
     */
    static DecodedFrame decode(byte[] frame, ImageDescriptor image, boolean ybrToRgb) throws CodecException {
        JpegDecoder decoder = new JpegDecoder(frame, frame.length, image);
        decoder.readStream();
        return decoder.output(ybrToRgb);
    }

    /**
     * The offset of the 0xFF of the first marker at or after {@code p} (T.81 B.1.1.2: any number of
     * 0xFF fill bytes may precede a marker; libjpeg skips other stray bytes with a warning).
     *
     * @return the offset, or {@code end} when no marker follows
     */
    static int findMarker(byte[] data, int p, int end) {
        while (p + 1 < end) {
            if (data[p] != (byte) 0xFF) {
                p++;
                continue;
            }
            int q = p + 1;
            while (q < end && data[q] == (byte) 0xFF) {
                q++;
            }
            if (q >= end) {
                return end;
            }
            if (data[q] != 0) {
                return q - 1;
            }
            p = q + 1;
        }
        return end;
    }

    private void readStream() throws CodecException {
        if (end < 2 || data[0] != (byte) 0xFF || data[1] != (byte) Markers.SOI) {
            throw new CodecException("not a JPEG stream: the frame does not start with an SOI marker (FFD8)");
        }
        int pos = 2;
        while (true) {
            pos = findMarker(data, pos, end);
            if (pos >= end) {
                // A stream without EOI is accepted once every component has been decoded.
                return;
            }
            int marker = data[pos + 1] & 0xFF;
            pos += 2;
            if (marker == Markers.EOI) {
                return;
            }
            if (marker == Markers.SOI) {
                throw new CodecException("corrupt JPEG: second SOI marker inside the frame");
            }
            if (marker >= Markers.RST0 && marker <= Markers.RST7 || marker == Markers.TEM) {
                continue; // stand-alone markers outside a scan carry nothing (libjpeg ignores them)
            }
            if (pos + 2 > end) {
                throw new CodecException(String.format("truncated JPEG: marker 0x%02X has no length", marker));
            }
            int length = (data[pos] & 0xFF) << 8 | data[pos + 1] & 0xFF;
            if (length < 2 || pos + length > end) {
                throw new CodecException(String.format(
                        "truncated JPEG: marker segment 0x%02X of length %d exceeds the data", marker, length));
            }
            int segEnd = pos + length;
            int body = pos + 2;
            switch (marker) {
                case Markers.SOF0, Markers.SOF1, Markers.SOF3 -> readFrameHeader(marker, body, segEnd);
                case Markers.DHT -> readHuffmanTables(body, segEnd);
                case Markers.DQT -> readQuantTables(body, segEnd);
                case Markers.DRI -> {
                    if (length != 4) {
                        throw new CodecException("corrupt JPEG: DRI segment length " + length + " (must be 4)");
                    }
                    restartInterval = (data[body] & 0xFF) << 8 | data[body + 1] & 0xFF;
                }
                case Markers.SOS -> {
                    pos = readScan(body, segEnd);
                    continue;
                }
                case Markers.DNL -> checkDnl(body, segEnd);
                case Markers.DHP, Markers.EXP -> throw new CodecException(
                        "unsupported JPEG: hierarchical process (DHP/EXP markers)");
                default -> {
                    if (marker >= Markers.SOF0 && marker <= Markers.SOF15 && marker != Markers.DHT
                            && marker != Markers.JPG && marker != Markers.DAC) {
                        throw new CodecException(String.format("unsupported JPEG process: SOF%d (%s)",
                                marker - Markers.SOF0, describeSof(marker)));
                    }
                    // APPn (JFIF, Adobe APP14, ...), COM and the like: DICOM's Photometric
                    // Interpretation, not these, says what the components are (PS3.5 8.2.1).
                }
            }
            pos = segEnd;
        }
    }

    private static String describeSof(int marker) {
        return switch (marker) {
            case 0xC2 -> "progressive DCT";
            case 0xC5, 0xC6, 0xC7 -> "differential (hierarchical)";
            default -> marker >= 0xC9 ? "arithmetic coding" : "not defined";
        };
    }

    private void readFrameHeader(int marker, int p, int segEnd) throws CodecException {
        if (frameMarker >= 0) {
            throw new CodecException("corrupt JPEG: more than one frame header (SOF) in a frame");
        }
        if (segEnd - p < 6) {
            throw new CodecException("corrupt JPEG: SOF segment too short");
        }
        frameMarker = marker;
        lossless = marker == Markers.SOF3;
        precision = data[p] & 0xFF;
        height = (data[p + 1] & 0xFF) << 8 | data[p + 2] & 0xFF;
        width = (data[p + 3] & 0xFF) << 8 | data[p + 4] & 0xFF;
        int count = data[p + 5] & 0xFF;
        if (lossless ? precision < 2 || precision > 16 : precision != 8 && precision != 12) {
            throw new CodecException("unsupported JPEG: sample precision " + precision + " for "
                    + (lossless ? "lossless (2..16)" : "DCT (8 or 12)"));
        }
        if (width == 0) {
            throw new CodecException("corrupt JPEG: frame header has zero samples per line");
        }
        if (count < 1 || count > 4 || segEnd - p != 6 + 3 * count) {
            throw new CodecException("corrupt JPEG: SOF segment with " + count + " components has length "
                    + (segEnd - p + 2));
        }
        if (width != image.columns() || height != 0 && height != image.rows()) {
            throw new CodecException("JPEG frame is " + width + "x" + height + " but the data set says "
                    + image.columns() + "x" + image.rows());
        }
        if (count != image.samplesPerPixel()) {
            throw new CodecException("JPEG frame has " + count + " components but Samples per Pixel is "
                    + image.samplesPerPixel());
        }
        int bitsAllocated = image.bitsAllocated();
        if (precision > bitsAllocated || bitsAllocated != 8 && bitsAllocated != 16) {
            throw new CodecException("JPEG precision " + precision + " does not fit Bits Allocated " + bitsAllocated);
        }
        components = new Component[count];
        for (int i = 0; i < count; i++) {
            Component c = new Component();
            int q = p + 6 + 3 * i;
            c.id = data[q] & 0xFF;
            c.h = (data[q + 1] & 0xFF) >> 4;
            c.v = data[q + 1] & 0x0F;
            c.quantSelector = data[q + 2] & 0xFF;
            if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.quantSelector > 3) {
                throw new CodecException("corrupt JPEG: component " + c.id + " has sampling " + c.h + "x" + c.v
                        + " and quantization table " + c.quantSelector);
            }
            maxH = Math.max(maxH, c.h);
            maxV = Math.max(maxV, c.v);
            components[i] = c;
        }
        for (Component c : components) {
            // libjpeg only upsamples by integral factors (jdsample.c)
            if (maxH % c.h != 0 || maxV % c.v != 0) {
                throw new CodecException("unsupported JPEG: non-integral sampling factors " + c.h + "x" + c.v
                        + " against " + maxH + "x" + maxV);
            }
        }
        if (height != 0) {
            layoutComponents();
        }
    }

    private void layoutComponents() throws CodecException {
        int unit = lossless ? 1 : 8;
        mcusPerLine = ceilDiv(width, unit * maxH);
        mcuRows = ceilDiv(height, unit * maxV);
        for (Component c : components) {
            c.width = ceilDiv(width * c.h, maxH);
            c.height = ceilDiv(height * c.v, maxV);
            c.stride = mcusPerLine * c.h * unit;
            c.rows = mcuRows * c.v * unit;
            if ((long) c.stride * c.rows > Integer.MAX_VALUE - 8) {
                throw new CodecException("JPEG frame of " + width + "x" + height + " is too large to decode");
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private void readHuffmanTables(int p, int segEnd) throws CodecException {
        while (p < segEnd) {
            int tcth = data[p++] & 0xFF;
            int tableClass = tcth >> 4;
            int id = tcth & 0x0F;
            if (tableClass > 1 || id > 3) {
                throw new CodecException("corrupt JPEG: DHT defines table class " + tableClass + " id " + id);
            }
            HuffmanTable table = HuffmanTable.read(data, p, segEnd);
            p += table.encodedLength();
            (tableClass == 0 ? dcTables : acTables)[id] = table;
        }
    }

    private void readQuantTables(int p, int segEnd) throws CodecException {
        while (p < segEnd) {
            int pqtq = data[p++] & 0xFF;
            int sixteenBit = pqtq >> 4;
            int id = pqtq & 0x0F;
            if (sixteenBit > 1 || id > 3) {
                throw new CodecException("corrupt JPEG: DQT defines table precision " + sixteenBit + " id " + id);
            }
            int size = sixteenBit == 1 ? 128 : 64;
            if (p + size > segEnd) {
                throw new CodecException("corrupt JPEG: DQT segment too short");
            }
            int[] table = new int[64];
            for (int k = 0; k < 64; k++) {
                int value = sixteenBit == 1 ? (data[p + 2 * k] & 0xFF) << 8 | data[p + 2 * k + 1] & 0xFF
                        : data[p + k] & 0xFF;
                table[NATURAL_ORDER[k]] = value;
            }
            p += size;
            quantTables[id] = table;
        }
    }

    private void checkDnl(int p, int segEnd) throws CodecException {
        if (segEnd - p != 2) {
            throw new CodecException("corrupt JPEG: DNL segment length " + (segEnd - p + 2) + " (must be 4)");
        }
        int lines = (data[p] & 0xFF) << 8 | data[p + 1] & 0xFF;
        if (frameMarker < 0 || lines != height) {
            throw new CodecException("corrupt JPEG: DNL says " + lines + " lines, the frame has " + height);
        }
    }

    /**
     * T.81 B.2.5: a frame header with zero lines takes the number from the DNL segment that must
     * follow the first scan. Finds it ahead of decoding (entropy-coded data cannot contain FFDC).
     */
    private void resolveLinesFromDnl(int scanData) throws CodecException {
        int p = scanData;
        while (true) {
            p = findMarker(data, p, end);
            if (p + 1 >= end) {
                throw new CodecException("corrupt JPEG: frame header has zero lines and no DNL marker follows");
            }
            int marker = data[p + 1] & 0xFF;
            if (marker >= Markers.RST0 && marker <= Markers.RST7) {
                p += 2;
                continue;
            }
            if (marker != Markers.DNL || p + 6 > end) {
                throw new CodecException("corrupt JPEG: frame header has zero lines and no DNL marker follows");
            }
            int lines = (data[p + 4] & 0xFF) << 8 | data[p + 5] & 0xFF;
            if (lines != image.rows()) {
                throw new CodecException("JPEG DNL says " + lines + " lines but the data set says " + image.rows());
            }
            height = lines;
            layoutComponents();
            return;
        }
    }

    /** Reads a scan header and decodes its entropy-coded data; returns where the next marker is. */
    private int readScan(int p, int segEnd) throws CodecException {
        if (frameMarker < 0) {
            throw new CodecException("corrupt JPEG: scan (SOS) before the frame header (SOF)");
        }
        int count = segEnd - p >= 1 ? data[p] & 0xFF : 0;
        if (count < 1 || count > 4 || segEnd - p != 4 + 2 * count) {
            throw new CodecException("corrupt JPEG: SOS segment with " + count + " components has length "
                    + (segEnd - p + 2));
        }
        Component[] scan = new Component[count];
        HuffmanTable[] dc = new HuffmanTable[count];
        HuffmanTable[] ac = new HuffmanTable[count];
        for (int i = 0; i < count; i++) {
            int id = data[p + 1 + 2 * i] & 0xFF;
            int tables = data[p + 2 + 2 * i] & 0xFF;
            for (Component c : components) {
                if (c.id == id) {
                    scan[i] = c;
                    break;
                }
            }
            if (scan[i] == null) {
                throw new CodecException("corrupt JPEG: scan refers to component " + id + " not in the frame");
            }
            for (int j = 0; j < i; j++) {
                if (scan[j] == scan[i]) {
                    throw new CodecException("corrupt JPEG: component " + id + " appears twice in one scan");
                }
            }
            dc[i] = table(dcTables, tables >> 4, "DC");
            ac[i] = lossless ? null : table(acTables, tables & 0x0F, "AC");
            // libjpeg's jpeg_make_d_derived_tbl: DC categories are 0..15 (16 for lossless differences)
            if (dc[i].maxSymbol > (lossless ? 16 : 15)) {
                throw new CodecException("corrupt JPEG: DC Huffman table holds category " + dc[i].maxSymbol);
            }
        }
        int ss = data[segEnd - 3] & 0xFF;
        int se = data[segEnd - 2] & 0xFF;
        int ah = (data[segEnd - 1] & 0xFF) >> 4;
        int al = data[segEnd - 1] & 0x0F;
        if (height == 0) {
            resolveLinesFromDnl(segEnd);
        }
        int blocksInMcu = 0;
        for (Component c : scan) {
            blocksInMcu += count == 1 ? 1 : c.h * c.v;
            if (c.samples == null) {
                c.samples = new int[c.stride * c.rows];
            }
        }
        if (blocksInMcu > MAX_BLOCKS_IN_MCU) {
            throw new CodecException("corrupt JPEG: " + blocksInMcu + " blocks in one MCU (at most 10)");
        }
        EntropyDecoder entropy = new EntropyDecoder(data, segEnd, end);
        if (lossless) {
            // libjpeg jdpred.c: Ss is the predictor 1..7, Se and Ah are zero, Al is the point transform
            if (ss < 1 || ss > 7 || se != 0 || ah != 0 || al >= precision) {
                throw new CodecException("corrupt JPEG: lossless scan with predictor " + ss + ", Se " + se
                        + ", Ah " + ah + ", point transform " + al);
            }
            new LosslessScan(entropy, scan, dc, ss, al, precision, restartInterval,
                    count == 1 ? scan[0].width : mcusPerLine, count == 1 ? scan[0].height : mcuRows).decode();
        } else {
            // Ss/Se/Ah/Al other than 0/63/0/0 are tolerated as libjpeg does (some encoders write zeros).
            for (Component c : scan) {
                int[] q = quantTables[c.quantSelector];
                if (q == null) {
                    throw new CodecException("corrupt JPEG: quantization table " + c.quantSelector
                            + " of component " + c.id + " is not defined");
                }
                c.quant = q.clone(); // libjpeg latches the table when the component's scan starts
            }
            decodeDctScan(entropy, scan, dc, ac);
        }
        for (Component c : scan) {
            c.decoded = true;
        }
        return entropy.finishSegment();
    }

    private static HuffmanTable table(HuffmanTable[] tables, int id, String kind) throws CodecException {
        if (id > 3 || tables[id] == null) {
            throw new CodecException("corrupt JPEG: scan uses " + kind + " Huffman table " + id + " which is not defined");
        }
        return tables[id];
    }

    /** Sequential DCT scan, Huffman coded (T.81 F.2.2). */
    private void decodeDctScan(EntropyDecoder entropy, Component[] scan, HuffmanTable[] dc, HuffmanTable[] ac)
            throws CodecException {
        InverseDct idct = InverseDct.forPrecision(precision);
        short[] coef = new short[64];
        int[] workspace = new int[64];
        int[] predictors = new int[scan.length];
        int mcuColumns;
        int mcuLines;
        if (scan.length == 1) {
            mcuColumns = ceilDiv(scan[0].width, 8);
            mcuLines = ceilDiv(scan[0].height, 8);
        } else {
            mcuColumns = mcusPerLine;
            mcuLines = mcuRows;
        }
        int restartsToGo = restartInterval;
        int nextRestart = 0;
        for (int my = 0; my < mcuLines; my++) {
            for (int mx = 0; mx < mcuColumns; mx++) {
                if (restartInterval != 0) {
                    if (restartsToGo == 0) {
                        entropy.restart(nextRestart);
                        nextRestart = (nextRestart + 1) & 7;
                        Arrays.fill(predictors, 0);
                        restartsToGo = restartInterval;
                    }
                    restartsToGo--;
                }
                for (int i = 0; i < scan.length; i++) {
                    Component c = scan[i];
                    int bh = scan.length == 1 ? 1 : c.h;
                    int bv = scan.length == 1 ? 1 : c.v;
                    for (int by = 0; by < bv; by++) {
                        for (int bx = 0; bx < bh; bx++) {
                            predictors[i] = decodeBlock(entropy, dc[i], ac[i], coef, predictors[i]);
                            int offset = ((my * bv + by) * c.stride + (mx * bh + bx)) * 8;
                            idct.transform(coef, c.quant, workspace, c.samples, offset, c.stride);
                            Arrays.fill(coef, (short) 0);
                        }
                    }
                }
                if (entropy.overrun()) {
                    throw truncated(my, mcuLines);
                }
            }
        }
    }

    private static CodecException truncated(int mcuRow, int mcuRows) {
        return new CodecException("truncated or corrupt JPEG: entropy-coded data end in MCU row " + (mcuRow + 1)
                + " of " + mcuRows);
    }

    /** One 8x8 block's coefficients (T.81 F.2.2.1, F.2.2.2), as libjpeg's jdhuff.c stores them. */
    private static int decodeBlock(EntropyDecoder entropy, HuffmanTable dc, HuffmanTable ac, short[] coef,
                                   int predictor) throws CodecException {
        int dcValue = predictor + entropy.decodeValue(dc); // DC tables hold categories up to 15 only
        coef[0] = (short) dcValue;
        for (int k = 1; k < 64; k++) {
            int symbolAndValue = entropy.decodeAc(ac);
            int run = symbolAndValue >>> 20;
            if ((symbolAndValue & 0x0F0000) != 0) {
                k += run;
                coef[NATURAL_ORDER[k]] = (short) symbolAndValue;
            } else if (run == 15) {
                k += 15;
            } else {
                break;
            }
        }
        return dcValue;
    }

    /** Assembles the native frame: upsampling, colour conversion, sample width and layout. */
    private DecodedFrame output(boolean ybrToRgb) throws CodecException {
        if (frameMarker < 0) {
            throw new CodecException("truncated JPEG: no frame header (SOF) before the data end");
        }
        for (Component c : components) {
            if (!c.decoded) {
                throw new CodecException("truncated JPEG: no scan for component " + c.id + " before the data end");
            }
        }
        int count = components.length;
        int[][] planes = new int[count][];
        int[] strides = new int[count];
        for (int i = 0; i < count; i++) {
            Component c = components[i];
            if (c.h == maxH && c.v == maxV) {
                planes[i] = c.samples;
                strides[i] = c.stride;
            } else {
                planes[i] = Upsampler.upsample(c.samples, c.stride, c.width, c.height, maxH / c.h, maxV / c.v,
                        !lossless, width, height);
                strides[i] = width;
            }
            if (lossless) {
                // libjpeg jdscale.c: shift back by Pt into a JSAMPLE (8 bits up to precision 8, else 16)
                int mask = precision <= 8 ? 0xFF : 0xFFFF;
                int pt = c.pointTransform;
                int[] plane = planes[i];
                for (int y = 0; y < height; y++) {
                    for (int x = y * strides[i], stop = x + width; x < stop; x++) {
                        plane[x] = plane[x] << pt & mask;
                    }
                }
            }
        }
        String pi = image.photometricInterpretation().trim();
        boolean ybr = pi.equals("YBR_FULL") || pi.equals("YBR_FULL_422") || pi.equals("YBR_PARTIAL_422");
        if (count == 3 && ybr) {
            if (!lossless && ybrToRgb) {
                ColorConversion.yccToRgb(planes, strides, width, height, precision);
                pi = "RGB";
            } else {
                pi = "YBR_FULL"; // upsampled: the 4:2:2 layout no longer applies
            }
        }
        boolean wide = image.bitsAllocated() == 16;
        byte[] out = new byte[width * height * count * (wide ? 2 : 1)];
        int o = 0;
        if (count == 1) {
            int[] plane = planes[0];
            for (int y = 0; y < height; y++) {
                for (int x = y * strides[0], stop = x + width; x < stop; x++) {
                    int v = plane[x];
                    out[o++] = (byte) v;
                    if (wide) {
                        out[o++] = (byte) (v >> 8);
                    }
                }
            }
        } else {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int i = 0; i < count; i++) {
                        int v = planes[i][y * strides[i] + x];
                        out[o++] = (byte) v;
                        if (wide) {
                            out[o++] = (byte) (v >> 8);
                        }
                    }
                }
            }
        }
        ImageDescriptor described = image.withPhotometricInterpretation(pi);
        if (count > 1) {
            described = described.withPlanarConfiguration(0);
        }
        return new DecodedFrame(out, described);
    }

    /** Lossless scan (T.81 H.2), undifferenced row by row as libjpeg's jddiffct.c/jdpred.c do. */
    private static final class LosslessScan {
        private final EntropyDecoder entropy;
        private final Component[] scan;
        private final HuffmanTable[] tables;
        private final int predictor;
        private final int pointTransform;
        private final int precision;
        private final int restartInterval;
        private final int mcuColumns;
        private final int mcuLines;

        LosslessScan(EntropyDecoder entropy, Component[] scan, HuffmanTable[] tables, int predictor,
                     int pointTransform, int precision, int restartInterval, int mcuColumns, int mcuLines) {
            this.entropy = entropy;
            this.scan = scan;
            this.tables = tables;
            this.predictor = predictor;
            this.pointTransform = pointTransform;
            this.precision = precision;
            this.restartInterval = restartInterval;
            this.mcuColumns = mcuColumns;
            this.mcuLines = mcuLines;
        }

        void decode() throws CodecException {
            // libjpeg requires restart intervals of whole MCU rows in lossless mode (jddiffct.c)
            if (restartInterval % mcuColumns != 0) {
                throw new CodecException("unsupported JPEG: lossless restart interval " + restartInterval
                        + " is not a multiple of the " + mcuColumns + " MCUs per row");
            }
            boolean single = scan.length == 1;
            int[][][] diffs = new int[scan.length][][];
            boolean[] firstRow = new boolean[scan.length];
            for (int i = 0; i < scan.length; i++) {
                Component c = scan[i];
                c.pointTransform = pointTransform;
                int bh = single ? 1 : c.h;
                int bv = single ? 1 : c.v;
                diffs[i] = new int[bv][mcuColumns * bh];
                firstRow[i] = true;
            }
            int restartRows = restartInterval / mcuColumns;
            int rowsToGo = restartRows;
            int nextRestart = 0;
            for (int my = 0; my < mcuLines; my++) {
                if (restartInterval != 0) {
                    if (rowsToGo == 0) {
                        entropy.restart(nextRestart);
                        nextRestart = (nextRestart + 1) & 7;
                        Arrays.fill(firstRow, true);
                        rowsToGo = restartRows;
                    }
                    rowsToGo--;
                }
                if (single) {
                    int[] row = diffs[0][0];
                    HuffmanTable table = tables[0];
                    for (int mx = 0; mx < mcuColumns; mx++) {
                        row[mx] = entropy.decodeValue(table);
                    }
                } else {
                    for (int mx = 0; mx < mcuColumns; mx++) {
                        for (int i = 0; i < scan.length; i++) {
                            Component c = scan[i];
                            for (int by = 0; by < c.v; by++) {
                                int[] row = diffs[i][by];
                                for (int bx = 0; bx < c.h; bx++) {
                                    row[mx * c.h + bx] = entropy.decodeValue(tables[i]);
                                }
                            }
                        }
                    }
                }
                if (entropy.overrun()) {
                    throw truncated(my, mcuLines);
                }
                for (int i = 0; i < scan.length; i++) {
                    Component c = scan[i];
                    int bv = single ? 1 : c.v;
                    for (int by = 0; by < bv; by++) {
                        int y = my * bv + by;
                        if (y < c.height) {
                            undifference(c, y, diffs[i][by], firstRow[i]);
                            firstRow[i] = false;
                        }
                    }
                }
            }
        }

        /** T.81 H.1.2.1 prediction; reconstructed samples are kept modulo 2^16. */
        private void undifference(Component c, int y, int[] diff, boolean first) {
            int[] s = c.samples;
            int o = y * c.stride;
            int n = c.width;
            if (first) {
                int ra = (diff[0] + (1 << (precision - pointTransform - 1))) & 0xFFFF;
                s[o] = ra;
                for (int x = 1; x < n; x++) {
                    ra = (diff[x] + ra) & 0xFFFF;
                    s[o + x] = ra;
                }
                return;
            }
            int up = o - c.stride;
            int ra = (diff[0] + s[up]) & 0xFFFF;
            s[o] = ra;
            // one loop per predictor keeps the selection out of the per-sample path
            switch (predictor) {
                case 1 -> {
                    for (int x = 1; x < n; x++) {
                        ra = (diff[x] + ra) & 0xFFFF;
                        s[o + x] = ra;
                    }
                }
                case 2 -> {
                    for (int x = 1; x < n; x++) {
                        s[o + x] = (diff[x] + s[up + x]) & 0xFFFF;
                    }
                }
                case 3 -> {
                    for (int x = 1; x < n; x++) {
                        s[o + x] = (diff[x] + s[up + x - 1]) & 0xFFFF;
                    }
                }
                case 4 -> {
                    for (int x = 1; x < n; x++) {
                        ra = (diff[x] + ra + s[up + x] - s[up + x - 1]) & 0xFFFF;
                        s[o + x] = ra;
                    }
                }
                case 5 -> {
                    for (int x = 1; x < n; x++) {
                        ra = (diff[x] + ra + ((s[up + x] - s[up + x - 1]) >> 1)) & 0xFFFF;
                        s[o + x] = ra;
                    }
                }
                case 6 -> {
                    for (int x = 1; x < n; x++) {
                        ra = (diff[x] + s[up + x] + ((ra - s[up + x - 1]) >> 1)) & 0xFFFF;
                        s[o + x] = ra;
                    }
                }
                default -> {
                    for (int x = 1; x < n; x++) {
                        ra = (diff[x] + ((ra + s[up + x]) >> 1)) & 0xFFFF;
                        s[o + x] = ra;
                    }
                }
            }
        }
    }
}
