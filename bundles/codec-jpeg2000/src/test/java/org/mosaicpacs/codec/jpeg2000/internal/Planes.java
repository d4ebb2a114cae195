package org.mosaicpacs.codec.jpeg2000.internal;

import org.mosaicpacs.api.codec.ImageDescriptor;

/** Converts native frames between Planar Configuration 0 and 1 (PS3.3 C.7.6.3.1.3). */
final class Planes {

    private Planes() {
    }

    static byte[] interleaved(ImageDescriptor image, byte[] frame) {
        return image.samplesPerPixel() == 1 || image.planarConfiguration() == 0 ? frame : convert(image, frame, true);
    }

    static byte[] planar(ImageDescriptor image, byte[] interleaved) {
        return convert(image, interleaved, false);
    }

    private static byte[] convert(ImageDescriptor image, byte[] in, boolean toInterleaved) {
        int spp = image.samplesPerPixel();
        int bps = image.bitsAllocated() / 8;
        int pixels = image.rows() * image.columns();
        byte[] out = new byte[(int) image.frameLength()];
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
