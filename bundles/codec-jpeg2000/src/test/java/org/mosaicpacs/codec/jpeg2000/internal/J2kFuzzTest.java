package org.mosaicpacs.codec.jpeg2000.internal;

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
import org.mosaicpacs.codec.jpeg2000.internal.CodecVectors.Vector;

/**
 * Mutated real JPEG 2000 frames (seeded, a few seconds; small frames so that many run) give a
 * decoded frame or a CodecException, never another exception and never a hang.
 */
class J2kFuzzTest {

    private static final long SEED = 0x5EED_2000L;
    private static final Duration BUDGET = Duration.ofSeconds(5);

    /** Enough decodes to mean something on a slow, busy machine; the time budget adds more. */
    private static final int MIN_ITERATIONS = 30;

    private static List<Vector> vectors;
    private static final Map<Vector, byte[][]> FRAMES = new HashMap<>();

    @BeforeAll
    static void realStreams() {
        vectors = CodecVectors.extract(Path.of("target/vectors/fuzz"), List.of()).stream()
                .filter(v -> v.compressed() && v.frames() > 0 && v.image().frameLength() <= 1 << 19)
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
        assertThat(vectors).hasSizeGreaterThan(5);
        Jpeg2000Codec codec = new Jpeg2000Codec();
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int[] outcomes = new int[2];
        Assertions.assertTimeoutPreemptively(BUDGET.multipliedBy(6), () -> {
            for (int iteration = 0; iteration < MIN_ITERATIONS || System.nanoTime() < deadline; iteration++) {
                Vector v = vectors.get(random.nextInt(vectors.size()));
                byte[] mutated = Mutations.mutate(FRAMES.get(v)[random.nextInt(v.frames())], random);
                try {
                    codec.decode(v.transferSyntax(), v.image(), mutated);
                    outcomes[0]++;
                } catch (CodecException expected) {
                    outcomes[1]++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("iteration " + iteration + " (seed " + SEED + ") on " + v.id(), e);
                }
            }
        });
        assertThat(outcomes[1]).as("rejected mutations").isPositive();
        assertThat(outcomes[0] + outcomes[1]).as("decodes tried (%d decoded, %d rejected)", outcomes[0], outcomes[1])
                .isGreaterThanOrEqualTo(MIN_ITERATIONS);
    }
}
