package org.mosaicpacs.transcoder.internal;

import java.util.Optional;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeException.Reason;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/** The Image Pixel attributes of a data set as the transcoder needs them, with its errors. */
final class PixelModule {

    private PixelModule() {
    }

    /** The image the data set states; MALFORMED if its attributes are absent or inconsistent. */
    static ImageDescriptor stated(DataSet header) throws TranscodeException {
        Optional<ImageDescriptor> image;
        try {
            image = Transcoding.imageDescriptor(header);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new TranscodeException(Reason.MALFORMED, 0, "the Image Pixel attributes are inconsistent: "
                    + e.getMessage(), e);
        }
        return image.orElseThrow(() -> new TranscodeException(Reason.MALFORMED,
                "Pixel Data without Rows, Columns or Bits Allocated"));
    }

    /** Number of Frames (0028,0008), 1 if absent (PS3.3 C.7.6.6). */
    static int numberOfFrames(DataSet header) throws TranscodeException {
        int frames;
        try {
            frames = header.getInt(Tag.NumberOfFrames, 1);
        } catch (NumberFormatException e) {
            throw new TranscodeException(Reason.MALFORMED, 0, e.getMessage(), e);
        }
        if (frames < 1) {
            throw new TranscodeException(Reason.MALFORMED, "Number of Frames is " + frames);
        }
        return frames;
    }

    /** Native Pixel Data is OB up to 8 Bits Allocated and OW above (PS3.5 A.2). */
    static VR nativeVR(int bitsAllocated) {
        return bitsAllocated <= 8 ? VR.OB : VR.OW;
    }

    /**
     * The image an encoder is given for a native frame: YBR_FULL_422 expanded to YBR_FULL
     * (encoders take no subsampled native layout), otherwise the frame as it is.
     */
    static ImageDescriptor encoderInput(ImageDescriptor image) {
        if ("YBR_FULL_422".equals(image.photometricInterpretation()) && image.samplesPerPixel() == 3) {
            return image.withPhotometricInterpretation("YBR_FULL").withPlanarConfiguration(0);
        }
        return image;
    }

    /** The pixels for {@link #encoderInput(ImageDescriptor)}. */
    static byte[] encoderInput(byte[] pixels, ImageDescriptor image) throws TranscodeException {
        if (encoderInput(image) == image) {
            return pixels;
        }
        if (image.columns() % 2 != 0) {
            throw new TranscodeException(Reason.MALFORMED, "native YBR_FULL_422 needs an even number of Columns, not "
                    + image.columns());
        }
        return NativeLayout.expandYbr422(pixels, image);
    }

    /** Little-endian unsigned values of {@code width} bytes (4: Basic Offset Table, 8: Extended Offset Table). */
    static long[] offsets(byte[] table, int width) {
        if (table == null) {
            return new long[0];
        }
        long[] values = new long[table.length / width];
        for (int i = 0; i < values.length; i++) {
            long v = 0;
            for (int k = width - 1; k >= 0; k--) {
                v = v << 8 | table[width * i + k] & 0xFF;
            }
            values[i] = v;
        }
        return values;
    }
}
