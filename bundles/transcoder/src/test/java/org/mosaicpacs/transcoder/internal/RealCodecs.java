package org.mosaicpacs.transcoder.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.mosaicpacs.codec.jpeg.internal.JpegCodecs;
import org.mosaicpacs.codec.jpeg2000.internal.Jpeg2000Codec;
import org.mosaicpacs.codec.jpegls.internal.JpegLsCodec;
import org.mosaicpacs.codec.rle.internal.RleCodec;
import org.mosaicpacs.dicom.UidGenerator;
import org.osgi.framework.Constants;

/** The four codec bundles' codecs, constructed directly and registered the way DS would. */
final class RealCodecs {

    static final String RLE = "1.2.840.10008.1.2.5";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
    static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    static final String JPEG_LS = "1.2.840.10008.1.2.4.80";
    static final String JPEG_LS_NEAR = "1.2.840.10008.1.2.4.81";
    static final String J2K_LOSSLESS = "1.2.840.10008.1.2.4.90";
    static final String J2K = "1.2.840.10008.1.2.4.91";

    private RealCodecs() {
    }

    /** A registry holding the real RLE, JPEG, JPEG-LS and JPEG 2000 codecs. */
    static CodecRegistryComponent registry() {
        CodecRegistryComponent registry = new CodecRegistryComponent();
        register(registry, 1, new RleCodec(), RLE);
        register(registry, 2, JpegCodecs.withDefaults(), JPEG_BASELINE, JPEG_EXTENDED, JPEG_LOSSLESS, JPEG_LOSSLESS_SV1);
        register(registry, 3, new JpegLsCodec(), JPEG_LS, JPEG_LS_NEAR);
        register(registry, 4, new Jpeg2000Codec(), J2K_LOSSLESS, J2K);
        return registry;
    }

    static void register(CodecRegistryComponent registry, long serviceId, TransferSyntaxCodec codec, String... syntaxes) {
        registry.add("codec-" + serviceId, codec, Map.of(Constants.SERVICE_ID, serviceId,
                TransferSyntaxCodec.TRANSFER_SYNTAX_PROPERTY, List.of(syntaxes).toArray(String[]::new)));
    }

    /** The transcoder over the real codecs, spooling up to 1 MiB in memory. */
    static TranscoderComponent transcoder(Path spoolDirectory) {
        return new TranscoderComponent(registry(), new TranscoderSettings(1 << 20, spoolDirectory,
                UidGenerator.uuidDerived()));
    }
}
