package org.mosaicpacs.testing.codec;

/**
 * Converts native frames between Planar Configuration 0 (samples interleaved by pixel) and 1 (one
 * plane per sample), PS3.3 C.7.6.3.1.3. Samples of {@code bitsAllocated} bits, 8 or more.
 */
public final class Planes {

    private Planes() {
    }

    /** The frame with Planar Configuration 0: {@code frame} itself when it has one sample per pixel or already is. */
    public static byte[] interleaved(byte[] frame, int samplesPerPixel, int bitsAllocated, int planarConfiguration) {
        return samplesPerPixel == 1 || planarConfiguration == 0 ? frame
                : convert(frame, samplesPerPixel, bitsAllocated, true);
    }

    /** An interleaved frame (Planar Configuration 0) by plane (Planar Configuration 1). */
    public static byte[] planar(byte[] interleaved, int samplesPerPixel, int bitsAllocated) {
        return convert(interleaved, samplesPerPixel, bitsAllocated, false);
    }

    private static byte[] convert(byte[] in, int spp, int bitsAllocated, boolean toInterleaved) {
        int bps = bitsAllocated / 8;
        if (bps == 0 || in.length % (spp * bps) != 0) {
            throw new IllegalArgumentException(in.length + " bytes are not whole pixels of " + spp + " x "
                    + bitsAllocated + " bits");
        }
        int pixels = in.length / (spp * bps);
        byte[] out = new byte[in.length];
        for (int p = 0; p < pixels; p++) {
            for (int s = 0; s < spp; s++) {
                int planarAt = (s * pixels + p) * bps;
                int interleavedAt = (p * spp + s) * bps;
                System.arraycopy(in, toInterleaved ? planarAt : interleavedAt, out,
                        toInterleaved ? interleavedAt : planarAt, bps);
            }
        }
        return out;
    }
}
