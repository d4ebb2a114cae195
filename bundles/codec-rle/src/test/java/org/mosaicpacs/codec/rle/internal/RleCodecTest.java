package org.mosaicpacs.codec.rle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.Planes;

class RleCodecTest {

    private static final String RLE = RleCodec.RLE_LOSSLESS;
    private final RleCodec codec = new RleCodec();

    private static ImageDescriptor gray(int rows, int columns, int bits) {
        return new ImageDescriptor(rows, columns, 1, bits, bits, bits - 1, false, "MONOCHROME2", 0);
    }

    private static ImageDescriptor rgb(int rows, int columns, int bits, int planar) {
        return new ImageDescriptor(rows, columns, 3, bits, bits, bits - 1, false, "RGB", planar);
    }

    /** A frame: the 64-byte header for these segments, then the segments. */
    private static byte[] rleFrame(int[]... segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[64];
        putInt(header, 0, segments.length);
        int offset = 64;
        for (int s = 0; s < segments.length; s++) {
            putInt(header, 4 + 4 * s, offset);
            offset += segments[s].length;
        }
        out.writeBytes(header);
        for (int[] segment : segments) {
            for (int b : segment) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }

    private static byte[] segment(byte[] frame, int s) {
        int start = readInt(frame, 4 + 4 * s);
        int count = readInt(frame, 0);
        int end = s + 1 < count ? readInt(frame, 8 + 4 * s) : frame.length;
        return Arrays.copyOfRange(frame, start, end);
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void replicateRunsAreSplitAt128() throws CodecException {
        byte[] frame = codec.encode(RLE, gray(1, 300, 8), new byte[300], EncodeOptions.DEFAULT).data();
        assertThat(readInt(frame, 0)).isEqualTo(1);
        assertThat(readInt(frame, 4)).isEqualTo(64);
        assertThat(segment(frame, 0)).containsExactly(bytes(-127, 0, -127, 0, -43, 0));
    }

    @Test
    void literalRunsAreSplitAt128() throws CodecException {
        byte[] row = new byte[200];
        for (int i = 0; i < row.length; i++) {
            row[i] = (byte) i;
        }
        byte[] seg = segment(codec.encode(RLE, gray(1, 200, 8), row, EncodeOptions.DEFAULT).data(), 0);
        assertThat(seg).hasSize(1 + 128 + 1 + 72);
        assertThat(seg[0]).isEqualTo((byte) 127);
        assertThat(seg[129]).isEqualTo((byte) 71);
        assertThat(Arrays.copyOfRange(seg, 130, 202)).isEqualTo(Arrays.copyOfRange(row, 128, 200));
    }

    @Test
    void runsStopAtTheEndOfEachRow() throws CodecException {
        byte[] seg = segment(codec.encode(RLE, gray(2, 4, 8), new byte[8], EncodeOptions.DEFAULT).data(), 0);
        assertThat(seg).containsExactly(bytes(-3, 0, -3, 0));
    }

    @Test
    void oddSegmentsArePaddedToEvenLength() throws CodecException {
        byte[] frame = codec.encode(RLE, gray(1, 2, 8), bytes(7, 9), EncodeOptions.DEFAULT).data();
        assertThat(segment(frame, 0)).containsExactly(bytes(1, 7, 9, 0));
        assertThat(codec.decode(RLE, gray(1, 2, 8), frame).pixels()).containsExactly(7, 9);
    }

    @Test
    void shortRunsBetweenLiteralsStayLiteral() throws CodecException {
        byte[] seg = segment(codec.encode(RLE, gray(1, 5, 8), bytes(1, 2, 2, 3, 4), EncodeOptions.DEFAULT).data(), 0);
        assertThat(seg).containsExactly(bytes(4, 1, 2, 2, 3, 4));
    }

    @Test
    void segmentsAreBytePlanesMostSignificantFirst() throws CodecException {
        ImageDescriptor image = new ImageDescriptor(1, 1, 3, 16, 16, 15, false, "RGB", 0);
        byte[] pixel = bytes(0x34, 0x12, 0x78, 0x56, 0xBC, 0x9A); // R=0x1234, G=0x5678, B=0x9ABC little endian
        byte[] frame = codec.encode(RLE, image, pixel, EncodeOptions.DEFAULT).data();
        assertThat(readInt(frame, 0)).isEqualTo(6);
        int[] expected = {0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC};
        for (int s = 0; s < 6; s++) {
            assertThat(segment(frame, s)).as("segment %d", s).containsExactly(bytes(0, expected[s]));
        }
        assertThat(codec.decode(RLE, image, frame).pixels()).isEqualTo(pixel);
    }

    @Test
    void thirtyTwoBitSamplesUseFourSegments() throws CodecException {
        byte[] pixels = bytes(0x04, 0x03, 0x02, 0x01, 0x08, 0x07, 0x06, 0x05);
        byte[] frame = codec.encode(RLE, gray(1, 2, 32), pixels, EncodeOptions.DEFAULT).data();
        assertThat(readInt(frame, 0)).isEqualTo(4);
        assertThat(segment(frame, 0)).containsExactly(bytes(1, 0x01, 0x05, 0));
        assertThat(segment(frame, 3)).containsExactly(bytes(1, 0x04, 0x08, 0));
        assertThat(codec.decode(RLE, gray(1, 2, 32), frame).pixels()).isEqualTo(pixels);
    }

    @Test
    void planarInputEncodesLikeInterleavedAndDecodesInterleaved() throws CodecException {
        ImageDescriptor interleaved = rgb(7, 9, 8, 0);
        byte[] pixels = new byte[(int) interleaved.frameLength()];
        new Random(5).nextBytes(pixels);
        byte[] planar = Planes.planar(pixels, interleaved.samplesPerPixel(), interleaved.bitsAllocated());
        EncodedFrame fromInterleaved = codec.encode(RLE, interleaved, pixels, EncodeOptions.DEFAULT);
        EncodedFrame fromPlanar = codec.encode(RLE, interleaved.withPlanarConfiguration(1), planar,
                EncodeOptions.DEFAULT);
        assertThat(fromPlanar.data()).isEqualTo(fromInterleaved.data());
        // PS3.5 G.2 note: colour RLE states Planar Configuration 1; decoding gives interleaved pixels.
        assertThat(fromInterleaved.image().planarConfiguration()).isEqualTo(1);
        assertThat(fromInterleaved.lossy()).isFalse();
        var decoded = codec.decode(RLE, fromInterleaved.image(), fromInterleaved.data());
        assertThat(decoded.image().planarConfiguration()).isZero();
        assertThat(decoded.pixels()).isEqualTo(pixels);
    }

    @Test
    void randomImagesRoundTrip() throws CodecException {
        Random random = new Random(42);
        for (int bits : new int[] {8, 16, 32}) {
            for (int spp : new int[] {1, 3}) {
                ImageDescriptor image = new ImageDescriptor(1 + random.nextInt(40), 1 + random.nextInt(300), spp,
                        bits, bits, bits - 1, false, spp == 1 ? "MONOCHROME2" : "RGB", 0);
                byte[] pixels = new byte[(int) image.frameLength()];
                for (int i = 0; i < pixels.length; i++) {
                    // runs of random length, so both run kinds and all split points occur
                    pixels[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(3) : i > 0 ? pixels[i - 1] : 0;
                }
                byte[] frame = codec.encode(RLE, image, pixels, EncodeOptions.DEFAULT).data();
                assertThat(frame.length % 2).isZero();
                assertThat(codec.decode(RLE, image, frame).pixels()).as(image.toString()).isEqualTo(pixels);
            }
        }
    }

    @Test
    void decoderAcceptsNoOpsRunsAcrossRowsAndTrailingPadding() throws CodecException {
        byte[] frame = rleFrame(new int[] {-128, -5, 9, 1, 0x42, 0x43, 0, 0});
        // -128 no-op, then 6 x 9 across both rows of 2x4, then literal of 2, then padding
        byte[] decoded = codec.decode(RLE, gray(2, 4, 8), frame).pixels();
        assertThat(decoded).containsExactly(9, 9, 9, 9, 9, 9, 0x42, 0x43);
    }

    @Test
    void corruptHeadersAreRejectedWithTheReason() {
        ImageDescriptor image = gray(2, 2, 8);
        assertRejected(image, new byte[10], "shorter than the 64-byte RLE header");
        byte[] zero = rleFrame(new int[] {-3, 0});
        putInt(zero, 0, 0);
        assertRejected(image, zero, "0 segments");
        byte[] sixteen = rleFrame(new int[] {-3, 0});
        putInt(sixteen, 0, 16);
        assertRejected(image, sixteen, "allows 1 to 15");
        assertRejected(image, rleFrame(new int[] {-3, 0}, new int[] {-3, 0}), "needs 1");
        byte[] late = rleFrame(new int[] {-3, 0});
        putInt(late, 4, 66);
        assertRejected(image, late, "requires 64");
        byte[] past = rleFrame(new int[] {-3, 0}, new int[] {-3, 0}, new int[] {-3, 0});
        putInt(past, 12, 1000);
        assertRejected(rgb(2, 2, 8, 0), past, "past the end");
        byte[] backwards = rleFrame(new int[] {-3, 0}, new int[] {-3, 0}, new int[] {-3, 0});
        putInt(backwards, 12, 65);
        assertRejected(rgb(2, 2, 8, 0), backwards, "before the previous segment");
    }

    @Test
    void corruptSegmentsAreRejectedWithTheReason() {
        ImageDescriptor image = gray(2, 2, 8);
        assertRejected(image, rleFrame(new int[] {-2, 0}), "ends after 3 of 4 bytes");
        assertRejected(image, rleFrame(new int[] {3, 1, 2}), "cut off by the end of the segment");
        assertRejected(image, rleFrame(new int[] {-3}), "no byte to repeat");
        assertRejected(image, rleFrame(new int[] {-4, 0}), "runs past the end of the 4-byte plane");
        assertRejected(image, rleFrame(new int[] {1, 5, 5, 4, 1, 2, 3, 4, 5}), "runs past the end");
    }

    @Test
    void unsupportedParametersAndSyntaxesAreRefused() {
        ImageDescriptor fourSamples = new ImageDescriptor(2, 2, 4, 8, 8, 7, false, "ARGB", 0);
        ImageDescriptor ybr422 = new ImageDescriptor(2, 2, 3, 8, 8, 7, false, "YBR_FULL_422", 0);
        assertThat(codec.canDecode(RLE, fourSamples)).isFalse();
        assertThat(codec.canDecode(RLE, gray(2, 2, 16))).isTrue();
        assertThat(codec.canDecode("1.2.840.10008.1.2.4.50", gray(2, 2, 8))).isFalse();
        assertThat(codec.canEncode(RLE, ybr422)).isFalse();
        assertThat(codec.canEncode(RLE, new ImageDescriptor(2, 2, 1, 1, 1, 0, false, "MONOCHROME2", 0))).isFalse();
        assertRejected(fourSamples, rleFrame(new int[] {-3, 0}), "1 or 3 Samples per Pixel");
        assertThatThrownBy(() -> codec.decode("1.2.840.10008.1.2.1", gray(2, 2, 8), new byte[64]))
                .isInstanceOf(CodecException.class).hasMessageContaining("not 1.2.840.10008.1.2.1");
        assertThatThrownBy(() -> codec.encode(RLE, gray(2, 2, 16), new byte[7], EncodeOptions.DEFAULT))
                .isInstanceOf(CodecException.class).hasMessageContaining("need 8");
        assertThatThrownBy(() -> codec.encode(RLE, ybr422, new byte[12], EncodeOptions.DEFAULT))
                .isInstanceOf(CodecException.class).hasMessageContaining("YBR_FULL_422");
    }

    private void assertRejected(ImageDescriptor image, byte[] frame, String reason) {
        assertThatThrownBy(() -> codec.decode(RLE, image, frame))
                .isInstanceOf(CodecException.class).hasMessageContaining(reason);
    }
}
