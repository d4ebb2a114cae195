package org.mosaicpacs.transcoder.internal;

import java.nio.file.Path;
import java.util.Map;

import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.codec.jpeg.internal.ReactorJpegCodec;
import org.mosaicpacs.codec.jpeg2000.internal.Jpeg2000Codec;
import org.mosaicpacs.codec.jpegls.internal.JpegLsCodec;
import org.mosaicpacs.codec.rle.internal.RleCodec;
import org.mosaicpacs.dicom.UidGenerator;
import org.osgi.framework.Constants;

/**
 * The reactor's real transcoder with the real codecs, wired as DS would wire them,
 * for the archive's tests. Lives in the transcoder's package on the test classpath only, because
 * its settings and registry methods are package-private (as the transcoder's own tests do).
 */
public final class ReactorTranscoder {

    private ReactorTranscoder() {
    }

    /** The transcoder with the RLE, JPEG, JPEG-LS and JPEG 2000 codecs, spooling beyond 1 MiB. */
    public static Transcoder withReactorCodecs(Path spoolDirectory) {
        CodecRegistryComponent registry = new CodecRegistryComponent();
        register(registry, 1, new RleCodec(), "1.2.840.10008.1.2.5");
        register(registry, 2, ReactorJpegCodec.withDefaults(), "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
                "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70");
        register(registry, 3, new JpegLsCodec(), "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81");
        register(registry, 4, new Jpeg2000Codec(), "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91");
        return new TranscoderComponent(registry, new TranscoderSettings(1 << 20, spoolDirectory,
                UidGenerator.uuidDerived()));
    }

    private static void register(CodecRegistryComponent registry, long serviceId, TransferSyntaxCodec codec,
                                 String... syntaxes) {
        registry.add("codec-" + serviceId, codec, Map.of(Constants.SERVICE_ID, serviceId,
                TransferSyntaxCodec.TRANSFER_SYNTAX_PROPERTY, syntaxes));
    }
}
