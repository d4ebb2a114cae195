package org.mosaicpacs.codec.jpeg.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode and encode throughput on the 18 CT frames (512x512, 16-bit signed) of the generated mixed
 * corpus, one operation per frame: frames/s x 0.5 MiB = MiB/s of native pixels. Run with
 * {@code mvn -Pbench -pl bundles/codec-jpeg verify}; see the README for figures beside DCMTK.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(CtFramesBenchmark.FRAMES)
public class CtFramesBenchmark {

    static final int FRAMES = 18;

    /** JPEG Lossless SV1 and Process 14 (with the default predictor 6). */
    @Param({JpegCodec.JPEG_LOSSLESS_SV1, JpegCodec.JPEG_LOSSLESS})
    public String transferSyntax;

    private final JpegCodec codec = new JpegCodec(JpegCodec.Settings.DEFAULT);
    private final List<ImageDescriptor> images = new ArrayList<>();
    private final List<byte[]> natives = new ArrayList<>();
    private final List<byte[]> encoded = new ArrayList<>();

    @Setup
    public void loadFrames() throws CodecException {
        List<Path> ct = TestData.corpusFiles(TestData.mixedCorpus(), "CT");
        if (ct.size() != FRAMES) {
            throw new IllegalStateException("expected " + FRAMES + " CT frames, found " + ct.size());
        }
        Path work = TestVectors.workDir("bench-ct");
        TestVectors.run("natives", work, ct);
        for (JsonNode n : TestVectors.readJson(work.resolve("natives.json"))) {
            ImageDescriptor image = TestVectors.descriptor(n.get("image"));
            byte[] pixels = TestFiles.read(work.resolve(n.get("raw").asText()));
            images.add(image);
            natives.add(pixels);
            encoded.add(codec.encode(transferSyntax, image, pixels, EncodeOptions.DEFAULT).data());
        }
    }

    @Benchmark
    public void decode(Blackhole sink) throws CodecException {
        for (int i = 0; i < FRAMES; i++) {
            sink.consume(codec.decode(transferSyntax, images.get(i), encoded.get(i)));
        }
    }

    @Benchmark
    public void encode(Blackhole sink) throws CodecException {
        for (int i = 0; i < FRAMES; i++) {
            sink.consume(codec.encode(transferSyntax, images.get(i), natives.get(i), EncodeOptions.DEFAULT));
        }
    }
}
