package org.mosaicpacs.codec.rle.internal;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * How a native frame maps onto RLE segments (PS3.5 G.2): one segment per byte plane, for each
 * sample in turn, most significant byte first. Segment {@code s} of a 16-bit RGB frame is byte
 * {@code 1 - s % 2} of sample {@code s / 2}, the native frame being little endian.
 *
 * @param pixels          pixels in one plane (rows x columns)
 * @param samples         samples per pixel
 * @param bytesPerSample  Bits Allocated / 8
 */
record RleLayout(int pixels, int samples, int bytesPerSample) {

    /** PS3.5 G.5: the RLE header has room for 15 segment offsets. */
    static final int MAX_SEGMENTS = 15;
    static final int HEADER_LENGTH = 64;

    static boolean supports(ImageDescriptor image) {
        int ba = image.bitsAllocated();
        return (ba == 8 || ba == 16 || ba == 32)
                && (image.samplesPerPixel() == 1 || image.samplesPerPixel() == 3)
                && (long) image.rows() * image.columns() <= Integer.MAX_VALUE / 12;
    }

    static RleLayout of(ImageDescriptor image) throws CodecException {
        if (!supports(image)) {
            throw new CodecException("RLE Lossless supports 8, 16 or 32 Bits Allocated and 1 or 3 Samples per Pixel,"
                    + " not " + image.bitsAllocated() + " bits x " + image.samplesPerPixel() + " samples"
                    + " (" + image.rows() + "x" + image.columns() + ")");
        }
        return new RleLayout(image.rows() * image.columns(), image.samplesPerPixel(), image.bitsAllocated() / 8);
    }

    int segments() {
        return samples * bytesPerSample;
    }

    /** Sample of segment {@code segment}. */
    int sampleOf(int segment) {
        return segment / bytesPerSample;
    }

    /** Byte offset within a little-endian sample of segment {@code segment} (MSB first, PS3.5 G.2). */
    int byteOf(int segment) {
        return bytesPerSample - 1 - segment % bytesPerSample;
    }

    /** Distance in the native frame between one pixel's byte and the next one's of the same plane. */
    int stride(int planarConfiguration) {
        return planarConfiguration == 0 ? samples * bytesPerSample : bytesPerSample;
    }

    /** Native frame offset of the first pixel's byte belonging to {@code segment}. */
    int firstByte(int segment, int planarConfiguration) {
        int sample = sampleOf(segment);
        int sampleStart = planarConfiguration == 0 ? sample * bytesPerSample : sample * pixels * bytesPerSample;
        return sampleStart + byteOf(segment);
    }

    int frameLength() {
        return pixels * samples * bytesPerSample;
    }
}
