package org.mosaicpacs.transcoder.internal;

import java.util.HashMap;
import java.util.Map;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeException.Reason;
import org.mosaicpacs.dicom.UidRegistry;

/**
 * The codecs of one operation: each is looked up in the registry the first time it is needed and
 * then kept, so an operation finishes with the codecs it started with even if a codec bundle is
 * updated or removed meanwhile. Every codec failure becomes a {@link TranscodeException} naming
 * the frame; a codec that throws a RuntimeException (a plugin's bug, or bad input it did not
 * catch) fails that frame only.
 *
 * <p>Frames given to and returned by the codecs are checked against the image: a decoder must
 * give the data set's Rows and Columns, all frames of an instance must come out alike.
 */
final class FrameCodecs {

    private final CodecRegistry registry;
    private final String sourceTransferSyntaxUid;
    private final ImageDescriptor stated;
    private TransferSyntaxCodec decoder;
    private final Map<String, TransferSyntaxCodec> encoders = new HashMap<>();

    /**
     * @param sourceTransferSyntaxUid the syntax of the stored frames
     * @param stated                  the image as the data set states it
     */
    FrameCodecs(CodecRegistry registry, String sourceTransferSyntaxUid, ImageDescriptor stated) {
        this.registry = registry;
        this.sourceTransferSyntaxUid = sourceTransferSyntaxUid;
        this.stated = stated;
    }

    /** Looks up the decoder now (if not done yet), to fail before any frame is read. */
    void requireDecoder() throws TranscodeException {
        if (decoder == null) {
            decoder = registry.decoderFor(sourceTransferSyntaxUid, stated).orElseThrow(() -> new TranscodeException(
                    Reason.UNSUPPORTED, "no codec registered now can decode " + name(sourceTransferSyntaxUid)
                    + " for " + describe(stated)));
        }
    }

    /** Looks up the encoder for a syntax and an input image now (if not done yet for that syntax). */
    void requireEncoder(String transferSyntaxUid, ImageDescriptor input) throws TranscodeException {
        if (!encoders.containsKey(transferSyntaxUid)) {
            TransferSyntaxCodec codec = registry.encoderFor(transferSyntaxUid, input).orElseThrow(() ->
                    new TranscodeException(Reason.UNSUPPORTED, "no codec registered now can encode "
                            + describe(input) + " into " + name(transferSyntaxUid)));
            encoders.put(transferSyntaxUid, codec);
        }
    }

    /**
     * Decodes one frame.
     *
     * @param frameNumber counted from 1, for messages
     */
    DecodedFrame decode(int frameNumber, byte[] compressed) throws TranscodeException {
        requireDecoder();
        DecodedFrame frame;
        try {
            frame = decoder.decode(sourceTransferSyntaxUid, stated, compressed);
        } catch (CodecException e) {
            throw new TranscodeException(Reason.CORRUPT_FRAME, frameNumber, "frame " + frameNumber + " of "
                    + name(sourceTransferSyntaxUid) + " cannot be decoded: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new TranscodeException(Reason.CORRUPT_FRAME, frameNumber, "frame " + frameNumber + ": decoder "
                    + decoder.getClass().getName() + " failed: " + e, e);
        }
        ImageDescriptor image = frame.image();
        if (image.rows() != stated.rows() || image.columns() != stated.columns()
                || image.samplesPerPixel() != stated.samplesPerPixel()) {
            throw new TranscodeException(Reason.CORRUPT_FRAME, frameNumber, "frame " + frameNumber + " decodes to "
                    + describe(image) + " but the data set states " + describe(stated), null);
        }
        if (frame.pixels().length < NativeLayout.frameLength(image)) {
            throw new TranscodeException(Reason.CORRUPT_FRAME, frameNumber, "frame " + frameNumber + " decodes to "
                    + frame.pixels().length + " bytes, " + NativeLayout.frameLength(image) + " expected", null);
        }
        return frame;
    }

    /** Encodes one native frame into a syntax. */
    EncodedFrame encode(int frameNumber, String transferSyntaxUid, ImageDescriptor input, byte[] pixels,
                        EncodeOptions options) throws TranscodeException {
        requireEncoder(transferSyntaxUid, input);
        TransferSyntaxCodec encoder = encoders.get(transferSyntaxUid);
        try {
            return encoder.encode(transferSyntaxUid, input, pixels, options);
        } catch (CodecException e) {
            throw new TranscodeException(Reason.UNSUPPORTED, frameNumber, "frame " + frameNumber + " cannot be encoded"
                    + " into " + name(transferSyntaxUid) + ": " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new TranscodeException(Reason.UNSUPPORTED, frameNumber, "frame " + frameNumber + ": encoder "
                    + encoder.getClass().getName() + " failed: " + e, e);
        }
    }

    /** "JPEG Baseline (Process 1) (1.2.840.10008.1.2.4.50)". */
    static String name(String transferSyntaxUid) {
        String name = UidRegistry.nameOf(transferSyntaxUid);
        return name.equals(transferSyntaxUid) ? transferSyntaxUid : name + " (" + transferSyntaxUid + ")";
    }

    /** "512x512 MONOCHROME2, 1 sample of 16 bits (12 stored, signed)". */
    static String describe(ImageDescriptor image) {
        return image.columns() + "x" + image.rows() + " " + image.photometricInterpretation() + ", "
                + image.samplesPerPixel() + (image.samplesPerPixel() == 1 ? " sample" : " samples") + " of "
                + image.bitsAllocated() + " bits (" + image.bitsStored() + " stored, high bit " + image.highBit()
                + (image.signed() ? ", signed" : "") + (image.samplesPerPixel() > 1
                ? ", planar configuration " + image.planarConfiguration() : "") + ")";
    }
}
