package org.mosaicpacs.codec.rle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.CodecVectors.Vector;
import org.mosaicpacs.testing.codec.FuzzLoop;

/**
 * Mutated real RLE frames (seeded, a few seconds) give a decoded frame or a CodecException,
 * never another exception and never a hang.
 */
class RleFuzzTest {

    private static final long SEED = 0x5EED_0001L;
    private static final Duration BUDGET = Duration.ofSeconds(3);

    /** Enough decodes to mean something on a slow, busy machine; the time budget adds more. */
    private static final int MIN_ITERATIONS = 500;

    private static List<Vector<ImageDescriptor>> vectors;

    @BeforeAll
    static void realStreams() {
        vectors = RleVectors.VECTORS.extract(Path.of("target/vectors/fuzz"), List.of()).stream()
                .filter(v -> v.compressed() && v.frames() > 0 && v.image().frameLength() <= 1 << 20)
                .toList();
    }

    @Test
    void mutatedStreamsFailOnlyWithCodecException() {
        assertThat(vectors).isNotEmpty();
        RleCodec codec = new RleCodec();
        FuzzLoop.Outcome outcome = FuzzLoop.refusing(CodecException.class, SEED, BUDGET).atLeast(MIN_ITERATIONS)
                .hangLimit(BUDGET.multipliedBy(10))
                .run(FuzzLoop.mutatedFrames(vectors,
                        (v, frame) -> codec.decode(RleCodec.RLE_LOSSLESS, v.image(), frame)));
        assertThat(outcome.rejected()).as("rejected mutations").isPositive();
        assertThat(outcome.tried()).as("decodes tried").isGreaterThanOrEqualTo(MIN_ITERATIONS);
    }
}
