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

    void writeInt(int v) {
        if (size + 4 > buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length + (buffer.length >> 1) + 4);
        }
        buffer[size] = (byte) (v >>> 24);
        buffer[size + 1] = (byte) (v >>> 16);
        buffer[size + 2] = (byte) (v >>> 8);
        buffer[size + 3] = (byte) v;
        size += 4;
    }

    void writeShort(int v) {
        write(v >>> 8);
        write(v);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
