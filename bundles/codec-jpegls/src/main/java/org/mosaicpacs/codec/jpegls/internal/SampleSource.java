package org.mosaicpacs.codec.jpegls.internal;

/** Supplies lines of one component to the encoder. */
interface SampleSource {

    /**
     * Loads one line: sample x goes to {@code line[offset + x * stride]}, each in 0..MAXVAL.
     *
     * @param component index of the component in the frame (0-based)
     */
    void getLine(int row, int component, int[] line, int offset, int stride);
}
