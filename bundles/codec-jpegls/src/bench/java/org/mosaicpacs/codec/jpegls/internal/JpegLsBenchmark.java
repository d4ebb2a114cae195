package org.mosaicpacs.codec.jpegls.internal;

import java.util.concurrent.TimeUnit;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode and encode time of one CT 512x512 16-bit signed frame of the mixed corpus (512 KiB
 * native): decoding DCMTK's lossless stream, encoding lossless and near-lossless (NEAR 2).
 * Run with {@code mvn -Pbench -pl bundles/codec-jpegls verify}; MB/s = 0.524288 / (ms/op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JpegLsBenchmark {

    private final JpegLsCodec codec = new JpegLsCodec();
    private ImageDescriptor image;
    private byte[] dcmtkLossless;
    private byte[] gdcmNearLossless;
    private byte[] nativeFrame;

    @Setup
    public void loadFrames() {
        JpegLsVectors.Vector lossless = JpegLsVectors.find("jpegls-lossless-CT_IM00001");
        image = lossless.image();
        dcmtkLossless = lossless.frame(0);
        gdcmNearLossless = JpegLsVectors.find("jpegls-near-lossless-gdcm-CT_IM00001").frame(0);
        nativeFrame = JpegLsVectors.find("implicit-le-CT_IM00001").original();
    }

    @Benchmark
    public byte[] decodeLossless() throws CodecException {
        return codec.decode(JpegLsCodec.JPEG_LS_LOSSLESS, image, dcmtkLossless).pixels();
    }

    @Benchmark
    public byte[] decodeNearLossless() throws CodecException {
        return codec.decode(JpegLsCodec.JPEG_LS_NEAR_LOSSLESS, image, gdcmNearLossless).pixels();
    }

    @Benchmark
    public byte[] encodeLossless() throws CodecException {
        return codec.encode(JpegLsCodec.JPEG_LS_LOSSLESS, image, nativeFrame, EncodeOptions.DEFAULT).data();
    }

    @Benchmark
    public byte[] encodeNearLossless() throws CodecException {
        return codec.encode(JpegLsCodec.JPEG_LS_NEAR_LOSSLESS, image, nativeFrame, EncodeOptions.DEFAULT).data();
    }
}
