package org.mosaicpacs.codec.jpeg2000.internal;

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
 * Mutated real JPEG 2000 frames (seeded, a few seconds; small frames so that many run) give a
 * decoded frame or a CodecException, never another exception and never a hang.
 */
class J2kFuzzTest {

    private static final long SEED = 0x5EED_2000L;
    private static final Duration BUDGET = Duration.ofSeconds(5);

    /** Enough decodes to mean something on a slow, busy machine; the time budget adds more. */
    private static final int MIN_ITERATIONS = 30;

    private static List<Vector<ImageDescriptor>> vectors;

    @BeforeAll
    static void realStreams() {
        vectors = J2kVectors.VECTORS.extract(Path.of("target/vectors/fuzz"), List.of()).stream()
                .filter(v -> v.compressed() && v.frames() > 0 && v.image().frameLength() <= 1 << 19)
                .toList();
    }

    @Test
    void mutatedStreamsFailOnlyWithCodecException() {
        assertThat(vectors).hasSizeGreaterThan(5);
        Jpeg2000Codec codec = new Jpeg2000Codec();
        FuzzLoop.Outcome outcome = FuzzLoop.refusing(CodecException.class, SEED, BUDGET).atLeast(MIN_ITERATIONS)
                .hangLimit(BUDGET.multipliedBy(6))
                .run(FuzzLoop.mutatedFrames(vectors, (v, frame) -> codec.decode(v.transferSyntax(), v.image(), frame)));
        assertThat(outcome.rejected()).as("rejected mutations").isPositive();
        assertThat(outcome.tried()).as("decodes tried (%d decoded, %d rejected)", outcome.decoded(), outcome.rejected())
                .isGreaterThanOrEqualTo(MIN_ITERATIONS);
    }
}
