package org.mosaicpacs.codec.rle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.codec.rle.internal.CodecVectors.Vector;

/**
 * Mutated real RLE frames (seeded, a few seconds) give a decoded frame or a CodecException,
 * never another exception and never a hang.
 */
class RleFuzzTest {

    private static final long SEED = 0x5EED_0001L;
    private static final Duration BUDGET = Duration.ofSeconds(3);

    /** Enough decodes to mean something on a slow, busy machine; the time budget adds more. */
    private static final int MIN_ITERATIONS = 500;

    private static List<Vector> vectors;
    private static final Map<Vector, byte[][]> FRAMES = new HashMap<>();

    @BeforeAll
    static void realStreams() {
        vectors = CodecVectors.extract(Path.of("target/vectors/fuzz"), List.of()).stream()
                .filter(v -> v.compressed() && v.frames() > 0 && v.image().frameLength() <= 1 << 20)
                .toList();
        for (Vector v : vectors) {
            byte[][] frames = new byte[v.frames()][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = v.frame(i);
            }
            FRAMES.put(v, frames);
        }
    }

    @Test
    void mutatedStreamsFailOnlyWithCodecException() {
        assertThat(vectors).isNotEmpty();
        RleCodec codec = new RleCodec();
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int[] outcomes = new int[2];
        Assertions.assertTimeoutPreemptively(BUDGET.multipliedBy(10), () -> {
            for (int iteration = 0; iteration < MIN_ITERATIONS || System.nanoTime() < deadline; iteration++) {
                Vector v = vectors.get(random.nextInt(vectors.size()));
                byte[] mutated = Mutations.mutate(FRAMES.get(v)[random.nextInt(v.frames())], random);
                try {
                    codec.decode(CodecVectors.RLE, v.image(), mutated);
                    outcomes[0]++;
                } catch (CodecException expected) {
                    outcomes[1]++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("iteration " + iteration + " (seed " + SEED + ") on " + v.id(), e);
                }
            }
        });
        assertThat(outcomes[1]).as("rejected mutations").isPositive();
        assertThat(outcomes[0] + outcomes[1]).as("decodes tried").isGreaterThanOrEqualTo(MIN_ITERATIONS);
    }
}
