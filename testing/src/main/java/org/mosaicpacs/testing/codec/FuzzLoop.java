package org.mosaicpacs.testing.codec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Assertions;

/**
 * The loop of a seeded, time-bounded decoder fuzz test. Each iteration asks the test for one
 * {@link Attempt} (a mutated input and the decode of it) and runs it: a decode that returns counts
 * as decoded; one that throws the codec's refusal exception counts as rejected, after the test's
 * own check of the refusal; anything else fails the test, naming the iteration, the seed and the
 * input. The loop runs for the time budget and at least {@link #atLeast} iterations, at most
 * {@link #atMost}, and fails if it has not ended within {@link #hangLimit} (a decoder that hangs).
 *
 * <p>The test asserts on the returned {@link Outcome}: what counts as enough differs per codec.
 *
 * @param <E> the exception the decoder refuses bad input with (mosaic-api's {@code CodecException})
 */
public final class FuzzLoop<E extends Exception> {

    /** One mutated input: {@code label} names where it came from in a failure message. */
    public record Attempt(String label, Decode decode) {
    }

    /** Decodes the mutated input; returns when it decoded, throws when it did not. */
    @FunctionalInterface
    public interface Decode {
        void run() throws Exception;
    }

    /** Makes iteration {@code iteration}'s attempt, drawing only from {@code random}. */
    @FunctionalInterface
    public interface Attempts {
        Attempt next(int iteration, Random random);
    }

    /** Decodes one (mutated) frame of a vector. */
    @FunctionalInterface
    public interface FrameDecode<I> {
        void decode(CodecVectors.Vector<I> vector, byte[] frame) throws Exception;
    }

    /**
     * Attempts on the frames of compressed vectors: each picks a vector and one of its frames at
     * random, damages it with {@link Mutations#mutate} and decodes it. The frames are read here, once.
     */
    public static <I> Attempts mutatedFrames(List<CodecVectors.Vector<I>> vectors, FrameDecode<I> decode) {
        List<byte[][]> frames = new ArrayList<>();
        for (CodecVectors.Vector<I> v : vectors) {
            byte[][] f = new byte[v.frames()][];
            for (int i = 0; i < f.length; i++) {
                f[i] = v.frame(i);
            }
            frames.add(f);
        }
        return (iteration, random) -> {
            int pick = random.nextInt(vectors.size());
            CodecVectors.Vector<I> v = vectors.get(pick);
            byte[] mutated = Mutations.mutate(frames.get(pick)[random.nextInt(v.frames())], random);
            return new Attempt(v.id(), () -> decode.decode(v, mutated));
        };
    }

    /** How many attempts decoded and how many were refused. */
    public record Outcome(int decoded, int rejected) {

        public int tried() {
            return decoded + rejected;
        }
    }

    private final Class<E> refusal;
    private final long seed;
    private final Duration budget;
    private int minIterations;
    private int maxIterations = Integer.MAX_VALUE;
    private Duration hangLimit;
    private BiConsumer<String, ? super E> refusalCheck = (label, e) -> { };

    private FuzzLoop(Class<E> refusal, long seed, Duration budget) {
        this.refusal = Objects.requireNonNull(refusal);
        this.seed = seed;
        this.budget = Objects.requireNonNull(budget);
        this.hangLimit = budget.multipliedBy(10);
    }

    /**
     * A loop whose decoders refuse bad input with {@code refusal}, drawing from {@code new
     * Random(seed)}, for {@code budget}; by default no minimum or maximum count of iterations and a
     * hang limit of ten times the budget.
     */
    public static <E extends Exception> FuzzLoop<E> refusing(Class<E> refusal, long seed, Duration budget) {
        return new FuzzLoop<>(refusal, seed, budget);
    }

    /** Runs at least this many iterations even past the budget (a slow, busy machine still tries enough). */
    public FuzzLoop<E> atLeast(int iterations) {
        this.minIterations = iterations;
        return this;
    }

    /** Stops after this many iterations even within the budget. */
    public FuzzLoop<E> atMost(int iterations) {
        this.maxIterations = iterations;
        return this;
    }

    /** Fails the test when the whole loop takes longer than this. */
    public FuzzLoop<E> hangLimit(Duration limit) {
        this.hangLimit = Objects.requireNonNull(limit);
        return this;
    }

    /** Checks each refusal (label of the attempt, the exception), e.g. that it came from a check, not a crash. */
    public FuzzLoop<E> checkingEachRefusal(BiConsumer<String, ? super E> check) {
        this.refusalCheck = Objects.requireNonNull(check);
        return this;
    }

    /** Runs the loop; the test fails inside on anything but a decode or a refusal. */
    public Outcome run(Attempts attempts) {
        int[] counts = new int[2];
        Assertions.assertTimeoutPreemptively(hangLimit, () -> {
            Random random = new Random(seed);
            long deadline = System.nanoTime() + budget.toNanos();
            for (int iteration = 0; (iteration < minIterations || System.nanoTime() < deadline)
                    && iteration < maxIterations; iteration++) {
                Attempt attempt = attempts.next(iteration, random);
                E refused = null;
                try {
                    attempt.decode().run();
                } catch (Throwable t) {
                    if (!refusal.isInstance(t)) {
                        throw new AssertionError("iteration " + iteration + " (seed " + seed + ") on "
                                + attempt.label(), t);
                    }
                    refused = refusal.cast(t);
                }
                if (refused == null) {
                    counts[0]++;
                } else {
                    refusalCheck.accept(attempt.label(), refused);
                    counts[1]++;
                }
            }
        });
        return new Outcome(counts[0], counts[1]);
    }
}
