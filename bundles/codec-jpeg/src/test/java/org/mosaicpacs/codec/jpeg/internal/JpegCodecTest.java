package org.mosaicpacs.codec.jpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;

/** Round trips, stream quirks and error handling, on frames made here. */
class JpegCodecTest {

    private final JpegCodec codec = new JpegCodec(JpegCodec.Settings.DEFAULT);

    /** A smooth image with some noise, masked to {@code bits}, in the layout {@code image} describes. */
    static byte[] synthetic(ImageDescriptor image, long seed) {
        Random random = new Random(seed);
        int n = image.rows() * image.columns() * image.samplesPerPixel();
        int max = (1 << image.bitsStored()) - 1;
        byte[] out = new byte[(int) image.frameLength()];
        for (int i = 0; i < n; i++) {
            int pixel = i / image.samplesPerPixel();
            int x = pixel % image.columns();
            int y = pixel / image.columns();
            double smooth = (Math.sin(x / 7.0) + Math.cos(y / 5.0) + 2) / 4 * max;
            int v = (int) Math.max(0, Math.min(max, smooth + random.nextGaussian() * max / 50));
            if (image.bitsAllocated() == 16) {
                out[2 * i] = (byte) v;
                out[2 * i + 1] = (byte) (v >> 8);
            } else {
                out[i] = (byte) v;
            }
        }
        return out;
    }

    private static ImageDescriptor gray(int rows, int columns, int bitsAllocated, int bitsStored, boolean signed) {
        return new ImageDescriptor(rows, columns, 1, bitsAllocated, bitsStored, bitsStored - 1, signed,
                "MONOCHROME2", 0);
    }

    private static ImageDescriptor rgb(int rows, int columns) {
        return new ImageDescriptor(rows, columns, 3, 8, 8, 7, false, "RGB", 0);
    }

    @ParameterizedTest(name = "{0}x{1}, {2} of {3} bits, predictor {4}")
    @CsvSource({
            "1, 1, 8, 8, 1", "1, 17, 8, 2, 4", "17, 1, 8, 5, 7", "33, 19, 8, 8, 2",
            "40, 31, 16, 9, 3", "40, 31, 16, 12, 5", "40, 31, 16, 15, 6", "40, 31, 16, 16, 7",
            "64, 64, 16, 16, 1"})
    void losslessRoundTripIsExact(int rows, int columns, int bitsAllocated, int bitsStored, int predictor)
            throws Exception {
        ImageDescriptor image = gray(rows, columns, bitsAllocated, bitsStored, false);
        byte[] pixels = synthetic(image, rows * 31L + predictor);
        EncodedFrame encoded = JpegEncoder.encodeLossless(image, pixels, predictor, 0);
        assertThat(encoded.lossy()).isFalse();
        DecodedFrame decoded = codec.decode(JpegCodec.JPEG_LOSSLESS, encoded.image(), encoded.data());
        assertThat(decoded.pixels()).isEqualTo(pixels);
        assertThat(decoded.image()).isEqualTo(image);
    }

    @Test
    void signedLosslessKeepsTheStoredBitsAsDcmtkDoes() throws Exception {
        ImageDescriptor image = gray(9, 11, 16, 12, true);
        byte[] pixels = new byte[(int) image.frameLength()];
        for (int i = 0; i < 99; i++) {
            short v = (short) ((i * 37 % 4096) - 2048); // sign-extended 12-bit values, as modalities write them
            pixels[2 * i] = (byte) v;
            pixels[2 * i + 1] = (byte) (v >> 8);
        }
        EncodedFrame encoded = codec.encode(JpegCodec.JPEG_LOSSLESS_SV1, image, pixels, EncodeOptions.DEFAULT);
        byte[] decoded = codec.decode(JpegCodec.JPEG_LOSSLESS_SV1, encoded.image(), encoded.data()).pixels();
        for (int i = 0; i < 99; i++) {
            int original = (pixels[2 * i] & 0xFF | pixels[2 * i + 1] << 8) & 0xFFF;
            // only the bits up to High Bit are pixel data (PS3.5 8.1.1); DCMTK does not sign-extend either
            assertThat(decoded[2 * i] & 0xFF | (decoded[2 * i + 1] & 0xFF) << 8).isEqualTo(original);
        }
    }

    @Test
    void sixteenBitSignedLosslessIsExact() throws Exception {
        ImageDescriptor image = gray(32, 48, 16, 16, true);
        byte[] pixels = synthetic(image, 5);
        for (int i = 1; i < pixels.length; i += 16) {
            pixels[i] = (byte) 0x80; // large negative values: differences need category 16 (T.81 H.1.2.2)
        }
        for (int sv = 1; sv <= 7; sv++) {
            EncodedFrame encoded = JpegEncoder.encodeLossless(image, pixels, sv, 0);
            assertThat(codec.decode(JpegCodec.JPEG_LOSSLESS, image, encoded.data()).pixels()).isEqualTo(pixels);
        }
    }

    @Test
    void colourLosslessByPlaneDecodesByPixel() throws Exception {
        ImageDescriptor byPixel = rgb(13, 21);
        byte[] pixels = synthetic(byPixel, 9);
        byte[] planes = new byte[pixels.length];
        int n = 13 * 21;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                planes[c * n + i] = pixels[3 * i + c];
            }
        }
        EncodedFrame encoded = codec.encode(JpegCodec.JPEG_LOSSLESS, byPixel.withPlanarConfiguration(1), planes,
                EncodeOptions.DEFAULT);
        assertThat(encoded.image()).isEqualTo(byPixel);
        DecodedFrame decoded = codec.decode(JpegCodec.JPEG_LOSSLESS, encoded.image(), encoded.data());
        assertThat(decoded.pixels()).isEqualTo(pixels);
        assertThat(decoded.image().photometricInterpretation()).isEqualTo("RGB");
    }

    @ParameterizedTest(name = "{0}x{1} {2}-bit quality {3}")
    @CsvSource({"1, 1, 8, 100", "7, 9, 8, 90", "64, 48, 8, 75", "33, 65, 12, 90", "16, 16, 12, 100"})
    void dctRoundTripIsClose(int rows, int columns, int bits, int quality) throws Exception {
        ImageDescriptor image = gray(rows, columns, bits == 8 ? 8 : 16, bits, false);
        byte[] pixels = synthetic(image, rows);
        String ts = bits == 8 ? JpegCodec.JPEG_BASELINE : JpegCodec.JPEG_EXTENDED;
        EncodedFrame encoded = codec.encode(ts, image, pixels, new EncodeOptions(quality, 0, 10));
        assertThat(encoded.lossy()).isTrue();
        DecodedFrame decoded = codec.decode(ts, encoded.image(), encoded.data());
        assertThat(psnr(pixels, decoded.pixels(), image)).isGreaterThan(quality >= 90 ? 36 : 30);
    }

    @ParameterizedTest(name = "{0}x{1} subsampled {2}")
    @CsvSource({"1, 1, true", "3, 3, true", "3, 3, false", "17, 2, true", "40, 57, true", "40, 57, false"})
    void colourBaselineRoundTripsThroughYbr(int rows, int columns, boolean subsample) throws Exception {
        JpegCodec c = new JpegCodec(new JpegCodec.Settings(true, subsample, 6));
        ImageDescriptor image = rgb(rows, columns);
        byte[] pixels = synthetic(image, 3);
        EncodedFrame encoded = c.encode(JpegCodec.JPEG_BASELINE, image, pixels, EncodeOptions.DEFAULT);
        assertThat(encoded.image().photometricInterpretation()).isEqualTo(subsample ? "YBR_FULL_422" : "YBR_FULL");
        DecodedFrame decoded = c.decode(JpegCodec.JPEG_BASELINE, encoded.image(), encoded.data());
        assertThat(decoded.image().photometricInterpretation()).isEqualTo("RGB");
        assertThat(psnr(pixels, decoded.pixels(), image)).isGreaterThan(30);
        DecodedFrame ybr = new JpegCodec(new JpegCodec.Settings(false, subsample, 6))
                .decode(JpegCodec.JPEG_BASELINE, encoded.image(), encoded.data());
        assertThat(ybr.image().photometricInterpretation()).isEqualTo("YBR_FULL");
    }

    @Test
    void twelveBitColourExtendedRoundTrips() throws Exception {
        ImageDescriptor image = new ImageDescriptor(24, 33, 3, 16, 12, 11, false, "RGB", 0);
        byte[] pixels = synthetic(image, 12);
        EncodedFrame encoded = codec.encode(JpegCodec.JPEG_EXTENDED, image, pixels, EncodeOptions.DEFAULT);
        assertThat(encoded.image().photometricInterpretation()).isEqualTo("YBR_FULL_422");
        DecodedFrame decoded = codec.decode(JpegCodec.JPEG_EXTENDED, encoded.image(), encoded.data());
        assertThat(decoded.image().photometricInterpretation()).isEqualTo("RGB");
        assertThat(psnr(pixels, decoded.pixels(), image)).isGreaterThan(36);
    }

    private static double psnr(byte[] a, byte[] b, ImageDescriptor image) {
        boolean wide = image.bitsAllocated() == 16;
        int n = wide ? a.length / 2 : a.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int x = wide ? a[2 * i] & 0xFF | (a[2 * i + 1] & 0xFF) << 8 : a[i] & 0xFF;
            int y = wide ? b[2 * i] & 0xFF | (b[2 * i + 1] & 0xFF) << 8 : b[i] & 0xFF;
            sum += (double) (x - y) * (x - y);
        }
        double max = (1 << image.bitsStored()) - 1;
        return sum == 0 ? 99 : 10 * Math.log10(max * max / (sum / n));
    }

    // --- stream quirks ---------------------------------------------------------------------------

    private static int find(byte[] data, int marker) {
        for (int i = 0; i + 1 < data.length; i++) {
            if (data[i] == (byte) 0xFF && (data[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void restartIntervalsDecode() throws Exception {
        ImageDescriptor image = gray(37, 45, 16, 12, false);
        byte[] pixels = synthetic(image, 1);
        EncodedFrame lossless = JpegEncoder.encodeLossless(image, pixels, 5, 45 * 4);
        assertThat(codec.decode(JpegCodec.JPEG_LOSSLESS, image, lossless.data()).pixels()).isEqualTo(pixels);
        ImageDescriptor colour = rgb(37, 45);
        byte[] rgb = synthetic(colour, 2);
        EncodedFrame dct = JpegEncoder.encodeDct(colour, rgb, true, 90, true, 3);
        EncodedFrame plain = JpegEncoder.encodeDct(colour, rgb, true, 90, true, 0);
        assertThat(codec.decode(JpegCodec.JPEG_BASELINE, dct.image(), dct.data()).pixels())
                .isEqualTo(codec.decode(JpegCodec.JPEG_BASELINE, plain.image(), plain.data()).pixels());
    }

    @Test
    void fillBytesBeforeMarkersAndPaddingAfterEoiAreAccepted() throws Exception {
        ImageDescriptor image = gray(20, 30, 8, 8, false);
        byte[] pixels = synthetic(image, 4);
        byte[] data = JpegEncoder.encodeLossless(image, pixels, 1, 0).data();
        int eoi = find(data, Markers.EOI);
        int sos = find(data, Markers.SOS);
        byte[] filled = concat(Arrays.copyOf(data, sos), new byte[] {(byte) 0xFF, (byte) 0xFF},
                Arrays.copyOfRange(data, sos, eoi), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                Arrays.copyOfRange(data, eoi, data.length), new byte[] {0, 0, (byte) 0xFF, 0x12});
        assertThat(codec.decode(JpegCodec.JPEG_LOSSLESS_SV1, image, filled).pixels()).isEqualTo(pixels);
        byte[] noEoi = Arrays.copyOf(data, eoi);
        assertThat(codec.decode(JpegCodec.JPEG_LOSSLESS_SV1, image, noEoi).pixels()).isEqualTo(pixels);
    }

    @Test
    void zeroLinesInTheFrameHeaderAreTakenFromDnl() throws Exception {
        ImageDescriptor image = gray(24, 16, 8, 8, false);
        byte[] pixels = synthetic(image, 6);
        byte[] data = JpegEncoder.encodeDct(image, pixels, true, 90, true, 0).data();
        byte[] expected = codec.decode(JpegCodec.JPEG_BASELINE, image, data).pixels();
        int sof = find(data, Markers.SOF0);
        data[sof + 5] = 0; // Y = 0 (T.81 B.2.2)
        data[sof + 6] = 0;
        int eoi = find(data, Markers.EOI);
        byte[] dnl = {(byte) 0xFF, (byte) Markers.DNL, 0, 4, 0, 24};
        byte[] withDnl = concat(Arrays.copyOf(data, eoi), dnl, Arrays.copyOfRange(data, eoi, data.length));
        assertThat(codec.decode(JpegCodec.JPEG_BASELINE, image, withDnl).pixels()).isEqualTo(expected);
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, image, data))
                .isInstanceOf(CodecException.class).hasMessageContaining("DNL");
    }

    @Test
    void predictorAndPointTransformComeFromTheStreamNotTheSyntax() throws Exception {
        // Values that are multiples of 8 coded with Pt = 3: code v >> 3 at precision P - 3, whose first
        // prediction 2^(P-3-1) equals the one of precision P with Pt 3, then patch SOF and SOS.
        ImageDescriptor image = gray(10, 12, 16, 12, false);
        byte[] pixels = synthetic(image, 8);
        byte[] shifted = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i += 2) {
            int v = (pixels[i] & 0xFF | (pixels[i + 1] & 0xFF) << 8) & ~7;
            pixels[i] = (byte) v;
            pixels[i + 1] = (byte) (v >> 8);
            shifted[i] = (byte) (v >> 3);
            shifted[i + 1] = (byte) (v >> 11);
        }
        byte[] data = JpegEncoder.encodeLossless(gray(10, 12, 16, 9, false), shifted, 7, 0).data();
        data[find(data, Markers.SOF3) + 4] = 12;
        int sos = find(data, Markers.SOS);
        data[sos + 4 + 2 * 1 + 3] = 3; // Ah = 0, Al = Pt = 3
        DecodedFrame decoded = codec.decode(JpegCodec.JPEG_LOSSLESS_SV1, image, data);
        assertThat(decoded.pixels()).isEqualTo(pixels);
    }

    // --- errors -----------------------------------------------------------------------------------

    @Test
    void emptyAndNonJpegFramesAreRejected() {
        ImageDescriptor image = gray(8, 8, 8, 8, false);
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, image, new byte[0]))
                .isInstanceOf(CodecException.class).hasMessageContaining("SOI");
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, image, new byte[] {(byte) 0xFF, (byte) 0xD8}))
                .isInstanceOf(CodecException.class).hasMessageContaining("no frame header");
        assertThatThrownBy(() -> codec.decode("1.2.840.10008.1.2.4.80", image, new byte[] {(byte) 0xFF}))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void unsupportedProcessesAndMismatchesAreNamed() throws Exception {
        ImageDescriptor image = gray(16, 16, 8, 8, false);
        byte[] data = codec.encode(JpegCodec.JPEG_BASELINE, image, synthetic(image, 1), EncodeOptions.DEFAULT).data();
        byte[] progressive = data.clone();
        progressive[find(progressive, Markers.SOF0) + 1] = (byte) Markers.SOF2;
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, image, progressive))
                .isInstanceOf(CodecException.class).hasMessageContaining("progressive");
        byte[] arithmetic = data.clone();
        arithmetic[find(arithmetic, Markers.SOF0) + 1] = (byte) 0xC9;
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, image, arithmetic))
                .isInstanceOf(CodecException.class).hasMessageContaining("arithmetic");
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, gray(16, 17, 8, 8, false), data))
                .isInstanceOf(CodecException.class).hasMessageContaining("16x16");
        ImageDescriptor deep = gray(16, 16, 16, 16, false);
        byte[] sixteen = codec.encode(JpegCodec.JPEG_LOSSLESS, deep, synthetic(deep, 2), EncodeOptions.DEFAULT).data();
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_LOSSLESS, gray(16, 16, 8, 8, false), sixteen))
                .isInstanceOf(CodecException.class).hasMessageContaining("Bits Allocated 8");
    }

    @Test
    void bogusHuffmanTablesAreRejected() throws Exception {
        ImageDescriptor image = gray(16, 16, 8, 8, false);
        byte[] data = codec.encode(JpegCodec.JPEG_BASELINE, image, synthetic(image, 1), EncodeOptions.DEFAULT).data();
        byte[] overfull = data.clone();
        overfull[find(overfull, Markers.DHT) + 5] = 3; // three 1-bit codes cannot exist
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, image, overfull))
                .isInstanceOf(CodecException.class).hasMessageContaining("DHT");
        byte[] noTables = data.clone();
        noTables[find(noTables, Markers.DHT) + 1] = (byte) 0xFE; // DHT becomes an APP14 segment
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_BASELINE, image, noTables))
                .isInstanceOf(CodecException.class).hasMessageContaining("not defined");
    }

    @Test
    void truncatedStreamsAreReported() throws Exception {
        ImageDescriptor image = gray(64, 64, 16, 12, false);
        byte[] data = codec.encode(JpegCodec.JPEG_EXTENDED, image, synthetic(image, 1), EncodeOptions.DEFAULT).data();
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_EXTENDED, image, Arrays.copyOf(data, data.length / 2)))
                .isInstanceOf(CodecException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> codec.decode(JpegCodec.JPEG_EXTENDED, image, Arrays.copyOf(data, 30)))
                .isInstanceOf(CodecException.class).hasMessageContaining("truncated");
    }

    @Test
    void encodableParametersFollowPs35() {
        assertThat(codec.canEncode(JpegCodec.JPEG_BASELINE, gray(8, 8, 8, 8, false))).isTrue();
        assertThat(codec.canEncode(JpegCodec.JPEG_BASELINE, gray(8, 8, 16, 12, false))).isFalse();
        assertThat(codec.canEncode(JpegCodec.JPEG_EXTENDED, gray(8, 8, 16, 12, false))).isTrue();
        assertThat(codec.canEncode(JpegCodec.JPEG_EXTENDED, gray(8, 8, 16, 12, true))).isFalse();
        assertThat(codec.canEncode(JpegCodec.JPEG_EXTENDED, gray(8, 8, 16, 16, false))).isFalse();
        assertThat(codec.canEncode(JpegCodec.JPEG_LOSSLESS, gray(8, 8, 16, 16, true))).isTrue();
        assertThat(codec.canEncode(JpegCodec.JPEG_LOSSLESS_SV1, rgb(8, 8))).isTrue();
        ImageDescriptor palette = new ImageDescriptor(8, 8, 1, 8, 8, 7, false, "PALETTE COLOR", 0);
        assertThat(codec.canEncode(JpegCodec.JPEG_LOSSLESS, palette)).isTrue();
        assertThat(codec.canEncode(JpegCodec.JPEG_BASELINE, palette)).isFalse();
        assertThat(codec.canEncode(JpegCodec.JPEG_BASELINE, rgb(8, 8).withPhotometricInterpretation("YBR_FULL_422")))
                .isFalse();
        assertThat(codec.canEncode("1.2.840.10008.1.2.4.80", gray(8, 8, 8, 8, false))).isFalse();
        assertThatThrownBy(() -> codec.encode(JpegCodec.JPEG_BASELINE, gray(8, 8, 16, 12, false), new byte[128],
                EncodeOptions.DEFAULT)).isInstanceOf(CodecException.class).hasMessageContaining("Bits Stored 12");
        assertThatThrownBy(() -> codec.encode(JpegCodec.JPEG_LOSSLESS, gray(8, 8, 16, 12, false), new byte[12],
                EncodeOptions.DEFAULT)).isInstanceOf(CodecException.class).hasMessageContaining("128 expected");
    }
}
