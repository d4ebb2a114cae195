package org.mosaicpacs.testing.codec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestFiles;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Base of a JMH benchmark that handles one frame per invocation, cycling over a set of frames of
 * the mixed corpus: a subclass annotated {@code @State(Scope.Benchmark)} loads its frames in its
 * own {@code @Setup} and takes {@link #nextFrame} in each {@code @Benchmark} method.
 *
 * <p>JMH scores are wall time, which on a shared machine includes waiting for a core. Independent
 * tools are timed in CPU time, so each measurement iteration also prints the benchmark thread's CPU
 * time per frame (JIT and GC threads not counted).
 *
 * <p>Needs JMH (jmh-core and its annotation processor) on the module's class path: the
 * {@code bench} profile of the codec modules.
 */
public abstract class FrameBenchmark {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private int next;
    private long iterationCpuNanos;
    private int iterationStart;

    /** The index of the frame this invocation handles, among {@code frames}: each takes the next in turn. */
    protected final int nextFrame(int frames) {
        return next++ % frames;
    }

    @Setup(Level.Iteration)
    public void startCpuClock() {
        iterationCpuNanos = threads.getCurrentThreadCpuTime();
        iterationStart = next;
    }

    @TearDown(Level.Iteration)
    public void printCpuPerFrame(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && next > iterationStart) {
            double ms = (threads.getCurrentThreadCpuTime() - iterationCpuNanos) / 1e6 / (next - iterationStart);
            System.out.printf("[CPU %.3f ms/frame over %d frames] ", ms, next - iterationStart);
        }
    }

    /**
     * The first {@code limit} files of one kind in the mixed corpus, linked under unique names into
     * {@code dir} (emptied first): the corpus repeats IM00001 in every series, and vector ids come
     * from file names.
     */
    protected static List<Path> linkedCorpusFiles(String kind, int limit, Path dir) throws IOException {
        Path corpus = TestData.mixedCorpus();
        TestFiles.freshDirectory(dir);
        List<Path> links = new ArrayList<>();
        for (Path file : TestData.corpusFiles(corpus, kind)) {
            if (links.size() < limit) {
                Path link = dir.resolve(String.format("%s_%02d.dcm", kind, links.size()));
                links.add(Files.createSymbolicLink(link, file.toAbsolutePath()));
            }
        }
        return links;
    }
}
