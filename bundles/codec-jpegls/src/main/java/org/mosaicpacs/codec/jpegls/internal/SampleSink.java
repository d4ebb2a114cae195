package org.mosaicpacs.codec.jpegls.internal;

/** Receives decoded lines of one component. */
interface SampleSink {

    /**
     * Stores one line: sample x of the line is {@code line[offset + x * stride]}.
     *
     * @param component index of the component in the frame (0-based, frame header order)
     */
    void putLine(int row, int component, int[] line, int offset, int stride);
}
