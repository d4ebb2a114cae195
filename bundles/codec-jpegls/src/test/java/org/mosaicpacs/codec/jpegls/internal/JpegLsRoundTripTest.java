package org.mosaicpacs.codec.jpegls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * Encoder and decoder against each other over the parameter space the reference tools cannot
 * produce: every precision 2..16, NEAR, all interleave modes, restart intervals, preset
 * parameters, SPIFF headers; and the codec's handling of image descriptors.
 */
class JpegLsRoundTripTest {

    private static final String LOSSLESS = JpegLsCodec.JPEG_LS_LOSSLESS;
    private static final String NEAR_LOSSLESS = JpegLsCodec.JPEG_LS_NEAR_LOSSLESS;

    private final JpegLsCodec codec = new JpegLsCodec();
    private final QuantizationTables tables = new QuantizationTables();

    /** Samples of one frame, component-major, as the encoder's source and the decoder's sink. */
    static final class IntImage implements SampleSource, SampleSink {
        final int width;
        final int height;
        final int[][] samples;

        IntImage(int width, int height, int components) {
            this.width = width;
            this.height = height;
            this.samples = new int[components][width * height];
        }

        @Override
        public void getLine(int row, int component, int[] line, int offset, int stride) {
            for (int x = 0; x < width; x++) {
                line[offset + x * stride] = samples[component][row * width + x];
            }
        }

        @Override
        public void putLine(int row, int component, int[] line, int offset, int stride) {
            for (int x = 0; x < width; x++) {
                samples[component][row * width + x] = line[offset + x * stride];
            }
        }
    }

    /** A mix of smooth areas, flat runs, edges and noise, so that every coding path is taken. */
    static IntImage testImage(int width, int height, int components, int maxVal, long seed) {
        Random random = new Random(seed);
        IntImage image = new IntImage(width, height, components);
        for (int c = 0; c < components; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double smooth = (Math.sin(x / 5.0 + c) + Math.cos(y / 3.0)) / 4 + 0.5;
                    int v;
                    if (y % 11 < 3) {
                        v = (x / 7 % 2) * maxVal; // flat runs and hard edges
                    } else if (y % 11 < 6) {
                        v = random.nextInt(maxVal + 1); // noise: long Golomb codes and escapes
                    } else {
                        v = (int) Math.round(smooth * maxVal) + random.nextInt(3) - 1;
                    }
                    image.samples[c][y * width + x] = Math.max(0, Math.min(maxVal, v));
                }
            }
        }
        return image;
    }

    static Stream<Arguments> parameterSpace() {
        return IntStream.rangeClosed(2, 16).boxed().flatMap(p -> Stream.of(
                Arguments.of(p, 0, 1, 0, 0),
                Arguments.of(p, 1, 1, 0, 0),
                Arguments.of(p, Math.min(p * 3, ((1 << p) - 1) / 2), 1, 0, 5),
                Arguments.of(p, 0, 3, 0, 0),
                Arguments.of(p, 0, 3, 1, 4),
                Arguments.of(p, 2 % ((1 << p) / 2), 3, 2, 0),
                Arguments.of(p, 0, 3, 2, 7)));
    }

    @ParameterizedTest(name = "P={0} NEAR={1} components={2} ILV={3} restart={4}")
    @MethodSource("parameterSpace")
    void decodesWhatItEncodes(int precision, int near, int components, int interleave, int restartInterval)
            throws CodecException {
        int maxVal = (1 << precision) - 1;
        IntImage original = testImage(37, 29, components, maxVal, precision * 31L + near);
        JpegLsEncoder.Settings settings = new JpegLsEncoder.Settings(precision, 0, near, interleave, restartInterval,
                0, 0, 0, 0);
        byte[] stream = JpegLsEncoder.encode(original, 37, 29, components, settings, tables);

        IntImage decoded = decode(stream, 37, 29, components);
        for (int c = 0; c < components; c++) {
            for (int i = 0; i < original.samples[c].length; i++) {
                assertThat(Math.abs(decoded.samples[c][i] - original.samples[c][i]))
                        .as("component %d sample %d", c, i).isLessThanOrEqualTo(near);
            }
        }
    }

    private IntImage decode(byte[] stream, int width, int height, int components) throws CodecException {
        JpegLsDecoder decoder = new JpegLsDecoder(stream, tables);
        JpegLsDecoder.FrameHeader header = decoder.readHeader();
        assertThat(header.columns()).isEqualTo(width);
        assertThat(header.rows()).isEqualTo(height);
        assertThat(header.components()).isEqualTo(components);
        IntImage decoded = new IntImage(width, height, components);
        decoder.decode(decoded);
        return decoded;
    }

    @Test
    void presetParametersAndCustomMaxValAreHonoured() throws CodecException {
        IntImage original = testImage(40, 30, 1, 1000, 7);
        JpegLsEncoder.Settings settings = new JpegLsEncoder.Settings(12, 1000, 3, 0, 0, 10, 20, 30, 17);
        byte[] stream = JpegLsEncoder.encode(original, 40, 30, 1, settings, tables);
        assertThat(indexOf(stream, new byte[] {(byte) 0xFF, (byte) 0xF8, 0, 13, 1, 0x03, (byte) 0xE8, 0, 10, 0, 20,
            0, 30, 0, 17})).as("LSE segment").isPositive();
        IntImage decoded = decode(stream, 40, 30, 1);
        for (int i = 0; i < original.samples[0].length; i++) {
            assertThat(Math.abs(decoded.samples[0][i] - original.samples[0][i])).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void defaultThresholdsFollowT87() throws CodecException {
        // T.87 C.2.4.1.1.1, and what DCMTK (CharLS) writes into its LSE segments for 16 and 14 bits.
        assertThat(CodingParameters.defaultThresholds(255, 0)).containsExactly(3, 7, 21);
        assertThat(CodingParameters.defaultThresholds(65535, 0)).containsExactly(18, 67, 276);
        assertThat(CodingParameters.defaultThresholds(16383, 2)).containsExactly(24, 77, 290);
        assertThat(CodingParameters.defaultThresholds(4095, 0)).containsExactly(18, 67, 276);
        assertThat(CodingParameters.defaultThresholds(3, 0)).containsExactly(2, 3, 3);
        CodingParameters p = CodingParameters.defaults(16, 0);
        assertThat(p.range).isEqualTo(65536);
        assertThat(p.qbpp).isEqualTo(16);
        assertThat(p.limit).isEqualTo(64);
    }

    @Test
    void spiffHeaderIsSkipped() throws CodecException {
        IntImage original = testImage(20, 10, 1, 255, 3);
        byte[] plain = JpegLsEncoder.encode(original, 20, 10, 1, JpegLsEncoder.Settings.of(8, 0, 0), tables);
        // T.87 / T.84 F.2: SOI, APP8 "SPIFF\0" header, end-of-directory entry (tag 1) holding the next SOI.
        ByteArrayOutputStream spiff = new ByteArrayOutputStream();
        spiff.write(plain, 0, 2);
        spiff.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE8, 0, 32, 'S', 'P', 'I', 'F', 'F', 0, 2, 0, 0, 1,
            0, 0, 0, 10, 0, 0, 0, 20, 8, 8, 6, 0, 0, 0, 0, 1, 0, 0, 0, 1});
        spiff.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE8, 0, 8, 0, 0, 0, 1, (byte) 0xFF, (byte) 0xD8});
        spiff.write(plain, 2, plain.length - 2);
        IntImage decoded = decode(spiff.toByteArray(), 20, 10, 1);
        assertThat(decoded.samples[0]).isEqualTo(original.samples[0]);
    }

    @Test
    void codecRoundTripsPlanarColourAndReportsInterleavedResult() throws CodecException {
        ImageDescriptor planar = new ImageDescriptor(16, 24, 3, 8, 8, 7, false, "RGB", 1);
        byte[] pixels = new byte[(int) planar.frameLength()];
        new Random(5).nextBytes(pixels);
        EncodedFrame encoded = codec.encode(LOSSLESS, planar, pixels, EncodeOptions.DEFAULT);
        assertThat(encoded.lossy()).isFalse();
        assertThat(encoded.image().planarConfiguration()).isZero();
        DecodedFrame decoded = codec.decode(LOSSLESS, encoded.image(), encoded.data());
        byte[] interleaved = new byte[pixels.length];
        int plane = 16 * 24;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                interleaved[3 * i + c] = pixels[c * plane + i];
            }
        }
        assertThat(decoded.pixels()).isEqualTo(interleaved);
    }

    @Test
    void signedNearLosslessNextToTheExtremesFallsBackToLossless() throws CodecException {
        ImageDescriptor ct = new ImageDescriptor(8, 8, 1, 16, 16, 15, true, "MONOCHROME2", 0);
        byte[] pixels = new byte[128];
        for (int i = 0; i < 64; i++) {
            short v = (short) (i == 9 ? Short.MIN_VALUE : i * 100 - 3000);
            pixels[2 * i] = (byte) v;
            pixels[2 * i + 1] = (byte) (v >> 8);
        }
        EncodedFrame encoded = codec.encode(NEAR_LOSSLESS, ct, pixels, new EncodeOptions(90, 3, 10));
        assertThat(encoded.lossy()).as("coded losslessly").isFalse();
        assertThat(codec.decode(NEAR_LOSSLESS, ct, encoded.data()).pixels()).isEqualTo(pixels);

        pixels[18] = 0; // -32768 gone: near-lossless is safe now
        pixels[19] = 0;
        EncodedFrame lossy = codec.encode(NEAR_LOSSLESS, ct, pixels, new EncodeOptions(90, 3, 10));
        assertThat(lossy.lossy()).isTrue();
        assertThat(SampleMath.maxError(ct, pixels, codec.decode(NEAR_LOSSLESS, ct, lossy.data()).pixels()))
                .isLessThanOrEqualTo(3);
    }

    @Test
    void nearIsLimitedToWhatTheSamplePrecisionAllows() throws CodecException {
        ImageDescriptor gray = new ImageDescriptor(10, 10, 1, 8, 8, 7, false, "MONOCHROME2", 0);
        byte[] pixels = new byte[100];
        new Random(9).nextBytes(pixels);
        EncodedFrame encoded = codec.encode(NEAR_LOSSLESS, gray, pixels, new EncodeOptions(90, 255, 10));
        assertThat(encoded.lossy()).isTrue();
        assertThat(SampleMath.maxError(gray, pixels, codec.decode(NEAR_LOSSLESS, gray, encoded.data()).pixels()))
                .isLessThanOrEqualTo(127);
    }

    @Test
    void lossyOptionsAreIgnoredForTheLosslessSyntax() throws CodecException {
        ImageDescriptor gray = new ImageDescriptor(10, 10, 1, 16, 12, 11, false, "MONOCHROME2", 0);
        byte[] pixels = new byte[200];
        for (int i = 0; i < 100; i++) {
            pixels[2 * i] = (byte) (i * 37);
            pixels[2 * i + 1] = (byte) (i % 16);
        }
        EncodedFrame encoded = codec.encode(LOSSLESS, gray, pixels, new EncodeOptions(90, 9, 10));
        assertThat(encoded.lossy()).isFalse();
        assertThat(codec.decode(LOSSLESS, gray, encoded.data()).pixels()).isEqualTo(pixels);
    }

    @Test
    void capabilitiesAndRefusals() {
        ImageDescriptor mono16 = new ImageDescriptor(4, 4, 1, 16, 16, 15, false, "MONOCHROME2", 0);
        ImageDescriptor mono32 = new ImageDescriptor(4, 4, 1, 32, 32, 31, false, "MONOCHROME2", 0);
        ImageDescriptor ybr422 = new ImageDescriptor(4, 4, 3, 8, 8, 7, false, "YBR_FULL_422", 0);
        assertThat(codec.canDecode(LOSSLESS, mono16)).isTrue();
        assertThat(codec.canEncode(NEAR_LOSSLESS, mono16)).isTrue();
        assertThat(codec.canDecode("1.2.840.10008.1.2.4.50", mono16)).isFalse();
        assertThat(codec.canDecode(LOSSLESS, mono32)).isFalse();
        assertThat(codec.canEncode(LOSSLESS, ybr422)).isFalse();
        assertThatThrownBy(() -> codec.encode(LOSSLESS, ybr422, new byte[48], EncodeOptions.DEFAULT))
                .isInstanceOf(CodecException.class).hasMessageContaining("YBR_FULL_422");
        assertThatThrownBy(() -> codec.decode("1.2.840.10008.1.2.5", mono16, new byte[10]))
                .isInstanceOf(CodecException.class).hasMessageContaining("not 1.2.840.10008.1.2.5");
        assertThatThrownBy(() -> codec.encode(LOSSLESS, mono16, new byte[31], EncodeOptions.DEFAULT))
                .isInstanceOf(CodecException.class).hasMessageContaining("32 expected");
    }

    @Test
    void frameThatDisagreesWithTheDataSetIsRefused() throws CodecException {
        ImageDescriptor small = new ImageDescriptor(10, 10, 1, 8, 8, 7, false, "MONOCHROME2", 0);
        byte[] stream = codec.encode(LOSSLESS, small, new byte[100], EncodeOptions.DEFAULT).data();
        ImageDescriptor other = new ImageDescriptor(10, 12, 1, 8, 8, 7, false, "MONOCHROME2", 0);
        assertThatThrownBy(() -> codec.decode(LOSSLESS, other, stream)).isInstanceOf(CodecException.class)
                .hasMessageContaining("10x10").hasMessageContaining("12x10");
        ImageDescriptor wide = new ImageDescriptor(10, 10, 1, 16, 16, 15, false, "MONOCHROME2", 0);
        byte[] stream16 = codec.encode(LOSSLESS, wide, new byte[200], EncodeOptions.DEFAULT).data();
        assertThatThrownBy(() -> codec.decode(LOSSLESS, small, stream16)).isInstanceOf(CodecException.class)
                .hasMessageContaining("precision 16");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
