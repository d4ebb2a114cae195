package org.mosaicpacs.codec.jpeg2000.internal;

import java.io.IOException;
import java.util.Set;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.CodecProperties;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.osgi.service.component.annotations.Component;

/**
 * JPEG 2000 Image Compression (Lossless Only) 1.2.840.10008.1.2.4.90 and JPEG 2000 Image
 * Compression 1.2.840.10008.1.2.4.91 (PS3.5 8.2.4, A.4.4) for 1 or 3 components of up to 16 bits,
 * signed or unsigned, on JJ2000. Decodes raw code streams and JP2-wrapped ones; encodes raw code
 * streams, lossless for .90 and to {@link EncodeOptions#compressionRatio()} for .91.
 *
 * <p>Stateless: every call builds its own JJ2000 chain, so concurrent calls are safe. Whatever
 * JJ2000 throws for a bad frame (exceptions and {@code Error}s alike, bar OutOfMemoryError) comes
 * out as a {@link CodecException}.
 */
@Component(service = TransferSyntaxCodec.class)
@CodecProperties(transfersyntax = {Jpeg2000Codec.LOSSLESS, Jpeg2000Codec.LOSSY})
public class Jpeg2000Codec implements TransferSyntaxCodec {

    static final String LOSSLESS = "1.2.840.10008.1.2.4.90";
    static final String LOSSY = "1.2.840.10008.1.2.4.91";

    /** Native layouts with chroma subsampling are not what the encoder reads. */
    private static final Set<String> SUBSAMPLED = Set.of("YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420");

    @Override
    public boolean canDecode(String transferSyntaxUid, ImageDescriptor image) {
        return (LOSSLESS.equals(transferSyntaxUid) || LOSSY.equals(transferSyntaxUid))
                && (image.samplesPerPixel() == 1 || image.samplesPerPixel() == 3)
                && (image.bitsAllocated() == 8 || image.bitsAllocated() == 16)
                && image.frameLength() <= Integer.MAX_VALUE;
    }

    @Override
    public boolean canEncode(String transferSyntaxUid, ImageDescriptor image) {
        return canDecode(transferSyntaxUid, image)
                && image.highBit() == image.bitsStored() - 1
                && !SUBSAMPLED.contains(image.photometricInterpretation())
                && !image.photometricInterpretation().startsWith("YBR_RCT")
                && !image.photometricInterpretation().startsWith("YBR_ICT");
    }

    @Override
    public DecodedFrame decode(String transferSyntaxUid, ImageDescriptor image, byte[] frame) throws CodecException {
        if (!canDecode(transferSyntaxUid, image)) {
            throw new CodecException(unsupported("decode", transferSyntaxUid, image));
        }
        try {
            return J2kDecoder.decode(image, frame);
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new CodecException("corrupt JPEG 2000 frame: " + describe(e), e);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Error e) {
            // JJ2000 reports some malformed marker segments by throwing Error
            throw new CodecException("corrupt JPEG 2000 frame: " + describe(e), e);
        }
    }

    @Override
    public EncodedFrame encode(String transferSyntaxUid, ImageDescriptor image, byte[] pixels, EncodeOptions options)
            throws CodecException {
        if (!canEncode(transferSyntaxUid, image)) {
            throw new CodecException(unsupported("encode", transferSyntaxUid, image));
        }
        try {
            return J2kEncoder.encode(image, pixels, LOSSLESS.equals(transferSyntaxUid), options.compressionRatio());
        } catch (CodecException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            throw new CodecException("JPEG 2000 encoding failed: " + describe(e), e);
        }
    }

    private static String unsupported(String what, String transferSyntaxUid, ImageDescriptor image) {
        return "cannot " + what + " " + transferSyntaxUid + " with " + image.samplesPerPixel() + " samples of "
                + image.bitsAllocated() + " bits allocated, " + image.bitsStored() + " stored, high bit "
                + image.highBit() + ", " + image.photometricInterpretation()
                + " (JPEG 2000 here: 1 or 3 samples, 8 or 16 bits allocated, High Bit = Bits Stored - 1 to encode)";
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
    }
}
