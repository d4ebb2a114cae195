package org.mosaicpacs.codec.rle.internal;

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
 * RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G) for 8, 16 and 32 Bits Allocated, 1 or 3
 * Samples per Pixel. Decoded frames are always interleaved (Planar Configuration 0), which is what
 * viewers and the other encoders want; encoding accepts either planar configuration and states
 * Planar Configuration 1 for colour (PS3.5 G.2 note). Stateless, so safe for concurrent calls.
 */
@Component(service = TransferSyntaxCodec.class)
@CodecProperties(transfersyntax = RleCodec.RLE_LOSSLESS)
public class RleCodec implements TransferSyntaxCodec {

    static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    /** Native layouts with chroma subsampling have fewer samples than RLE's full planes. */
    private static final Set<String> SUBSAMPLED = Set.of("YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420");

    @Override
    public boolean canDecode(String transferSyntaxUid, ImageDescriptor image) {
        return RLE_LOSSLESS.equals(transferSyntaxUid) && RleLayout.supports(image);
    }

    @Override
    public boolean canEncode(String transferSyntaxUid, ImageDescriptor image) {
        return canDecode(transferSyntaxUid, image) && !SUBSAMPLED.contains(image.photometricInterpretation());
    }

    @Override
    public DecodedFrame decode(String transferSyntaxUid, ImageDescriptor image, byte[] frame) throws CodecException {
        requireRle(transferSyntaxUid);
        return new DecodedFrame(RleDecoder.decode(image, frame), image.withPlanarConfiguration(0));
    }

    @Override
    public EncodedFrame encode(String transferSyntaxUid, ImageDescriptor image, byte[] pixels, EncodeOptions options)
            throws CodecException {
        requireRle(transferSyntaxUid);
        if (SUBSAMPLED.contains(image.photometricInterpretation())) {
            throw new CodecException("RLE Lossless cannot encode subsampled " + image.photometricInterpretation()
                    + " pixels; convert to YBR_FULL or RGB first");
        }
        // PS3.5 G.2 (note): colour RLE is encoded by plane, so the data set states Planar Configuration 1.
        ImageDescriptor encoded = image.samplesPerPixel() > 1 ? image.withPlanarConfiguration(1) : image;
        return new EncodedFrame(RleEncoder.encode(image, pixels), encoded, false);
    }

    private static void requireRle(String transferSyntaxUid) throws CodecException {
        if (!RLE_LOSSLESS.equals(transferSyntaxUid)) {
            throw new CodecException("this codec handles RLE Lossless " + RLE_LOSSLESS + ", not " + transferSyntaxUid);
        }
    }
}
