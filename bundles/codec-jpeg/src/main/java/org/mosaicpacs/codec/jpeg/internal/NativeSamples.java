package org.mosaicpacs.codec.jpeg.internal;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.ImageDescriptor;

/** Reads the samples of a native frame (PS3.5 8.1: little endian, by pixel or by plane) into planes. */
final class NativeSamples {

    private NativeSamples() {
    }

    /**
     * @param bits keep the low {@code bits} bits of each sample (bits above High Bit are not pixel data)
     * @return one {@code rows * columns} plane per sample
     */
    static int[][] planes(ImageDescriptor image, byte[] pixels, int bits) throws CodecException {
        if (pixels.length < image.frameLength()) {
            throw new CodecException("native frame has " + pixels.length + " bytes, " + image.frameLength()
                    + " expected for " + image.rows() + "x" + image.columns() + "x" + image.samplesPerPixel()
                    + " samples of " + image.bitsAllocated() + " bits");
        }
        int count = image.samplesPerPixel();
        int n = image.rows() * image.columns();
        int mask = (1 << bits) - 1;
        boolean wide = image.bitsAllocated() == 16;
        boolean byPlane = count > 1 && image.planarConfiguration() == 1;
        int[][] planes = new int[count][n];
        for (int c = 0; c < count; c++) {
            int[] plane = planes[c];
            int index = byPlane ? c * n : c;
            int step = byPlane ? 1 : count;
            for (int i = 0; i < n; i++, index += step) {
                int v = wide ? (pixels[2 * index] & 0xFF) | (pixels[2 * index + 1] & 0xFF) << 8 : pixels[index] & 0xFF;
                plane[i] = v & mask;
            }
        }
        return planes;
    }
}
