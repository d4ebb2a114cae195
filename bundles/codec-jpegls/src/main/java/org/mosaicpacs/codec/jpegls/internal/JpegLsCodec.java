package org.mosaicpacs.codec.jpegls.internal;

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
 * JPEG-LS Lossless (1.2.840.10008.1.2.4.80) and JPEG-LS Lossy, near-lossless
 * (1.2.840.10008.1.2.4.81): ISO/IEC 14495-1 / ITU-T T.87, as PS3.5 8.2.3 uses it.
 *
 * <p>Decodes 2 to 16 bits per sample, 1 or 3 components, every interleave mode, LSE presets,
 * restart markers and SPIFF headers, into Bits Allocated 8 or 16, colour by pixel. Encodes 1
 * component as one scan and 3 components sample-interleaved (ILV 2, as GDCM does).
 *
 * <p>Signed pixels (Pixel Representation 1) are coded as the unsigned bit pattern of their whole
 * words (P = Bits Allocated), as DCMTK (CharLS) and GDCM do, so decoders restore sign-extended
 * words exactly; decoding a stream with P below Bits Allocated does not sign-extend either, again
 * like DCMTK and GDCM. Near-lossless
 * coding of signed pixels keeps NEAR only if no sample lies within NEAR of the most negative or
 * most positive value: in the bit pattern those two are neighbours, and an error of NEAR there
 * would turn one into the other; such a frame is coded losslessly instead (and not marked lossy).
 *
 * <p>Stateless apart from a cache of look-up tables, so safe for concurrent calls.
 */
@Component(service = TransferSyntaxCodec.class)
@CodecProperties(transfersyntax = {JpegLsCodec.JPEG_LS_LOSSLESS, JpegLsCodec.JPEG_LS_NEAR_LOSSLESS})
public class JpegLsCodec implements TransferSyntaxCodec {

    static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";

    /** Native layouts that JPEG-LS cannot hold as three full components, or colour transforms of other syntaxes. */
    private static final Set<String> NOT_ENCODABLE = Set.of("YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420",
            "YBR_ICT", "YBR_RCT");

    private final QuantizationTables tables = new QuantizationTables();

    @Override
    public boolean canDecode(String transferSyntaxUid, ImageDescriptor image) {
        return isJpegLs(transferSyntaxUid) && unsupportedReason(image) == null;
    }

    @Override
    public boolean canEncode(String transferSyntaxUid, ImageDescriptor image) {
        return isJpegLs(transferSyntaxUid) && unencodableReason(image) == null;
    }

    @Override
    public DecodedFrame decode(String transferSyntaxUid, ImageDescriptor image, byte[] frame) throws CodecException {
        requireJpegLs(transferSyntaxUid);
        String unsupported = unsupportedReason(image);
        if (unsupported != null) {
            throw new CodecException("JPEG-LS decoding: " + unsupported);
        }
        if (frame == null || frame.length == 0) {
            throw new CodecException("JPEG-LS frame is empty");
        }
        if (image.frameLength() > Integer.MAX_VALUE - 16) {
            throw new CodecException("a native frame of " + image.frameLength() + " bytes is too large");
        }
        try {
            JpegLsDecoder decoder = new JpegLsDecoder(frame, tables);
            JpegLsDecoder.FrameHeader header = decoder.readHeader();
            if (header.rows() != image.rows() || header.columns() != image.columns()
                    || header.components() != image.samplesPerPixel()) {
                throw new CodecException("JPEG-LS frame is " + header.columns() + "x" + header.rows() + " with "
                        + header.components() + " components, but the data set states " + image.columns() + "x"
                        + image.rows() + " with " + image.samplesPerPixel() + " samples per pixel");
            }
            if (header.precision() > image.bitsAllocated()) {
                throw new CodecException("JPEG-LS sample precision " + header.precision()
                        + " does not fit Bits Allocated " + image.bitsAllocated());
            }
            byte[] pixels = new byte[(int) image.frameLength()];
            decoder.decode(NativeSamples.forDecoding(pixels, image));
            ImageDescriptor decoded = image.samplesPerPixel() > 1 ? image.withPlanarConfiguration(0) : image;
            if ("YBR_FULL_422".equals(image.photometricInterpretation())) {
                // The stream holds full components, so what comes out is not subsampled.
                decoded = decoded.withPhotometricInterpretation("YBR_FULL");
            }
            return new DecodedFrame(pixels, decoded);
        } catch (RuntimeException e) {
            // Every malformation should be caught by a check above; this keeps the SPI contract if one is not.
            throw new CodecException("JPEG-LS stream corrupt (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public EncodedFrame encode(String transferSyntaxUid, ImageDescriptor image, byte[] pixels, EncodeOptions options)
            throws CodecException {
        requireJpegLs(transferSyntaxUid);
        String unencodable = unencodableReason(image);
        if (unencodable != null) {
            throw new CodecException("JPEG-LS encoding: " + unencodable);
        }
        if (pixels == null || pixels.length < image.frameLength()) {
            throw new CodecException("native frame has " + (pixels == null ? 0 : pixels.length) + " bytes, "
                    + image.frameLength() + " expected for " + image.columns() + "x" + image.rows());
        }
        int near = JPEG_LS_NEAR_LOSSLESS.equals(transferSyntaxUid)
                ? (options != null ? options : EncodeOptions.DEFAULT).nearLossless() : 0;
        // Unsigned words keep Bits Stored bits; signed ones are coded whole (see samplePrecision).
        int mask = (1 << (image.signed() ? image.bitsAllocated() : image.bitsStored())) - 1;
        // T.87 C.2.3: NEAR <= min(255, MAXVAL / 2); a smaller error than asked for is still within the bound.
        near = Math.min(near, mask / 2);
        if (near > 0 && image.signed() && nearSignedExtremes(image, pixels, near)) {
            near = 0;
        }
        int precision = samplePrecision(image, near);
        int interleave = image.samplesPerPixel() == 1 ? 0 : 2;
        JpegLsEncoder.Settings settings = JpegLsEncoder.Settings.of(precision, near, interleave);
        byte[] data = JpegLsEncoder.encode(NativeSamples.forEncoding(pixels, image, mask), image.columns(),
                image.rows(), image.samplesPerPixel(), settings, tables);
        // PS3.5 8.2.3: the components' arrangement is the stream's business; Planar Configuration is 0.
        ImageDescriptor encoded = image.samplesPerPixel() > 1 ? image.withPlanarConfiguration(0) : image;
        return new EncodedFrame(data, encoded, near > 0);
    }

    /**
     * Sample precision P for encoding. Signed words are coded whole (P = Bits Allocated), as DCMTK
     * and GDCM do, so that decoders give back the sign-extended words. Unsigned: Bits Stored, so that
     * MAXVAL clamps near-lossless reconstruction into range; but lossless coding of fewer than 8
     * bits in 8-bit words, or of at most 8 bits in 16-bit words, uses the whole word like DCMTK and
     * GDCM, because DCMTK's decoder takes P of at least 6 for 8-bit words and above 8 for 16-bit
     * words only.
     */
    private static int samplePrecision(ImageDescriptor image, int near) {
        int stored = image.bitsStored();
        if (image.signed() || near == 0 && (stored < 8 || image.bitsAllocated() == 16 && stored <= 8)) {
            return image.bitsAllocated();
        }
        return Math.max(2, stored);
    }

    /**
     * Whether any signed sample lies within NEAR of the most negative or most positive value of
     * Bits Stored, where a near-lossless error could wrap around in the coded bit pattern.
     */
    private static boolean nearSignedExtremes(ImageDescriptor image, byte[] pixels, int near) {
        int max = (1 << image.bitsStored() - 1) - 1;
        int min = -max - 1;
        int high = max - near;
        int low = min + near;
        int count = (int) (image.frameLength() / (image.bitsAllocated() / 8));
        boolean wide = image.bitsAllocated() > 8;
        for (int i = 0; i < count; i++) {
            int v = wide ? (short) (pixels[2 * i] & 0xFF | pixels[2 * i + 1] << 8) : pixels[i];
            if (v >= high || v <= low) {
                return true;
            }
        }
        return false;
    }

    private static String unsupportedReason(ImageDescriptor image) {
        if (image.samplesPerPixel() != 1 && image.samplesPerPixel() != 3) {
            return image.samplesPerPixel() + " samples per pixel (1 or 3 supported)";
        }
        if (image.bitsAllocated() != 8 && image.bitsAllocated() != 16) {
            return "Bits Allocated " + image.bitsAllocated() + " (8 or 16 supported)";
        }
        return null;
    }

    private static String unencodableReason(ImageDescriptor image) {
        String unsupported = unsupportedReason(image);
        if (unsupported != null) {
            return unsupported;
        }
        if (image.highBit() != image.bitsStored() - 1) {
            return "High Bit " + image.highBit() + " is not Bits Stored - 1";
        }
        if (image.samplesPerPixel() > 1 && NOT_ENCODABLE.contains(image.photometricInterpretation())) {
            return "Photometric Interpretation " + image.photometricInterpretation()
                    + " (subsampled or colour-transformed pixels)";
        }
        return null;
    }

    private static boolean isJpegLs(String transferSyntaxUid) {
        return JPEG_LS_LOSSLESS.equals(transferSyntaxUid) || JPEG_LS_NEAR_LOSSLESS.equals(transferSyntaxUid);
    }

    private static void requireJpegLs(String transferSyntaxUid) throws CodecException {
        if (!isJpegLs(transferSyntaxUid)) {
            throw new CodecException("this codec handles JPEG-LS (" + JPEG_LS_LOSSLESS + ", " + JPEG_LS_NEAR_LOSSLESS
                    + "), not " + transferSyntaxUid);
        }
    }
}
