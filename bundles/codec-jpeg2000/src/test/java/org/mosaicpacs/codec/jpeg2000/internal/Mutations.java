package org.mosaicpacs.codec.jpeg2000.internal;

import java.util.Arrays;
import java.util.Random;

/** Seeded mutations of a compressed frame, the kinds of damage storage and networks do. */
final class Mutations {

    private Mutations() {
    }

    static byte[] mutate(byte[] frame, Random random) {
        byte[] b = frame.clone();
        switch (random.nextInt(6)) {
            case 0 -> { // flip a few bits anywhere
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // random bytes in the header region
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    b[random.nextInt(Math.min(b.length, 128))] = (byte) random.nextInt(256);
                }
            }
            case 2 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncated
            case 3 -> { // a chunk cut out of the middle
                int from = random.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + random.nextInt(64));
                byte[] cut = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, cut, 0, from);
                System.arraycopy(b, to, cut, from, b.length - to);
                b = cut;
            }
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
}
