package org.mosaicpacs.dicom.internal;

/** Little-endian reads and writes and byte swapping between little and big endian. */
public final class Bytes {

    private Bytes() {
    }

    public static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    public static int s32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | b[i + 3] << 24;
    }

    public static long s64(byte[] b, int i) {
        return (s32(b, i) & 0xFFFFFFFFL) | (long) s32(b, i + 4) << 32;
    }

    public static void put16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >> 8);
    }

    public static void put32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >> 8);
        b[i + 2] = (byte) (v >> 16);
        b[i + 3] = (byte) (v >> 24);
    }

    public static void put64(byte[] b, int i, long v) {
        put32(b, i, (int) v);
        put32(b, i + 4, (int) (v >>> 32));
    }

    /** Reverses the bytes of each {@code unit}-byte word in b[off..off+len) in place; a trailing partial word is left alone. */
    public static void swap(byte[] b, int off, int len, int unit) {
        if (unit <= 1) {
            return;
        }
        int end = off + len - len % unit;
        for (int i = off; i < end; i += unit) {
            for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
