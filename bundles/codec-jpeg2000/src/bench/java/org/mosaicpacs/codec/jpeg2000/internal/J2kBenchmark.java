package org.mosaicpacs.codec.jpeg2000.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.Tools;
import org.mosaicpacs.testing.codec.CodecVectors;
import org.mosaicpacs.testing.codec.FrameBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode and encode time per frame on the frames of the mixed corpus that {@code
 * src/bench/tools-timing.sh} gives GDCM: the 18 CT frames (512x512, signed 16-bit, 512 KiB native)
 * or the 10 frames of the first US file (640x480 RGB, 900 KiB). Each invocation handles the next
 * frame in turn. The decoder reads GDCM's code streams of the same frames ({@code gdcmconv --j2k},
 * lossy {@code --lossy -r 10}, made in set-up), so both decoders get identical input; the encoder
 * uses our defaults (10:1 for lossy). Run with {@code mvn -B -o -Pbench -pl bundles/codec-jpeg2000
 * verify}; MB/s = native bytes per frame / (ms/op) / 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class J2kBenchmark extends FrameBenchmark {

    @Param({Jpeg2000Codec.LOSSLESS, Jpeg2000Codec.LOSSY})
    public String transferSyntax;

    /** Corpus kind (manifest.csv): all CT slices, or one US cine loop. */
    @Param({"CT", "US"})
    public String images;

    private final Jpeg2000Codec codec = new Jpeg2000Codec();
    private final List<ImageDescriptor> nativeImages = new ArrayList<>();
    private final List<byte[]> natives = new ArrayList<>();
    private final List<ImageDescriptor> gdcmImages = new ArrayList<>();
    private final List<byte[]> gdcmFrames = new ArrayList<>();

    @Setup
    public void loadFrames() throws IOException, CodecException {
        boolean lossy = transferSyntax.equals(Jpeg2000Codec.LOSSY);
        Path work = Path.of("target/bench-" + images + (lossy ? "-lossy" : "-lossless"));
        // The decode and encode forks of one parameter set share the vectors (mvn clean renews them).
        List<CodecVectors.Vector<ImageDescriptor>> vectors = Files.exists(work.resolve("vectors/vectors.tsv"))
                ? J2kVectors.VECTORS.parse(work.resolve("vectors")) : makeVectors(work, lossy);
        for (CodecVectors.Vector<ImageDescriptor> v : vectors) {
            for (int i = 0; i < v.frames(); i++) {
                (v.compressed() ? gdcmImages : nativeImages).add(v.image());
                (v.compressed() ? gdcmFrames : natives).add(v.frame(i));
            }
        }
        if (natives.isEmpty() || gdcmFrames.size() != natives.size()) {
            throw new IllegalStateException(images + ": " + natives.size() + " native frames, " + gdcmFrames.size()
                    + " GDCM frames");
        }
        long ours = 0;
        long theirs = 0;
        for (int i = 0; i < natives.size(); i++) {
            ours += codec.encode(transferSyntax, nativeImages.get(i), natives.get(i), EncodeOptions.DEFAULT).data().length;
            theirs += gdcmFrames.get(i).length;
        }
        System.out.printf("%s %s, %d frames: our code streams %d bytes, gdcmconv's %d bytes%n", images,
                transferSyntax, natives.size(), ours, theirs);
    }

    /** GDCM's code streams of the native frames, and both extracted into vectors under {@code work}. */
    private List<CodecVectors.Vector<ImageDescriptor>> makeVectors(Path work, boolean lossy) throws IOException {
        Path in = work.resolve("in");
        List<Path> files = new ArrayList<>(linkedCorpusFiles(images, images.equals("US") ? 1 : Integer.MAX_VALUE, in));
        for (Path file : List.copyOf(files)) {
            Path gdcm = in.resolve("gdcm-" + file.getFileName());
            List<String> cmd = new ArrayList<>(List.of(Tools.require("gdcmconv").toString(), "--j2k"));
            if (lossy) {
                cmd.addAll(List.of("--lossy", "-r", "10"));  // as make-corpus.py's j2k-lossy
            }
            cmd.addAll(List.of(file.toString(), gdcm.toString()));
            Tools.run(Duration.ofMinutes(1), cmd).assertSuccess();
            files.add(gdcm);
        }
        return J2kVectors.VECTORS.extract(work.resolve("vectors"), List.of(), files);
    }

    @Benchmark
    public byte[] decodeGdcmStream() throws CodecException {
        int i = nextFrame(gdcmFrames.size());
        return codec.decode(transferSyntax, gdcmImages.get(i), gdcmFrames.get(i)).pixels();
    }

    @Benchmark
    public byte[] encode() throws CodecException {
        int i = nextFrame(natives.size());
        return codec.encode(transferSyntax, nativeImages.get(i), natives.get(i), EncodeOptions.DEFAULT).data();
    }
}
