package org.mosaicpacs.codec.jpeg.internal;

import java.util.Arrays;

/** Growable output for marker segments and entropy-coded data with 0xFF stuffing (T.81 B.1.1.5). */
final class JpegWriter {

    private byte[] buffer;
    private int length;
    private long bitBuffer;
    private int bitCount;

    JpegWriter(int initialCapacity) {
        buffer = new byte[Math.max(initialCapacity, 1024)];
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    void marker(int code) {
        ensure(2);
        buffer[length++] = (byte) 0xFF;
        buffer[length++] = (byte) code;
    }

    void byte1(int v) {
        ensure(1);
        buffer[length++] = (byte) v;
    }

    void byte2(int v) {
        ensure(2);
        buffer[length++] = (byte) (v >> 8);
        buffer[length++] = (byte) v;
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buffer, length, b.length);
        length += b.length;
    }

    /** Appends the low {@code size} (0..31) bits of {@code code}, most significant first. */
    void bits(int code, int size) {
        bitBuffer = bitBuffer << size | (code & ((1L << size) - 1));
        bitCount += size;
        if (bitCount >= 32) {
            drain();
        }
    }

    private void drain() {
        ensure(16);
        while (bitCount >= 8) {
            bitCount -= 8;
            int b = (int) (bitBuffer >>> bitCount) & 0xFF;
            buffer[length++] = (byte) b;
            if (b == 0xFF) {
                buffer[length++] = 0;
            }
        }
    }

    /** Ends the entropy-coded segment, padding the last byte with 1-bits (T.81 F.1.2.3). */
    void flushBits() {
        int pad = (8 - bitCount % 8) % 8;
        bits((1 << pad) - 1, pad);
        drain();
        bitBuffer = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }
}
