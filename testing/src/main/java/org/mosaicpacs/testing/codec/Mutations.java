package org.mosaicpacs.testing.codec;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded mutations of a compressed frame, the kinds of damage storage and networks do. Each draws
 * from the caller's {@link Random} only, so a seed replays a fuzz run exactly. The in-place ones
 * change and return the array given; the others return a new one.
 */
public final class Mutations {

    private Mutations() {
    }

    /** One of: bits flipped, header bytes overwritten, truncated, a chunk cut out, garbage overwritten or appended. */
    public static byte[] mutate(byte[] frame, Random random) {
        byte[] b = frame.clone();
        switch (random.nextInt(6)) {
            case 0 -> flipBits(b, random, 8);
            case 1 -> overwriteBytes(b, random, 4, 128); // the header region
            case 2 -> b = truncate(b, random);
            case 3 -> b = cutChunk(b, random, 64);
            case 4 -> { // a run of garbage overwritten
                int from = random.nextInt(b.length);
                for (int i = from; i < Math.min(b.length, from + 1 + random.nextInt(32)); i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
            default -> { // garbage appended
                byte[] tail = new byte[1 + random.nextInt(64)];
                random.nextBytes(tail);
                b = Arrays.copyOf(b, b.length + tail.length);
                System.arraycopy(tail, 0, b, b.length - tail.length, tail.length);
            }
        }
        return b;
    }

    /** In place: 1 to {@code maxFlips} single bits flipped anywhere. */
    public static byte[] flipBits(byte[] b, Random random, int maxFlips) {
        for (int i = 0, n = 1 + random.nextInt(maxFlips); i < n; i++) {
            int at = random.nextInt(b.length);
            b[at] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    /** In place: 1 to {@code maxBytes} bytes among the first {@code within} set to random values. */
    public static byte[] overwriteBytes(byte[] b, Random random, int maxBytes, int within) {
        for (int i = 0, n = 1 + random.nextInt(maxBytes); i < n; i++) {
            b[random.nextInt(Math.min(b.length, within))] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** The first 0 to {@code b.length - 1} bytes. */
    public static byte[] truncate(byte[] b, Random random) {
        return Arrays.copyOf(b, random.nextInt(b.length));
    }

    /** {@code b} without a chunk of 1 to {@code maxLength} bytes from a random place. */
    public static byte[] cutChunk(byte[] b, Random random, int maxLength) {
        int from = random.nextInt(b.length);
        int to = Math.min(b.length, from + 1 + random.nextInt(maxLength));
        byte[] cut = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, cut, 0, from);
        System.arraycopy(b, to, cut, from, b.length - to);
        return cut;
    }

    /** In place: a marker (0xFF then a code 0xC0 to 0xFF, ITU-T T.81 B.1.1.3 and T.87 C.1.1) at {@code at}. */
    public static byte[] marker(byte[] b, int at, Random random) {
        b[at] = (byte) 0xFF;
        b[at + 1] = (byte) (0xC0 + random.nextInt(64));
        return b;
    }
}
