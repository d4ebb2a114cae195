package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.util.Locale;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;

/**
 * Turns one decoded frame into displayable 8-bit pixels, following the grayscale and colour
 * pipelines of PS3.3 C.11 and PS3.4 N.2: stored values (Bits Stored, High Bit, Pixel
 * Representation), Modality LUT or Rescale Slope/Intercept (C.11.1), VOI window (linear,
 * linear exact or sigmoid, C.11.2.1.2-3) or VOI LUT, Presentation: MONOCHROME1 inverted;
 * RGB, YBR_FULL and YBR_FULL_422 (C.7.6.3.1.2) and PALETTE COLOR (C.7.6.3.1.5-6) to RGB. Values
 * of enhanced multi-frame objects are taken from the frame's functional groups (C.7.6.16) first.
 */
final class Renderer {

    /** A VOI window asked for by the request (PS3.18 8.3.5.1.3): center, width, function. */
    record Window(double center, double width, String function) {

        static Window parse(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String[] parts = text.split(",");
            try {
                double center = Double.parseDouble(parts[0].strip());
                double width = Double.parseDouble(parts[1].strip());
                String function = parts.length > 2 ? parts[2].strip().toUpperCase(Locale.ROOT).replace('-', '_')
                        : "LINEAR";
                if (width <= 0 || !function.equals("LINEAR") && !function.equals("LINEAR_EXACT")
                        && !function.equals("SIGMOID")) {
                    throw new IllegalArgumentException();
                }
                return new Window(center, width, function);
            } catch (RuntimeException e) {
                throw DicomWebException.badRequest("window must be center,width[,linear|linear-exact|sigmoid] with "
                        + "a positive width, not \"" + text + "\"");
            }
        }
    }

    /** Reads values that the header holds as bulk data references (palette and LUT data). */
    @FunctionalInterface
    interface ValueReader {
        /** The value's bytes (little endian), or null if absent. */
        byte[] bytes(DataSet dataSet, int tag) throws IOException;
    }

    private Renderer() {
    }

    /**
     * Renders a frame.
     *
     * @param header      the instance's data set (Pixel Data excluded)
     * @param image       the descriptor of {@code pixels} (after decoding)
     * @param pixels      the native frame, little endian
     * @param frameNumber the frame, from 1 (for functional groups)
     * @param window      the window asked for, or null for the object's own
     */
    static RenderedImage render(DataSet header, ImageDescriptor image, byte[] pixels, int frameNumber, Window window,
                                ValueReader values) throws IOException {
        String pi = image.photometricInterpretation();
        if (image.samplesPerPixel() == 3) {
            return color(image, pixels, pi);
        }
        if ("PALETTE COLOR".equals(pi)) {
            return palette(header, image, pixels, values);
        }
        if (image.samplesPerPixel() != 1) {
            throw DicomWebException.notAcceptable("cannot render " + image.samplesPerPixel() + " samples per pixel");
        }
        return grayscale(header, image, pixels, frameNumber, window, values);
    }

    // ------------------------------------------------------------------ grayscale

    private static RenderedImage grayscale(DataSet header, ImageDescriptor image, byte[] pixels, int frameNumber,
                                           Window window, ValueReader values) throws IOException {
        int count = image.rows() * image.columns();
        long[] stored = new long[count];
        for (int i = 0; i < count; i++) {
            stored[i] = storedValue(image, pixels, i);
        }
        DataSet pixelTransform = functionalGroup(header, frameNumber, Tag.PixelValueTransformationSequence);
        DataSet modalitySource = pixelTransform != null ? pixelTransform : header;
        double slope = modalitySource.getDouble(Tag.RescaleSlope, 1.0);
        double intercept = modalitySource.getDouble(Tag.RescaleIntercept, 0.0);
        Lut modalityLut = Lut.of(header.getNestedDataSet(Tag.ModalityLUTSequence), values);

        double[] modality = new double[count];
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        boolean hasPadding = header.containsValue(Tag.PixelPaddingValue);
        long padding = hasPadding ? header.getLong(Tag.PixelPaddingValue, 0) : 0;
        for (int i = 0; i < count; i++) {
            double v = modalityLut != null ? modalityLut.lookup(stored[i]) : stored[i] * slope + intercept;
            modality[i] = v;
            if (!(hasPadding && stored[i] == padding)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }

        Window voi = window;
        Lut voiLut = null;
        if (voi == null) {
            DataSet frameVoi = functionalGroup(header, frameNumber, Tag.FrameVOILUTSequence);
            voi = windowOf(frameVoi != null ? frameVoi : header);
        }
        if (voi == null) {
            voiLut = Lut.of(header.getNestedDataSet(Tag.VOILUTSequence), values);
        }
        if (voi == null && voiLut == null) {
            // no window in the object: the whole range of values present (PS3.4 N.2.1.1 leaves it to the display)
            voi = min > max ? new Window(0, 1, "LINEAR")
                    : new Window((min + max) / 2 + 0.5, Math.max(1, max - min + 1), "LINEAR");
        }
        boolean invert = "MONOCHROME1".equals(image.photometricInterpretation());
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            double y = voiLut != null ? voiLut.lookupScaled(modality[i]) : applyWindow(voi, modality[i]);
            int g = (int) Math.round(Math.max(0, Math.min(255, y)));
            out[i] = (byte) (invert ? 255 - g : g);
        }
        return new RenderedImage(image.columns(), image.rows(), 1, out);
    }

    /** The window of PS3.3 C.11.2.1.2 (the first, when there are several), or null. */
    static Window windowOf(DataSet ds) {
        double[] centers = ds.getDoubles(Tag.WindowCenter);
        double[] widths = ds.getDoubles(Tag.WindowWidth);
        if (centers == null || widths == null || centers.length == 0 || widths.length == 0 || widths[0] <= 0) {
            return null;
        }
        String function = ds.getString(Tag.VOILUTFunction, "LINEAR").strip().toUpperCase(Locale.ROOT);
        if (!function.equals("LINEAR_EXACT") && !function.equals("SIGMOID")) {
            function = "LINEAR";
        }
        return new Window(centers[0], widths[0], function);
    }

    /** Output 0..255 of a VOI function (PS3.3 C.11.2.1.2.1, C.11.2.1.3.1, C.11.2.1.3.2) with y range 0..255. */
    static double applyWindow(Window w, double x) {
        double c = w.center();
        double width = w.width();
        switch (w.function()) {
            case "LINEAR_EXACT" -> {
                if (x <= c - width / 2) {
                    return 0;
                }
                if (x > c + width / 2) {
                    return 255;
                }
                return (x - c) / width * 255 + 127.5;
            }
            case "SIGMOID" -> {
                return 255 / (1 + Math.exp(-4 * (x - c) / width));
            }
            default -> {
                if (width < 1) {
                    width = 1; // C.11.2.1.2.1: width shall be >= 1 for LINEAR
                }
                if (x <= c - 0.5 - (width - 1) / 2) {
                    return 0;
                }
                if (x > c - 0.5 + (width - 1) / 2) {
                    return 255;
                }
                return ((x - (c - 0.5)) / (width - 1) + 0.5) * 255;
            }
        }
    }

    /** The stored value of sample {@code i}: Bits Stored below High Bit, sign-extended if Pixel Representation is 1. */
    static long storedValue(ImageDescriptor image, byte[] pixels, int i) {
        long raw;
        switch (image.bitsAllocated()) {
            case 1 -> raw = (pixels[i >> 3] >> (i & 7)) & 1;
            case 8 -> raw = pixels[i] & 0xFF;
            case 16 -> raw = (pixels[2 * i] & 0xFF) | (pixels[2 * i + 1] & 0xFF) << 8;
            case 32 -> raw = (pixels[4 * i] & 0xFFL) | (pixels[4 * i + 1] & 0xFFL) << 8
                    | (pixels[4 * i + 2] & 0xFFL) << 16 | (pixels[4 * i + 3] & 0xFFL) << 24;
            default -> throw DicomWebException.notAcceptable("cannot render Bits Allocated " + image.bitsAllocated());
        }
        int bitsStored = image.bitsStored();
        long value = (raw >>> Math.max(0, image.highBit() + 1 - bitsStored)) & ((1L << bitsStored) - 1);
        if (image.signed() && (value & (1L << (bitsStored - 1))) != 0) {
            value -= 1L << bitsStored;
        }
        return value;
    }

    /** The item of a functional group sequence for a frame: per-frame first, then shared (PS3.3 C.7.6.16). */
    static DataSet functionalGroup(DataSet header, int frameNumber, int macroSequence) {
        Sequence perFrame = header.getSequence(Tag.PerFrameFunctionalGroupsSequence);
        if (perFrame != null && frameNumber >= 1 && frameNumber <= perFrame.size()) {
            DataSet item = perFrame.get(frameNumber - 1).getNestedDataSet(macroSequence);
            if (item != null) {
                return item;
            }
        }
        DataSet shared = header.getNestedDataSet(Tag.SharedFunctionalGroupsSequence);
        return shared != null ? shared.getNestedDataSet(macroSequence) : null;
    }

    /** A Modality or VOI LUT (PS3.3 C.11.1.1, C.11.2.1.1): LUT Descriptor and LUT Data. */
    record Lut(int entries, long firstMapped, int bits, int[] data) {

        static Lut of(DataSet item, ValueReader values) throws IOException {
            if (item == null) {
                return null;
            }
            int[] descriptor = item.getInts(Tag.LUTDescriptor);
            byte[] bytes = values.bytes(item, Tag.LUTData);
            if (descriptor == null || descriptor.length < 3 || bytes == null) {
                return null;
            }
            int entries = descriptor[0] == 0 ? 65536 : descriptor[0] & 0xFFFF;
            int bits = descriptor[2];
            int[] data = new int[entries];
            boolean packedBytes = bytes.length < 2 * entries;
            for (int i = 0; i < entries; i++) {
                if (packedBytes) {
                    data[i] = i < bytes.length ? bytes[i] & 0xFF : 0;
                } else {
                    data[i] = (bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] & 0xFF) << 8;
                }
            }
            // first value mapped is US or SS as Pixel Representation says; a value above 32767 in US is read as is
            return new Lut(entries, descriptor[1], bits, data);
        }

        double lookup(double x) {
            long index = Math.round(x) - firstMapped;
            return data[(int) Math.max(0, Math.min(entries - 1, index))];
        }

        /** The entry scaled to 0..255 by the LUT's bit depth. */
        double lookupScaled(double x) {
            return lookup(x) * 255.0 / ((1L << bits) - 1);
        }
    }

    // ------------------------------------------------------------------ colour

    private static RenderedImage color(ImageDescriptor image, byte[] pixels, String pi) {
        int count = image.rows() * image.columns();
        int bytesPerSample = image.bitsAllocated() / 8;
        if (bytesPerSample != 1 && bytesPerSample != 2) {
            throw DicomWebException.notAcceptable("cannot render colour with Bits Allocated " + image.bitsAllocated());
        }
        int shift = Math.max(0, image.bitsStored() - 8);
        byte[] out = new byte[count * 3];
        boolean planar = image.planarConfiguration() == 1;
        boolean ybr422 = "YBR_FULL_422".equals(pi) && pixels.length < (long) count * 3 * bytesPerSample;
        for (int i = 0; i < count; i++) {
            int a;
            int b;
            int c;
            if (ybr422) {
                // native YBR_FULL_422 (C.7.6.3.1.2): Y1 Y2 Cb Cr for each pair of pixels
                int pair = i / 2 * 4;
                a = sample(pixels, pair + (i & 1), bytesPerSample) >> shift;
                b = sample(pixels, pair + 2, bytesPerSample) >> shift;
                c = sample(pixels, pair + 3, bytesPerSample) >> shift;
            } else if (planar) {
                a = sample(pixels, i, bytesPerSample) >> shift;
                b = sample(pixels, count + i, bytesPerSample) >> shift;
                c = sample(pixels, 2 * count + i, bytesPerSample) >> shift;
            } else {
                a = sample(pixels, 3 * i, bytesPerSample) >> shift;
                b = sample(pixels, 3 * i + 1, bytesPerSample) >> shift;
                c = sample(pixels, 3 * i + 2, bytesPerSample) >> shift;
            }
            if (pi.startsWith("YBR_FULL")) {
                // PS3.3 C.7.6.3.1.2: YCbCr (full range) to RGB
                double y = a;
                double cb = b - 128;
                double cr = c - 128;
                a = clamp(y + 1.402 * cr);
                b = clamp(y - 0.344136 * cb - 0.714136 * cr);
                c = clamp(y + 1.772 * cb);
            } else if ("YBR_PARTIAL_422".equals(pi) || "YBR_PARTIAL_420".equals(pi)) {
                double y = 1.164 * (a - 16);
                double cb = b - 128;
                double cr = c - 128;
                a = clamp(y + 1.596 * cr);
                b = clamp(y - 0.392 * cb - 0.813 * cr);
                c = clamp(y + 2.017 * cb);
            }
            out[3 * i] = (byte) a;
            out[3 * i + 1] = (byte) b;
            out[3 * i + 2] = (byte) c;
        }
        return new RenderedImage(image.columns(), image.rows(), 3, out);
    }

    private static int sample(byte[] pixels, int index, int bytesPerSample) {
        if (bytesPerSample == 1) {
            return pixels[index] & 0xFF;
        }
        return (pixels[2 * index] & 0xFF) | (pixels[2 * index + 1] & 0xFF) << 8;
    }

    private static int clamp(double v) {
        return (int) Math.round(Math.max(0, Math.min(255, v)));
    }

    private static RenderedImage palette(DataSet header, ImageDescriptor image, byte[] pixels, ValueReader values)
            throws IOException {
        int[][] luts = new int[3][];
        int[] descriptor = null;
        int[] descriptorTags = {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
            Tag.BluePaletteColorLookupTableDescriptor};
        int[] dataTags = {Tag.RedPaletteColorLookupTableData, Tag.GreenPaletteColorLookupTableData,
            Tag.BluePaletteColorLookupTableData};
        for (int c = 0; c < 3; c++) {
            descriptor = header.getInts(descriptorTags[c]);
            byte[] data = values.bytes(header, dataTags[c]);
            if (descriptor == null || descriptor.length < 3 || data == null) {
                throw DicomWebException.notAcceptable("PALETTE COLOR image without (non-segmented) palette "
                        + "lookup tables cannot be rendered");
            }
            int entries = descriptor[0] == 0 ? 65536 : descriptor[0] & 0xFFFF;
            int[] lut = new int[entries];
            boolean bytes8 = data.length < 2 * entries;
            for (int i = 0; i < entries; i++) {
                int v = bytes8 ? (i < data.length ? data[i] & 0xFF : 0)
                        : (data[2 * i] & 0xFF) | (data[2 * i + 1] & 0xFF) << 8;
                lut[i] = bytes8 || descriptor[2] == 8 ? v & 0xFF : v >> 8;
            }
            luts[c] = lut;
        }
        int first = descriptor[1];
        int count = image.rows() * image.columns();
        byte[] out = new byte[count * 3];
        for (int i = 0; i < count; i++) {
            long index = storedValue(image, pixels, i) - first;
            for (int c = 0; c < 3; c++) {
                int[] lut = luts[c];
                out[3 * i + c] = (byte) lut[(int) Math.max(0, Math.min(lut.length - 1, index))];
            }
        }
        return new RenderedImage(image.columns(), image.rows(), 3, out);
    }
}
