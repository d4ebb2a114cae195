package org.mosaicpacs.codec.jpeg2000.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.Planes;

class J2kCodecTest {

    private static final String LOSSLESS = Jpeg2000Codec.LOSSLESS;
    private static final String LOSSY = Jpeg2000Codec.LOSSY;
    private final Jpeg2000Codec codec = new Jpeg2000Codec();

    private static ImageDescriptor signed12(int rows, int columns) {
        return new ImageDescriptor(rows, columns, 1, 16, 12, 11, true, "MONOCHROME2", 0);
    }

    /** Smooth signed 12-bit data, sign-extended to 16 bits as a modality writes it. */
    private static byte[] ramp(ImageDescriptor image, long seed) {
        Random random = new Random(seed);
        byte[] b = new byte[(int) image.frameLength()];
        for (int i = 0; i < image.rows() * image.columns(); i++) {
            int v = (i % image.columns()) * 16 - 2048 + random.nextInt(8);
            v = Math.max(-2048, Math.min(2047, v));
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    @Test
    void signedTwelveBitRoundTripsLosslesslyWithTwelveBitPrecision() throws CodecException {
        ImageDescriptor image = signed12(37, 53);
        byte[] pixels = ramp(image, 1);
        EncodedFrame encoded = codec.encode(LOSSLESS, image, pixels, EncodeOptions.DEFAULT);
        assertThat(encoded.lossy()).isFalse();
        // SIZ Ssiz of component 0: sign bit and precision - 1 (15444-1 A.5.1)
        int siz = indexOf(encoded.data(), 0xFF, 0x51);
        assertThat(encoded.data()[siz + 40] & 0xFF).isEqualTo(0x80 | 11);
        DecodedFrame decoded = codec.decode(LOSSLESS, encoded.image(), encoded.data());
        assertThat(decoded.pixels()).isEqualTo(pixels);
        assertThat(decoded.image().signed()).isTrue();
    }

    @Test
    void planarRgbEncodesWithRctAndDecodesInterleaved() throws CodecException {
        ImageDescriptor interleaved = new ImageDescriptor(20, 30, 3, 8, 8, 7, false, "RGB", 0);
        byte[] pixels = new byte[(int) interleaved.frameLength()];
        new Random(2).nextBytes(pixels);
        EncodedFrame encoded = codec.encode(LOSSLESS, interleaved.withPlanarConfiguration(1),
                Planes.planar(pixels, interleaved.samplesPerPixel(), interleaved.bitsAllocated()),
                EncodeOptions.DEFAULT);
        assertThat(encoded.image().photometricInterpretation()).isEqualTo("YBR_RCT");
        assertThat(encoded.image().planarConfiguration()).isZero();
        DecodedFrame decoded = codec.decode(LOSSLESS, encoded.image(), encoded.data());
        assertThat(decoded.image().photometricInterpretation()).isEqualTo("RGB");
        assertThat(decoded.pixels()).isEqualTo(pixels);
    }

    @Test
    void lossyRgbStatesIctAndIsMarkedLossy() throws CodecException {
        ImageDescriptor image = new ImageDescriptor(128, 128, 3, 8, 8, 7, false, "RGB", 0);
        byte[] pixels = new byte[(int) image.frameLength()];
        Random random = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) ((i / 3) % 128 + (i / 3 / 128) / 2 + random.nextInt(4));
        }
        EncodedFrame encoded = codec.encode(LOSSY, image, pixels, new EncodeOptions(90, 0, 20));
        assertThat(encoded.lossy()).isTrue();
        assertThat(encoded.image().photometricInterpretation()).isEqualTo("YBR_ICT");
        assertThat(encoded.data().length).isLessThanOrEqualTo(pixels.length / 20 * 105 / 100);
    }

    @Test
    void concurrentCallsGiveTheSameResults() throws Exception {
        ImageDescriptor image = signed12(64, 64);
        List<byte[]> inputs = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inputs.add(ramp(image, i));
            expected.add(codec.encode(LOSSY, image, inputs.get(i), EncodeOptions.DEFAULT).data());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < inputs.size(); i++) {
                    byte[] in = inputs.get(i);
                    results.add(pool.submit(() -> codec.encode(LOSSY, image, in, EncodeOptions.DEFAULT).data()));
                }
            }
            for (int k = 0; k < results.size(); k++) {
                assertThat(results.get(k).get()).isEqualTo(expected.get(k % inputs.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void framesThatDoNotMatchTheDataSetAreRefused() throws CodecException {
        ImageDescriptor image = signed12(16, 16);
        byte[] stream = codec.encode(LOSSLESS, image, ramp(image, 4), EncodeOptions.DEFAULT).data();
        assertThatThrownBy(() -> codec.decode(LOSSLESS, signed12(16, 17), stream))
                .isInstanceOf(CodecException.class).hasMessageContaining("16x16, the data set says 17x16");
        assertThatThrownBy(() -> codec.decode(LOSSLESS,
                new ImageDescriptor(16, 16, 3, 16, 12, 11, true, "RGB", 0), stream))
                .isInstanceOf(CodecException.class).hasMessageContaining("1 components");
        assertThatThrownBy(() -> codec.decode(LOSSLESS,
                new ImageDescriptor(16, 16, 1, 8, 8, 7, true, "MONOCHROME2", 0), stream))
                .isInstanceOf(CodecException.class).hasMessageContaining("more than Bits Allocated 8");
        assertThatThrownBy(() -> codec.decode(LOSSLESS, image, new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(CodecException.class).hasMessageContaining("corrupt JPEG 2000 frame");
        assertThatThrownBy(() -> codec.decode(LOSSLESS, image, java.util.Arrays.copyOf(stream, stream.length / 2)))
                .isInstanceOf(CodecException.class).hasMessageContaining("truncated data");
    }

    @Test
    void unsupportedParametersAreRefused() {
        ImageDescriptor rgb422 = new ImageDescriptor(4, 4, 3, 8, 8, 7, false, "YBR_FULL_422", 0);
        ImageDescriptor oddHighBit = new ImageDescriptor(4, 4, 1, 16, 12, 15, false, "MONOCHROME2", 0);
        ImageDescriptor thirtyTwo = new ImageDescriptor(4, 4, 1, 32, 32, 31, false, "MONOCHROME2", 0);
        assertThat(codec.canEncode(LOSSLESS, rgb422)).isFalse();
        assertThat(codec.canEncode(LOSSLESS, oddHighBit)).isFalse();
        assertThat(codec.canDecode(LOSSLESS, oddHighBit)).isTrue();
        assertThat(codec.canDecode(LOSSY, thirtyTwo)).isFalse();
        assertThat(codec.canDecode("1.2.840.10008.1.2.5", signed12(4, 4))).isFalse();
        assertThatThrownBy(() -> codec.encode(LOSSLESS, oddHighBit, new byte[32], EncodeOptions.DEFAULT))
                .isInstanceOf(CodecException.class).hasMessageContaining("High Bit = Bits Stored - 1");
        assertThatThrownBy(() -> codec.encode(LOSSLESS, signed12(4, 4), new byte[31], EncodeOptions.DEFAULT))
                .isInstanceOf(CodecException.class).hasMessageContaining("need 32");
    }

    @Test
    void underCountedTilePartsAreCorrected() {
        // SOC, SIZ-less main header reduced to SOC; two tile-parts of tile 0 that claim TNsot 1
        byte[] stream = {
            (byte) 0xFF, 0x4F,
            (byte) 0xFF, (byte) 0x90, 0, 10, 0, 0, 0, 0, 0, 14, 0, 1, (byte) 0xFF, (byte) 0x93,
            (byte) 0xFF, (byte) 0x90, 0, 10, 0, 0, 0, 0, 0, 14, 1, 1, (byte) 0xFF, (byte) 0x93,
            (byte) 0xFF, (byte) 0xD9};
        TileParts scan = TileParts.scan(stream, 0);
        assertThat(scan.problem()).isNull();
        byte[] corrected = scan.stream();
        assertThat(corrected).isNotSameAs(stream);
        assertThat(corrected[13]).isEqualTo((byte) 2);
        assertThat(corrected[27]).isEqualTo((byte) 2);
        assertThat(stream[13]).as("input untouched").isEqualTo((byte) 1);
        assertThat(TileParts.scan(corrected, 0).stream()).isSameAs(corrected);
        assertThat(TileParts.scan(java.util.Arrays.copyOf(stream, 15), 0).problem()).contains("truncated");
    }

    private static int indexOf(byte[] b, int first, int second) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == first && (b[i + 1] & 0xFF) == second) {
                return i;
            }
        }
        return -1;
    }
}
