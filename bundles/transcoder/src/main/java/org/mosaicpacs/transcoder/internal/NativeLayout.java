package org.mosaicpacs.transcoder.internal;

import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * How native (uncompressed) Pixel Data is laid out, where {@link ImageDescriptor#frameLength()}
 * does not say it: horizontally subsampled YBR_FULL_422 and YBR_PARTIAL_422 hold two samples per
 * pixel (Y Y Cb Cr for two pixels, PS3.3 C.7.6.3.1.2), and 1-bit frames follow each other without
 * padding to a byte boundary (PS3.5 8.1.1).
 */
final class NativeLayout {

    private NativeLayout() {
    }

    /** True for the native layouts with chrominance at half the horizontal resolution. */
    static boolean isSubsampled(ImageDescriptor image) {
        String pi = image.photometricInterpretation();
        return image.samplesPerPixel() == 3 && ("YBR_FULL_422".equals(pi) || "YBR_PARTIAL_422".equals(pi));
    }

    /** Bits of one native frame. */
    static long frameBits(ImageDescriptor image) {
        long pixels = (long) image.rows() * image.columns();
        long samples = isSubsampled(image) ? 2 * pixels : pixels * image.samplesPerPixel();
        return samples * image.bitsAllocated();
    }

    /** Bytes of one native frame on its own (a 1-bit frame rounded up to whole bytes). */
    static long frameLength(ImageDescriptor image) {
        return (frameBits(image) + 7) / 8;
    }

    /** Bytes of {@code frames} native frames packed one after the other, before padding to even length. */
    static long pixelDataLength(ImageDescriptor image, int frames) {
        return (frameBits(image) * frames + 7) / 8;
    }

    /**
     * Frame {@code index} (from 0) of 1-bit Pixel Data starting {@code firstBit} bits into {@code packed},
     * moved to start on a byte boundary. Bits are little endian within bytes (PS3.5 8.1.1).
     */
    static byte[] alignBits(byte[] packed, int firstBit, long bits) {
        byte[] out = new byte[(int) ((bits + 7) / 8)];
        if (firstBit == 0) {
            System.arraycopy(packed, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                int low = (packed[i] & 0xFF) >>> firstBit;
                int high = i + 1 < packed.length ? (packed[i + 1] & 0xFF) << (8 - firstBit) : 0;
                out[i] = (byte) (low | high);
            }
        }
        int tail = (int) (bits % 8);
        if (tail != 0) {
            out[out.length - 1] &= (byte) ((1 << tail) - 1); // bits of the next frame are not this frame's
        }
        return out;
    }

    /**
     * Native YBR_FULL_422 (Y1 Y2 Cb Cr per pair of pixels) expanded to YBR_FULL by repeating each
     * chrominance sample, interleaved: the input the encoders take (none accepts subsampled
     * native pixels). Lossless: the same chrominance is stored twice.
     */
    static byte[] expandYbr422(byte[] frame, ImageDescriptor image) {
        int bytes = image.bitsAllocated() / 8;
        int pairs = image.rows() * image.columns() / 2;
        byte[] out = new byte[pairs * 6 * bytes];
        for (int p = 0; p < pairs; p++) {
            int in = p * 4 * bytes;
            int o = p * 6 * bytes;
            for (int b = 0; b < bytes; b++) {
                byte y1 = frame[in + b];
                byte y2 = frame[in + bytes + b];
                byte cb = frame[in + 2 * bytes + b];
                byte cr = frame[in + 3 * bytes + b];
                out[o + b] = y1;
                out[o + bytes + b] = cb;
                out[o + 2 * bytes + b] = cr;
                out[o + 3 * bytes + b] = y2;
                out[o + 4 * bytes + b] = cb;
                out[o + 5 * bytes + b] = cr;
            }
        }
        return out;
    }

    /** Swaps the byte order of every {@code unit}-byte word in place (unit 1: nothing). */
    static void swap(byte[] b, int length, int unit) {
        for (int i = 0; i + unit <= length; i += unit) {
            for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
