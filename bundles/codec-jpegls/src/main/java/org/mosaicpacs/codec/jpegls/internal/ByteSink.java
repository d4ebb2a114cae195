package org.mosaicpacs.codec.jpegls.internal;

import java.util.Arrays;

/** A growable byte buffer for the encoder's output. */
final class ByteSink {

    private byte[] buffer;
    private int size;

    ByteSink(int initialCapacity) {
        buffer = new byte[Math.max(64, initialCapacity)];
    }

    void write(int b) {
        if (size == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length + (buffer.length >> 1));
        }
        buffer[size++] = (byte) b;
    }

    void writeShort(int v) {
        write(v >>> 8);
        write(v);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
