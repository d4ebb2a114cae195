package org.mosaicpacs.transcoder.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeException.Reason;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UidGenerator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transcoder} service. Uncompressed syntaxes are converted by the DICOM library, the
 * rest through the {@link CodecRegistry}, asked at the start of each operation. A change of
 * configuration re-creates the component (constructor injection); calls in flight finish with
 * the settings they started with.
 */
@Component(service = Transcoder.class, configurationPid = TranscoderComponent.PID)
@Designate(ocd = TranscoderComponent.Config.class)
public final class TranscoderComponent implements Transcoder {

    static final String PID = "org.mosaicpacs.transcoder";

    private static final Logger LOG = LoggerFactory.getLogger(TranscoderComponent.class);

    @ObjectClassDefinition(name = "Mosaic PACS transcoder",
            description = "Conversion of instances and frames between transfer syntaxes")
    @interface Config {

        @AttributeDefinition(name = "Spool memory (KiB)",
                description = "Converted Pixel Data a conversion keeps in memory until every frame is converted; "
                        + "beyond it the rest goes to a temporary file", min = "0", max = "1048576")
        int spoolMemoryKiB() default 8192;

        @AttributeDefinition(name = "Spool folder",
                description = "Folder for the temporary spool files; empty: the JVM's temporary folder "
                        + "(java.io.tmpdir, data/tmp in Karaf)")
        String spoolFolder() default "";

        @AttributeDefinition(name = "UID root",
                description = "Organisation UID root for the new SOP Instance UIDs of lossy compressed copies; "
                        + "empty: 2.25 UUID-derived UIDs (PS3.5 B.2)")
        String uidRoot() default "";
    }

    private final CodecRegistry registry;
    private final TranscoderSettings settings;

    @Activate
    public TranscoderComponent(@Reference CodecRegistry registry, Config config) {
        this(registry, new TranscoderSettings(config.spoolMemoryKiB() * 1024L,
                config.spoolFolder().isBlank() ? Path.of(System.getProperty("java.io.tmpdir"))
                        : Path.of(config.spoolFolder().strip()),
                config.uidRoot().isBlank() ? UidGenerator.uuidDerived() : UidGenerator.withRoot(config.uidRoot().strip())));
    }

    TranscoderComponent(CodecRegistry registry, TranscoderSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    @Override
    public boolean canTranscode(String sourceTransferSyntaxUid, String targetTransferSyntaxUid, ImageDescriptor image) {
        TransferSyntax source = TransferSyntax.of(sourceTransferSyntaxUid);
        TransferSyntax target = TransferSyntax.of(targetTransferSyntaxUid);
        if (image == null || source.uid().equals(target.uid()) || !source.encapsulated() && !target.encapsulated()) {
            return true;
        }
        if (!source.encapsulated()) {
            return registry.encoderFor(target.uid(), PixelModule.encoderInput(image)).isPresent();
        }
        if (registry.decoderFor(source.uid(), image).isEmpty()) {
            return false;
        }
        return !target.encapsulated() || decodedForms(image)
                .anyMatch(decoded -> registry.encoderFor(target.uid(), PixelModule.encoderInput(decoded)).isPresent());
    }

    /**
     * What a decoder may turn an image into, for the encoder check before anything is decoded:
     * colour by pixel, and the colour spaces of compressed syntaxes as RGB or YBR_FULL (which one
     * depends on the decoder and its configuration).
     */
    private static Stream<ImageDescriptor> decodedForms(ImageDescriptor image) {
        if (image.samplesPerPixel() == 1) {
            return Stream.of(image);
        }
        ImageDescriptor byPixel = image.withPlanarConfiguration(0);
        return switch (image.photometricInterpretation()) {
            case "YBR_FULL_422", "YBR_PARTIAL_420", "YBR_PARTIAL_422", "YBR_RCT", "YBR_ICT", "YBR_FULL" -> Stream.of(
                    byPixel.withPhotometricInterpretation("RGB"), byPixel.withPhotometricInterpretation("YBR_FULL"));
            default -> Stream.of(byPixel);
        };
    }

    @Override
    public Optional<String> selectTransferSyntax(String sourceTransferSyntaxUid, ImageDescriptor image,
                                                 List<String> acceptable, boolean allowLossy) {
        String source = sourceTransferSyntaxUid.strip();
        if (acceptable.stream().anyMatch(ts -> ts.strip().equals(source))) {
            return Optional.of(source);
        }
        Optional<String> lossless = acceptable.stream().map(String::strip)
                .filter(ts -> (image == null || !Transcoding.isLossy(source, ts)) && canTranscode(source, ts, image))
                .findFirst();
        if (lossless.isPresent() || !allowLossy) {
            return lossless;
        }
        return acceptable.stream().map(String::strip).filter(ts -> canTranscode(source, ts, image)).findFirst();
    }

    @Override
    public TranscodeResult transcode(InputStream source, OutputStream target, TranscodeRequest request)
            throws TranscodeException, IOException {
        try {
            TranscodeResult result = new InstanceTranscoder(registry, settings, request).transcode(source, target);
            LOG.debug("Transcoded {} from {} to {}: {} frame(s), converted {}, lossy {}", result.sopInstanceUid(),
                    result.sourceTransferSyntaxUid(), result.targetTransferSyntaxUid(), result.numberOfFrames(),
                    result.pixelDataConverted(), result.lossy());
            return result;
        } catch (TranscodeException e) {
            LOG.debug("Transcoding to {} failed: {}", request.targetTransferSyntaxUid(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            // A data set the library refuses to write (e.g. a value too long for its VR) fails this instance only.
            LOG.warn("Transcoding to {} failed unexpectedly", request.targetTransferSyntaxUid(), e);
            throw new TranscodeException(Reason.MALFORMED, 0, "the instance cannot be converted: " + e, e);
        }
    }

    @Override
    public FrameReader openFrames(SeekableByteChannel instance) throws TranscodeException, IOException {
        try {
            return FrameReaderImpl.open(instance, registry);
        } catch (RuntimeException e) {
            throw new TranscodeException(Reason.MALFORMED, 0, "the instance cannot be read: " + e, e);
        }
    }
}
