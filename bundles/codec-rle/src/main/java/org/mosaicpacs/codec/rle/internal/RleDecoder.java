package org.mosaicpacs.codec.rle.internal;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G) into interleaved native pixels.
 *
 * <p>PS3.5 G.2 encodes every sample as its own segments whatever Planar Configuration says, so
 * the planes are re-interleaved here and the result always has Planar Configuration 0.
 */
final class RleDecoder {

    private RleDecoder() {
    }

    static byte[] decode(ImageDescriptor image, byte[] frame) throws CodecException {
        RleLayout layout = RleLayout.of(image);
        int[] offsets = readHeader(frame, layout.segments());
        byte[] out = new byte[layout.frameLength()];
        int stride = layout.stride(0);
        for (int s = 0; s < offsets.length; s++) {
            int end = s + 1 < offsets.length ? offsets[s + 1] : frame.length;
            decodeSegment(frame, offsets[s], end, out, layout.firstByte(s, 0), stride, layout.pixels(), s);
        }
        return out;
    }

    /** PS3.5 G.5: 16 little-endian 32-bit values, the number of segments then their offsets. */
    private static int[] readHeader(byte[] frame, int expectedSegments) throws CodecException {
        if (frame.length < RleLayout.HEADER_LENGTH) {
            throw new CodecException("RLE frame of " + frame.length + " bytes is shorter than the 64-byte RLE header");
        }
        long count = uint32(frame, 0);
        if (count < 1 || count > RleLayout.MAX_SEGMENTS) {
            throw new CodecException("RLE header gives " + count + " segments; PS3.5 G.5 allows 1 to 15");
        }
        if (count != expectedSegments) {
            throw new CodecException("RLE header gives " + count + " segments but the image needs " + expectedSegments
                    + " (one per byte of each sample)");
        }
        int[] offsets = new int[(int) count];
        long previous = RleLayout.HEADER_LENGTH;
        for (int s = 0; s < count; s++) {
            long offset = uint32(frame, 4 + 4 * s);
            if (s == 0 && offset != RleLayout.HEADER_LENGTH) {
                throw new CodecException("RLE segment 1 starts at offset " + offset + ", PS3.5 G.5 requires 64");
            }
            if (offset < previous || offset > frame.length) {
                throw new CodecException("RLE segment " + (s + 1) + " offset " + offset + " is "
                        + (offset > frame.length ? "past the end of the " + frame.length + "-byte frame"
                                : "before the previous segment's offset " + previous));
            }
            offsets[s] = (int) offset;
            previous = offset;
        }
        return offsets;
    }

    /**
     * PackBits (PS3.5 G.3.2): header byte n in 0..127 copies the next n+1 bytes, -127..-1 repeats the
     * next byte 1-n times, -128 is a no-op. Decoding stops once the plane is full: what follows is
     * padding (G.4 pads odd segments) and is ignored.
     */
    private static void decodeSegment(byte[] in, int pos, int end, byte[] out, int outPos, int stride, int pixels,
                                      int segment) throws CodecException {
        int produced = 0;
        while (produced < pixels) {
            if (pos >= end) {
                throw new CodecException("RLE segment " + (segment + 1) + " ends after " + produced + " of "
                        + pixels + " bytes of its plane (truncated data)");
            }
            int n = in[pos++];
            if (n >= 0) {
                int count = n + 1;
                if (produced + count > pixels) {
                    throw new CodecException(runPastPlane(segment, "literal", count, produced, pixels));
                }
                if (pos + count > end) {
                    throw new CodecException("RLE segment " + (segment + 1) + " literal run of " + count
                            + " bytes is cut off by the end of the segment (truncated data)");
                }
                if (stride == 1) {
                    System.arraycopy(in, pos, out, outPos, count);
                    outPos += count;
                    pos += count;
                } else {
                    for (int i = 0; i < count; i++, outPos += stride) {
                        out[outPos] = in[pos++];
                    }
                }
                produced += count;
            } else if (n != -128) {
                int count = 1 - n;
                if (produced + count > pixels) {
                    throw new CodecException(runPastPlane(segment, "replicate", count, produced, pixels));
                }
                if (pos >= end) {
                    throw new CodecException("RLE segment " + (segment + 1)
                            + " replicate run has no byte to repeat (truncated data)");
                }
                byte value = in[pos++];
                for (int i = 0; i < count; i++, outPos += stride) {
                    out[outPos] = value;
                }
                produced += count;
            }
        }
    }

    private static String runPastPlane(int segment, String kind, int count, int produced, int pixels) {
        return "RLE segment " + (segment + 1) + " " + kind + " run of " + count + " bytes at byte " + produced
                + " runs past the end of the " + pixels + "-byte plane";
    }

    private static long uint32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
