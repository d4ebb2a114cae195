package org.mosaicpacs.codec.jpeg.internal;

import java.util.Set;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.CodecProperties;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * JPEG Baseline (Process 1), Extended (Process 2 &amp; 4), Lossless Process 14 and Process 14
 * Selection Value 1 (PS3.5 8.2.1, PS3.5 A.4.1) as a {@link TransferSyntaxCodec} service.
 *
 * <p>Stateless apart from its configuration: every call works on its own objects, so concurrent
 * calls are safe.
 */
@Component(service = TransferSyntaxCodec.class, configurationPid = JpegCodec.PID)
@CodecProperties(transfersyntax = {
        JpegCodec.JPEG_BASELINE, JpegCodec.JPEG_EXTENDED, JpegCodec.JPEG_LOSSLESS, JpegCodec.JPEG_LOSSLESS_SV1})
@Designate(ocd = JpegCodec.Config.class)
public final class JpegCodec implements TransferSyntaxCodec {

    static final String PID = "org.mosaicpacs.codec.jpeg";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";

    /** Native frames live in one Java array; planes of 32-bit samples must fit one as well. */
    private static final long MAX_FRAME_LENGTH = Integer.MAX_VALUE / 8;
    private static final Set<String> LOSSY_INPUT = Set.of("MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL");
    private static final Set<String> LOSSLESS_INPUT = Set.of("MONOCHROME1", "MONOCHROME2", "PALETTE COLOR", "RGB",
            "YBR_FULL");

    @ObjectClassDefinition(name = "Mosaic PACS JPEG codec",
            description = "JPEG Baseline, Extended and Lossless (ISO 10918-1) transfer syntaxes")
    @interface Config {

        @AttributeDefinition(name = "Decode YCbCr to RGB",
                description = "Lossy frames with Photometric Interpretation YBR_FULL or YBR_FULL_422 decode to RGB "
                        + "(as DCMTK dcmdjpeg does by default); when false they decode to YBR_FULL (as GDCM does)")
        boolean ybrToRgb() default true;

        @AttributeDefinition(name = "Colour subsampling",
                description = "Chrominance sampling when colour frames are encoded to JPEG Baseline or Extended",
                options = {@Option(label = "4:2:2 (YBR_FULL_422)", value = "4:2:2"),
                        @Option(label = "4:4:4 (YBR_FULL)", value = "4:4:4")})
        String colorSubsampling() default "4:2:2";

        @AttributeDefinition(name = "Process 14 predictor",
                description = "Selection value (T.81 Table H.1) used when encoding JPEG Lossless Process 14 "
                        + "(1.2.840.10008.1.2.4.57)", min = "1", max = "7")
        int process14Predictor() default 6;
    }

    /** What the configuration decides, as plain values (unit tests construct the codec with these). */
    record Settings(boolean ybrToRgb, boolean subsampleChroma, int process14Predictor) {

        static final Settings DEFAULT = new Settings(true, true, 6);

        Settings {
            if (process14Predictor < 1 || process14Predictor > 7) {
                throw new IllegalArgumentException("process 14 predictor must be 1..7, not " + process14Predictor);
            }
        }
    }

    private final Settings settings;

    @Activate
    public JpegCodec(Config config) {
        this(new Settings(config.ybrToRgb(), !"4:4:4".equals(config.colorSubsampling().trim()),
                config.process14Predictor()));
    }

    JpegCodec(Settings settings) {
        this.settings = settings;
    }

    private static boolean handles(String transferSyntaxUid) {
        return JPEG_BASELINE.equals(transferSyntaxUid) || JPEG_EXTENDED.equals(transferSyntaxUid)
                || JPEG_LOSSLESS.equals(transferSyntaxUid) || JPEG_LOSSLESS_SV1.equals(transferSyntaxUid);
    }

    @Override
    public boolean canDecode(String transferSyntaxUid, ImageDescriptor image) {
        return handles(transferSyntaxUid)
                && (image.samplesPerPixel() == 1 || image.samplesPerPixel() == 3)
                && (image.bitsAllocated() == 8 || image.bitsAllocated() == 16);
    }

    @Override
    public boolean canEncode(String transferSyntaxUid, ImageDescriptor image) {
        return whyNotEncodable(transferSyntaxUid, image) == null;
    }

    /** The reason a frame cannot be encoded into a syntax, or null when it can (PS3.5 8.2.1). */
    private static String whyNotEncodable(String ts, ImageDescriptor image) {
        if (!handles(ts)) {
            return "transfer syntax " + ts + " is not a JPEG syntax of this codec";
        }
        int spp = image.samplesPerPixel();
        if (spp != 1 && spp != 3) {
            return "Samples per Pixel " + spp + " (must be 1 or 3)";
        }
        if (image.bitsAllocated() != 8 && image.bitsAllocated() != 16) {
            return "Bits Allocated " + image.bitsAllocated() + " (must be 8 or 16)";
        }
        String pi = image.photometricInterpretation().trim();
        boolean lossless = JPEG_LOSSLESS.equals(ts) || JPEG_LOSSLESS_SV1.equals(ts);
        if (image.frameLength() > MAX_FRAME_LENGTH) {
            return "a frame of " + image.frameLength() + " bytes is too large for one array";
        }
        if (!(lossless ? LOSSLESS_INPUT : LOSSY_INPUT).contains(pi)
                || spp == 1 && (pi.equals("RGB") || pi.equals("YBR_FULL"))
                || spp == 3 && (pi.startsWith("MONOCHROME") || pi.equals("PALETTE COLOR"))) {
            return "Photometric Interpretation " + pi + " with " + spp + " samples cannot be encoded to "
                    + (lossless ? "JPEG Lossless" : "lossy JPEG");
        }
        if (lossless) {
            return null;
        }
        if (image.signed()) {
            return "signed pixel data cannot be encoded to lossy JPEG (DCT samples are unsigned)";
        }
        int maxBits = JPEG_BASELINE.equals(ts) ? 8 : 12;
        if (image.bitsStored() > maxBits) {
            return "Bits Stored " + image.bitsStored() + " exceeds the " + maxBits + " bits of "
                    + (maxBits == 8 ? "JPEG Baseline" : "JPEG Extended");
        }
        return null;
    }

    @Override
    public DecodedFrame decode(String transferSyntaxUid, ImageDescriptor image, byte[] frame) throws CodecException {
        if (!canDecode(transferSyntaxUid, image)) {
            throw new CodecException("cannot decode " + transferSyntaxUid + " with " + image.samplesPerPixel()
                    + " samples of " + image.bitsAllocated() + " bits");
        }
        if (image.frameLength() > MAX_FRAME_LENGTH) {
            throw new CodecException("frame of " + image.frameLength() + " bytes is too large for one array");
        }
        try {
            return JpegDecoder.decode(frame, image, settings.ybrToRgb());
        } catch (RuntimeException e) {
            // Safety net for the SPI contract; the decoder validates its input and should never get here.
            throw new CodecException("corrupt JPEG: decoder failed on malformed data (" + e + ")", e);
        }
    }

    @Override
    public EncodedFrame encode(String transferSyntaxUid, ImageDescriptor image, byte[] pixels, EncodeOptions options)
            throws CodecException {
        String problem = whyNotEncodable(transferSyntaxUid, image);
        if (problem != null) {
            throw new CodecException("cannot encode to " + transferSyntaxUid + ": " + problem);
        }
        return switch (transferSyntaxUid) {
            case JPEG_BASELINE -> JpegEncoder.encodeDct(image, pixels, true, options.quality(),
                    settings.subsampleChroma(), 0);
            case JPEG_EXTENDED -> JpegEncoder.encodeDct(image, pixels, false, options.quality(),
                    settings.subsampleChroma(), 0);
            case JPEG_LOSSLESS -> JpegEncoder.encodeLossless(image, pixels, settings.process14Predictor(), 0);
            default -> JpegEncoder.encodeLossless(image, pixels, 1, 0);
        };
    }
}
