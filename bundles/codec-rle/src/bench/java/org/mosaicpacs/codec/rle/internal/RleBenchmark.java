package org.mosaicpacs.codec.rle.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
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
 * src/bench/tools-timing.sh} gives DCMTK and GDCM: the 18 CT frames (512x512, signed 16-bit,
 * 512 KiB native) or the 10 frames of the first US file (640x480 RGB, 900 KiB). Each invocation
 * handles the next frame in turn; the decoder reads our own streams (within 0.03% of dcmcrle's size,
 * see the README). Run with {@code mvn -B -o -Pbench -pl bundles/codec-rle verify};
 * MB/s = native bytes per frame / (ms/op) / 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 2)
@Fork(2)
public class RleBenchmark extends FrameBenchmark {

    /** Corpus kind (manifest.csv) and how many of its files: all CT slices, one US cine loop. */
    @Param({"CT", "US"})
    public String images;

    private final RleCodec codec = new RleCodec();
    private final List<ImageDescriptor> descriptors = new ArrayList<>();
    private final List<byte[]> natives = new ArrayList<>();
    private final List<byte[]> encoded = new ArrayList<>();

    @Setup
    public void loadFrames() throws IOException, CodecException {
        Path work = Path.of("target/bench-" + images);
        List<Path> files = linkedCorpusFiles(images, images.equals("US") ? 1 : Integer.MAX_VALUE, work.resolve("in"));
        for (var v : RleVectors.VECTORS.extract(work.resolve("vectors"), List.of(), files)) {
            for (int i = 0; i < v.frames(); i++) {
                byte[] pixels = v.frame(i);
                descriptors.add(v.image());
                natives.add(pixels);
                encoded.add(codec.encode(RleCodec.RLE_LOSSLESS, v.image(), pixels, EncodeOptions.DEFAULT).data());
            }
        }
        if (natives.isEmpty()) {
            throw new IllegalStateException("no " + images + " frames in the mixed corpus");
        }
    }

    @Benchmark
    public byte[] decode() throws CodecException {
        int i = nextFrame(encoded.size());
        return codec.decode(RleCodec.RLE_LOSSLESS, descriptors.get(i), encoded.get(i)).pixels();
    }

    @Benchmark
    public byte[] encode() throws CodecException {
        int i = nextFrame(natives.size());
        return codec.encode(RleCodec.RLE_LOSSLESS, descriptors.get(i), natives.get(i), EncodeOptions.DEFAULT).data();
    }
}
