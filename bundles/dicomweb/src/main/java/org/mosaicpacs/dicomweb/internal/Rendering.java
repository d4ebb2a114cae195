package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.function.Supplier;

import javax.ws.rs.core.Response;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.transcode.Frame;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.UID;

/**
 * Rendered and thumbnail resources (PS3.18 10.4.1.1.3, 10.4.1.1.5) and WADO-URI images: one
 * frame through the {@link Renderer} pipeline, scaled to the viewport, as JPEG or PNG.
 *
 * <p>JPEG is encoded by the project's own JPEG Baseline codec, found through the
 * {@link CodecRegistry} like every other codec (so the codec bundle can be updated at run time);
 * PNG by {@link PngWriter} on the JDK's zlib. Neither goes through ImageIO's global plugin
 * registry, whose content in an OSGi framework depends on which bundles happened to register
 * plugins.
 */
final class Rendering {

    /** What the request asks of the image. */
    record Parameters(Renderer.Window window, int viewportWidth, int viewportHeight, int quality) {

        /** Parses {@code viewport=vw,vh} (PS3.18 8.3.5.1.2) and {@code quality} (8.3.5.1.4). */
        static Parameters parse(String window, String viewport, String quality, int defaultQuality) {
            int vw = 0;
            int vh = 0;
            if (viewport != null && !viewport.isBlank()) {
                String[] parts = viewport.split(",");
                try {
                    vw = Integer.parseInt(parts[0].strip());
                    vh = parts.length > 1 && !parts[1].isBlank() ? Integer.parseInt(parts[1].strip()) : vw;
                } catch (NumberFormatException e) {
                    vw = -1;
                }
                if (vw <= 0 || vh <= 0 || vw > 16384 || vh > 16384) {
                    throw DicomWebException.badRequest("viewport must be width,height in pixels (1..16384), not \""
                            + viewport + "\"");
                }
            }
            return new Parameters(Renderer.Window.parse(window), vw, vh, quality(quality, defaultQuality));
        }

        static int quality(String text, int defaultQuality) {
            if (text == null || text.isBlank()) {
                return defaultQuality;
            }
            try {
                int q = Integer.parseInt(text.strip());
                if (q >= 1 && q <= 100) {
                    return q;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw DicomWebException.badRequest("quality must be 1..100, not \"" + text + "\"");
        }
    }

    private final InstanceAccess access;
    private final Supplier<Transcoder> transcoder;
    private final Supplier<CodecRegistry> codecs;

    Rendering(InstanceAccess access, Supplier<Transcoder> transcoder, Supplier<CodecRegistry> codecs) {
        this.access = access;
        this.transcoder = transcoder;
        this.codecs = codecs;
    }

    /** The media type to answer with: image/jpeg (the default) or image/png. */
    static String mediaType(List<MediaTypes.Range> accepted) {
        return MediaTypes.select(accepted, List.of(MediaTypes.JPEG, MediaTypes.PNG))
                .orElseThrow(() -> DicomWebException.notAcceptable("rendered images are available as image/jpeg "
                        + "and image/png"));
    }

    /** Renders one frame (from 1) of an instance as {@code mediaType}. */
    Response render(InstanceRecord r, int frameNumber, Parameters params, String mediaType) throws IOException {
        byte[] encoded = encode(image(r, frameNumber, params), mediaType, params.quality());
        return Response.ok(encoded).header("Content-Type", mediaType).build();
    }

    /** The first of the candidates that is an image, rendered (study and series thumbnails). */
    Response renderFirstImage(List<InstanceRecord> candidates, Parameters params, String mediaType)
            throws IOException {
        DicomWebException last = null;
        for (InstanceRecord r : candidates) {
            try {
                return render(r, 1, params, mediaType);
            } catch (DicomWebException e) {
                if (e.status() != 404 && e.status() != 406) {
                    throw e;
                }
                last = e;
            }
        }
        throw last != null ? last : DicomWebException.notFound("no image to render");
    }

    private RenderedImage image(InstanceRecord r, int frameNumber, Parameters params) throws IOException {
        Transcoder t = transcoder.get();
        if (t == null) {
            throw new DicomWebException(503, "no Transcoder service is running: images cannot be rendered now");
        }
        try (SeekableByteChannel channel = access.openChannel(r); FrameReader reader = t.openFrames(channel)) {
            if (frameNumber > reader.numberOfFrames()) {
                throw DicomWebException.notFound("instance " + r.sopInstanceUid() + " has " + reader.numberOfFrames()
                        + " frame(s), not " + frameNumber);
            }
            Frame frame = reader.decode(frameNumber);
            RenderedImage image = Renderer.render(reader.header(), frame.image(), frame.data(), frameNumber,
                    params.window(), (ds, tag) -> valueBytes(ds, tag, channel));
            return params.viewportWidth() > 0 ? image.fitInto(params.viewportWidth(), params.viewportHeight()) : image;
        } catch (TranscodeException e) {
            throw new DicomWebException(DicomWebExceptionMapper.status(e), "instance " + r.sopInstanceUid()
                    + " cannot be rendered: " + e.getMessage(), e);
        }
    }

    /** A value held in memory or as a reference into the instance (LUT and palette data). */
    private static byte[] valueBytes(DataSet ds, int tag, SeekableByteChannel channel) throws IOException {
        BulkData bulk = ds.getBulkData(tag);
        if (bulk == null) {
            return ds.getBytes(tag);
        }
        if (bulk.length() > 16 * 1024 * 1024) {
            throw DicomWebException.notAcceptable("lookup table of " + bulk.length() + " bytes is too large to render");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) bulk.length());
        channel.position(bulk.offset());
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("stored object ends inside a lookup table");
            }
        }
        return buffer.array();
    }

    byte[] encode(RenderedImage image, String mediaType, int quality) {
        if (MediaTypes.PNG.equals(mediaType)) {
            return PngWriter.write(image);
        }
        ImageDescriptor descriptor = new ImageDescriptor(image.height(), image.width(), image.samples(), 8, 8, 7,
                false, image.samples() == 1 ? "MONOCHROME2" : "RGB", 0);
        CodecRegistry registry = codecs.get();
        TransferSyntaxCodec codec = registry == null ? null
                : registry.encoderFor(UID.JPEGBaseline8Bit, descriptor).orElse(null);
        if (codec == null) {
            throw DicomWebException.notAcceptable("no JPEG Baseline codec is installed now: ask for image/png");
        }
        try {
            return codec.encode(UID.JPEGBaseline8Bit, descriptor, image.pixels(), new EncodeOptions(quality, 0, 10))
                    .data();
        } catch (CodecException e) {
            throw new DicomWebException(500, "JPEG encoding failed: " + e.getMessage(), e);
        }
    }
}
