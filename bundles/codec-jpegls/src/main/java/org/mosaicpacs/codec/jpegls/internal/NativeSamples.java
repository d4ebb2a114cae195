package org.mosaicpacs.codec.jpegls.internal;

import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * One native frame as PS3.5 8.1.1 lays it out (little endian 8- or 16-bit words, samples
 * interleaved or by plane), read and written one component line at a time.
 */
final class NativeSamples implements SampleSink, SampleSource {

    private final byte[] pixels;
    private final int rows;
    private final int columns;
    private final int samplesPerPixel;
    private final boolean wide;
    private final boolean planar;
    /** Bits of each word that are sample value when encoding. */
    private final int mask;

    private NativeSamples(byte[] pixels, ImageDescriptor image, boolean planar, int mask) {
        this.pixels = pixels;
        this.rows = image.rows();
        this.columns = image.columns();
        this.samplesPerPixel = image.samplesPerPixel();
        this.wide = image.bitsAllocated() > 8;
        this.planar = planar;
        this.mask = mask;
    }

    /** Output of a decoder: always interleaved (Planar Configuration 0). */
    static NativeSamples forDecoding(byte[] pixels, ImageDescriptor image) {
        return new NativeSamples(pixels, image, false, -1);
    }

    /**
     * Input of an encoder, in the planar configuration the descriptor states.
     *
     * @param mask the bits of each word that are sample value (2^n - 1), all others are dropped
     */
    static NativeSamples forEncoding(byte[] pixels, ImageDescriptor image, int mask) {
        return new NativeSamples(pixels, image, image.samplesPerPixel() > 1 && image.planarConfiguration() == 1,
                mask);
    }

    private int firstIndex(int row, int component) {
        return planar ? (component * rows + row) * columns : row * columns * samplesPerPixel + component;
    }

    @Override
    public void putLine(int row, int component, int[] line, int offset, int stride) {
        int index = firstIndex(row, component);
        int step = planar ? 1 : samplesPerPixel;
        byte[] px = pixels;
        if (wide) {
            for (int x = 0, i = offset; x < columns; x++, i += stride, index += step) {
                int v = line[i];
                px[2 * index] = (byte) v;
                px[2 * index + 1] = (byte) (v >> 8);
            }
        } else {
            for (int x = 0, i = offset; x < columns; x++, i += stride, index += step) {
                px[index] = (byte) line[i];
            }
        }
    }

    @Override
    public void getLine(int row, int component, int[] line, int offset, int stride) {
        int index = firstIndex(row, component);
        int step = planar ? 1 : samplesPerPixel;
        byte[] px = pixels;
        int m = mask;
        if (wide) {
            for (int x = 0, i = offset; x < columns; x++, i += stride, index += step) {
                line[i] = (px[2 * index] & 0xFF | (px[2 * index + 1] & 0xFF) << 8) & m;
            }
        } else {
            for (int x = 0, i = offset; x < columns; x++, i += stride, index += step) {
                line[i] = px[index] & m;
            }
        }
    }
}
