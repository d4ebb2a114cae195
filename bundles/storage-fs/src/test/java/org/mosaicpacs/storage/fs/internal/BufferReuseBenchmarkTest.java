package org.mosaicpacs.storage.fs.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * On demand, not in CI: the cost of copying a CT image (526 KB, as received PDVs arrive) into the
 * direct buffers of {@link AlignedBufferPool}, taken last in first out (the pool) or in turn from
 * all 32 it keeps (as before). Prints microseconds per image; no assertion on time.
 * {@code mvn -pl bundles/storage-fs test -Dtest=BufferReuseBenchmarkTest -Dmosaic.bench=true}
 */
@EnabledIfSystemProperty(named = "mosaic.bench", matches = "true")
class BufferReuseBenchmarkTest {

    private static final int IMAGE = 526_000;
    private static final int IMAGES = 2000;
    private static final int KEPT = 32;

    @Test
    void copyIntoTheBufferReleasedLastAgainstBuffersTakenInTurn() {
        byte[] image = new byte[IMAGE];
        new Random(1).nextBytes(image);
        AlignedBufferPool pool = new AlignedBufferPool(4096, 256 * 1024, KEPT);
        ArrayDeque<ByteBuffer> inTurn = new ArrayDeque<>();
        for (int i = 0; i < KEPT; i++) {
            inTurn.add(pool.acquire());
        }
        for (ByteBuffer b : inTurn) {
            pool.release(b);
        }
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < IMAGES; i++) {
                copy(image, pool::acquire, pool::release);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < IMAGES; i++) {
                copy(image, inTurn::pollFirst, inTurn::addLast);
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: last in first out %.1f µs per image, in turn from %d buffers %.1f µs%n", round,
                    (t1 - t0) / 1000.0 / IMAGES, KEPT, (t2 - t1) / 1000.0 / IMAGES);
        }
    }

    /** As DirectFileOutput fills a buffer: 16 KB pieces, a buffer taken when one is full. */
    private static void copy(byte[] image, Supplier<ByteBuffer> take, Consumer<ByteBuffer> give) {
        ByteBuffer b = take.get();
        for (int off = 0; off < image.length; off += 16_384) {
            int n = Math.min(16_384, image.length - off);
            int first = Math.min(n, b.remaining());
            b.put(image, off, first);
            if (!b.hasRemaining()) {
                b.clear();
                give.accept(b);
                b = take.get();
                b.put(image, off + first, n - first);
            }
        }
        b.clear();
        give.accept(b);
    }
}
