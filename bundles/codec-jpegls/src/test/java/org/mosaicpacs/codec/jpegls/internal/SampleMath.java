package org.mosaicpacs.codec.jpegls.internal;

import org.mosaicpacs.api.codec.ImageDescriptor;

/** Sample-wise comparison of native frames for the tests. */
final class SampleMath {

    private SampleMath() {
    }

    /** Largest absolute difference between corresponding samples, read as the descriptor says (signed or not). */
    static int maxError(ImageDescriptor image, byte[] expected, byte[] actual) {
        if (expected.length != actual.length) {
            return Integer.MAX_VALUE;
        }
        boolean wide = image.bitsAllocated() == 16;
        int max = 0;
        for (int i = 0; i < expected.length; i += wide ? 2 : 1) {
            int e = sample(expected, i, wide, image.signed());
            int a = sample(actual, i, wide, image.signed());
            max = Math.max(max, Math.abs(e - a));
        }
        return max;
    }

    static int sample(byte[] b, int i, boolean wide, boolean signed) {
        if (wide) {
            int v = b[i] & 0xFF | (b[i + 1] & 0xFF) << 8;
            return signed ? (short) v : v;
        }
        return signed ? b[i] : b[i] & 0xFF;
    }
}
