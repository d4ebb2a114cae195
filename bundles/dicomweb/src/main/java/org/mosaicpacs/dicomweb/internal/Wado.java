package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.transcode.Frame;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementPath;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WADO-RS (PS3.18 10.4): instances as {@code multipart/related; type="application/dicom"} in the
 * transfer syntax the Accept header asks for, metadata, frames and bulk data. Bodies are written
 * while the response is sent, instance by instance and frame by frame: memory stays at one
 * frame (or one transcoded instance's spool, which the Transcoder keeps on disk) whatever the
 * size of the study.
 */
final class Wado {

    private static final Logger LOG = LoggerFactory.getLogger(Wado.class);

    private final InstanceAccess access;
    private final SeriesMetadataCache metadataCache;
    private final Supplier<Transcoder> transcoder;

    Wado(InstanceAccess access, SeriesMetadataCache metadataCache, Supplier<Transcoder> transcoder) {
        this.access = access;
        this.metadataCache = metadataCache;
        this.transcoder = transcoder;
    }

    // ------------------------------------------------------------------ instances

    /** Retrieves instances (study, series or one instance) as multipart/related application/dicom. */
    Response retrieve(List<InstanceRecord> records, List<MediaTypes.Range> accepted) throws IOException {
        List<String> syntaxes = MediaTypes.acceptedSyntaxes(accepted, MediaTypes.DICOM, UID.ExplicitVRLittleEndian);
        if (syntaxes.isEmpty()) {
            throw DicomWebException.notAcceptable("instances are available as multipart/related; "
                    + "type=\"application/dicom\" only");
        }
        // the status is decided by the first instance; a later one that cannot be converted is left out
        if (targetSyntax(records.get(0), syntaxes) == null) {
            throw DicomWebException.notAcceptable("instance " + records.get(0).sopInstanceUid() + " is stored in "
                    + records.get(0).transferSyntaxUid() + " and cannot be converted to any of " + syntaxes);
        }
        String boundary = MultipartWriter.newBoundary();
        StreamingOutput body = out -> {
            MultipartWriter multipart = new MultipartWriter(out, boundary);
            for (InstanceRecord r : records) {
                writeInstance(multipart, r, syntaxes);
            }
            multipart.finish();
        };
        return Response.ok(body).header("Content-Type", MultipartWriter.contentType(MediaTypes.DICOM, boundary))
                .build();
    }

    /** One instance as a single application/dicom body (WADO-URI, PS3.18 9.1). */
    Response retrieveSingle(InstanceRecord r, List<String> syntaxes) throws IOException {
        String target = targetSyntax(r, syntaxes);
        if (target == null) {
            throw DicomWebException.notAcceptable("instance " + r.sopInstanceUid() + " is stored in "
                    + r.transferSyntaxUid() + " and cannot be converted to any of " + syntaxes);
        }
        StreamingOutput body;
        if (target.equals(r.transferSyntaxUid())) {
            body = out -> {
                try (InputStream in = access.openStream(r)) {
                    in.transferTo(out);
                }
            };
        } else {
            Transcoder t = transcoder();
            body = out -> {
                try (InputStream in = access.openStream(r)) {
                    t.transcode(in, out, TranscodeRequest.to(target));
                } catch (TranscodeException e) {
                    throw new IOException("instance " + r.sopInstanceUid() + " could not be converted: "
                            + e.getMessage(), e);
                }
            };
        }
        return Response.ok(body).header("Content-Type", MediaTypes.DICOM).build();
    }

    private void writeInstance(MultipartWriter multipart, InstanceRecord r, List<String> syntaxes)
            throws IOException {
        String target = targetSyntax(r, syntaxes);
        if (target == null) {
            LOG.info("instance {} left out of a WADO-RS response: {} cannot be converted to any of {}",
                    r.sopInstanceUid(), r.transferSyntaxUid(), syntaxes);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", MediaTypes.DICOM + "; transfer-syntax=" + target);
        if (target.equals(r.transferSyntaxUid())) {
            headers.put("Content-Length", Long.toString(r.size()));
            try (InputStream in = access.openStream(r); OutputStream part = multipart.startPart(headers)) {
                in.transferTo(part);
            }
            return;
        }
        OutputStream part = multipart.lazyPart(headers);
        try (InputStream in = access.openStream(r)) {
            transcoder().transcode(in, part, TranscodeRequest.to(target));
        } catch (TranscodeException e) {
            // nothing was written for it (Transcoder converts all or nothing): leave it out
            LOG.info("instance {} left out of a WADO-RS response: {}", r.sopInstanceUid(), e.getMessage());
        }
    }

    /** The syntax to send an instance in, or null if none of those accepted can be produced now. */
    private String targetSyntax(InstanceRecord r, List<String> syntaxes) throws IOException {
        String stored = r.transferSyntaxUid();
        if (syntaxes.contains(MediaTypes.ANY_SYNTAX) || syntaxes.contains(stored)) {
            return stored;
        }
        Transcoder t = transcoder.get();
        if (t == null) {
            return null;
        }
        ImageDescriptor image;
        try (InputStream in = access.openStream(r); DicomReader reader = DicomReader.open(in, ReadOptions.defaults())) {
            image = Transcoding.imageDescriptor(reader.readDataSet(StopCondition.beforeTag(Tag.PixelData))).orElse(null);
        } catch (IllegalArgumentException e) {
            image = null;
        }
        // lossy syntaxes only where the client named them: an acceptable choice it made itself
        return t.selectTransferSyntax(stored, image, syntaxes, true).orElse(null);
    }

    private Transcoder transcoder() {
        Transcoder t = transcoder.get();
        if (t == null) {
            throw new DicomWebException(503, "no Transcoder service is running: only stored transfer syntaxes "
                    + "can be sent now (ask for transfer-syntax=*)");
        }
        return t;
    }

    // ------------------------------------------------------------------ metadata

    /**
     * Metadata of instances grouped by series (in index order), as a DICOM JSON array or as
     * multipart/related application/dicom+xml. JSON series documents come from the cache.
     */
    Response metadata(String base, List<InstanceRecord> records, List<MediaTypes.Range> accepted, boolean cached)
            throws IOException {
        String type = MediaTypes.select(accepted, List.of(MediaTypes.DICOM_JSON, MediaTypes.JSON)).orElse(null);
        if (type == null) {
            if (!MediaTypes.acceptedSyntaxes(accepted, MediaTypes.DICOM_XML, "").isEmpty()) {
                return xmlMetadata(base, records);
            }
            throw DicomWebException.notAcceptable("metadata is available as application/dicom+json or "
                    + "multipart/related; type=\"application/dicom+xml\"");
        }
        StreamingOutput body = out -> {
            OutputStream withBase = MetadataWriter.withBase(out, base);
            withBase.write('[');
            if (cached) {
                boolean first = true;
                for (List<InstanceRecord> series : bySeries(records)) {
                    if (!first) {
                        withBase.write(',');
                    }
                    first = false;
                    InstanceRecord any = series.get(0);
                    metadataCache.writeSeries(any.studyInstanceUid(), any.seriesInstanceUid(), series, withBase);
                }
            } else {
                DicomJsonWriter writer = MetadataWriter.objectsWriter(withBase);
                for (InstanceRecord r : records) {
                    MetadataWriter.writeInstance(writer, readMetadata(r), r);
                }
                writer.close();
            }
            withBase.write(']');
            withBase.flush();
        };
        return Response.ok(body).header("Content-Type", MediaTypes.DICOM_JSON).build();
    }

    private Response xmlMetadata(String base, List<InstanceRecord> records) {
        String boundary = MultipartWriter.newBoundary();
        StreamingOutput body = out -> {
            MultipartWriter multipart = new MultipartWriter(out, boundary);
            for (InstanceRecord r : records) {
                DataSet metadata = readMetadata(r);
                try (OutputStream part = multipart.startPart(Map.of("Content-Type",
                        MediaTypes.DICOM_XML + "; charset=utf-8"));
                     DicomXmlWriter xml = DicomXmlWriter.create(part)) {
                    xml.setBulkDataUriPolicy(MetadataWriter.bulkDataUris(r, base));
                    xml.writeDocument(metadata);
                }
            }
            multipart.finish();
        };
        return Response.ok(body).header("Content-Type", MultipartWriter.contentType(MediaTypes.DICOM_XML, boundary))
                .build();
    }

    private DataSet readMetadata(InstanceRecord r) throws IOException {
        try (InputStream in = access.openStream(r)) {
            return MetadataWriter.readMetadata(in, r, metadataCache.bulkDataThreshold());
        }
    }

    private static List<List<InstanceRecord>> bySeries(List<InstanceRecord> records) {
        Map<String, List<InstanceRecord>> series = new LinkedHashMap<>();
        for (InstanceRecord r : records) {
            series.computeIfAbsent(r.seriesInstanceUid(), k -> new ArrayList<>()).add(r);
        }
        return new ArrayList<>(series.values());
    }

    // ------------------------------------------------------------------ frames

    /** What a frame is sent as: the part's media type and the transfer syntax ({@code *}: as stored). */
    record FrameChoice(String mediaType, String transferSyntax) {
    }

    /**
     * The frame encodings a request accepts, best first (PS3.18 8.7.3.3.2 and Table 8.7.3-3).
     * A range without transfer-syntax takes the media type's default (Explicit VR Little Endian
     * for application/octet-stream); {@code *}/{@code *} is application/octet-stream.
     */
    static List<FrameChoice> frameChoices(List<MediaTypes.Range> accepted) {
        List<FrameChoice> choices = new ArrayList<>();
        for (MediaTypes.Range r : accepted) {
            if (r.q() <= 0) {
                continue;
            }
            String type;
            if ("multipart".equals(r.type())) {
                type = r.param("type") != null ? r.param("type") : MediaTypes.OCTET_STREAM;
            } else if ("*".equals(r.type())) {
                type = MediaTypes.OCTET_STREAM;
            } else {
                type = r.mediaType();
            }
            String ts = r.param("transfer-syntax");
            if ("*/*".equals(type) || "application/*".equals(type)) {
                type = MediaTypes.OCTET_STREAM;
            }
            if ("image/*".equals(type)) {
                choices.add(new FrameChoice(type, MediaTypes.ANY_SYNTAX));
                continue;
            }
            List<String> permitted = MediaTypes.frameTypes().get(type);
            if (permitted == null) {
                continue;
            }
            String syntax = ts != null ? ts.strip() : permitted.get(0);
            FrameChoice choice = new FrameChoice(type, syntax);
            if (!choices.contains(choice)) {
                choices.add(choice);
            }
        }
        return choices;
    }

    /** Parses a frame list, {@code 1,3,5} (PS3.18 8.3.3.1.2): numbers from 1. */
    static int[] frameNumbers(String list) {
        String[] parts = list.split(",");
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                numbers[i] = 0;
            }
            if (numbers[i] < 1) {
                throw DicomWebException.badRequest("frame list \"" + list + "\" must be frame numbers from 1, "
                        + "separated by commas");
            }
        }
        return numbers;
    }

    /** Frames of one instance as multipart/related, one part per frame in the order asked. */
    Response frames(String base, InstanceRecord r, int[] numbers, List<MediaTypes.Range> accepted)
            throws IOException {
        List<FrameChoice> choices = frameChoices(accepted);
        if (choices.isEmpty()) {
            throw DicomWebException.notAcceptable("frames are available as multipart/related with type "
                    + MediaTypes.frameTypes().keySet());
        }
        Transcoder t = transcoder();
        SeekableByteChannel channel = access.openChannel(r);
        FrameReader reader = null;
        boolean handedOver = false;
        try {
            reader = t.openFrames(channel);
            for (int n : numbers) {
                if (n > reader.numberOfFrames()) {
                    throw DicomWebException.notFound("instance " + r.sopInstanceUid() + " has "
                            + reader.numberOfFrames() + " frame(s), not " + n);
                }
            }
            // the first frame is made before answering: a frame we cannot produce is a 406, not a broken body
            Encoded first = null;
            FrameChoice chosen = null;
            for (FrameChoice choice : choices) {
                first = encode(reader, numbers[0], choice);
                if (first != null) {
                    chosen = choice;
                    break;
                }
            }
            if (first == null) {
                throw DicomWebException.notAcceptable("frames of instance " + r.sopInstanceUid() + " (stored in "
                        + reader.transferSyntaxUid() + ") cannot be sent as any of " + choices);
            }
            String boundary = MultipartWriter.newBoundary();
            FrameReader frames = reader;
            FrameChoice choice = chosen;
            Encoded firstFrame = first;
            String location = base + MetadataWriter.instancePath(r) + "/frames/";
            StreamingOutput body = out -> {
                try (channel; frames) {
                    MultipartWriter multipart = new MultipartWriter(out, boundary);
                    for (int i = 0; i < numbers.length; i++) {
                        Encoded frame = i == 0 ? firstFrame : encode(frames, numbers[i], choice);
                        if (frame == null) {
                            throw new IOException("frame " + numbers[i] + " of " + r.sopInstanceUid()
                                    + " could not be encoded like frame " + numbers[0]);
                        }
                        Map<String, String> headers = new LinkedHashMap<>();
                        headers.put("Content-Type", frame.mediaType() + "; transfer-syntax=" + frame.transferSyntax());
                        headers.put("Content-Location", location + numbers[i]);
                        headers.put("Content-Length", Integer.toString(frame.data().length));
                        try (OutputStream part = multipart.startPart(headers)) {
                            part.write(frame.data());
                        }
                    }
                    multipart.finish();
                }
            };
            String partType = choice.mediaType().endsWith("/*") ? first.mediaType() : choice.mediaType();
            Response response = Response.ok(body)
                    .header("Content-Type", MultipartWriter.contentType(partType, boundary)).build();
            handedOver = true; // the body closes reader and channel
            return response;
        } catch (TranscodeException e) {
            throw new DicomWebException(DicomWebExceptionMapper.status(e), e.getMessage(), e);
        } finally {
            if (!handedOver) {
                if (reader != null) {
                    reader.close();
                }
                channel.close();
            }
        }
    }

    /** One frame as sent. */
    record Encoded(String mediaType, String transferSyntax, byte[] data) {
    }

    /** The frame in the chosen encoding, or null if it cannot be produced that way. */
    private static Encoded encode(FrameReader reader, int number, FrameChoice choice) throws IOException {
        String stored = reader.transferSyntaxUid();
        try {
            if (MediaTypes.ANY_SYNTAX.equals(choice.transferSyntax())) {
                if (MediaTypes.isUncompressed(stored)) {
                    if (!choice.mediaType().equals(MediaTypes.OCTET_STREAM) && !"image/*".equals(choice.mediaType())) {
                        return null;
                    }
                    Frame f = reader.decode(number);
                    return new Encoded(MediaTypes.OCTET_STREAM, f.transferSyntaxUid(), f.data());
                }
                String storedType = MediaTypes.frameMediaType(stored);
                boolean labelAsAsked = choice.mediaType().equals(MediaTypes.OCTET_STREAM);
                if (!labelAsAsked && !"image/*".equals(choice.mediaType())
                        && !MediaTypes.frameTypes().getOrDefault(choice.mediaType(), List.of()).contains(stored)) {
                    return null;
                }
                Frame f = reader.frame(number, stored, EncodeOptions.DEFAULT);
                return new Encoded(labelAsAsked ? MediaTypes.OCTET_STREAM : storedType, stored, f.data());
            }
            List<String> permitted = MediaTypes.frameTypes().get(choice.mediaType());
            if (permitted == null || !permitted.contains(choice.transferSyntax())
                    && !(choice.mediaType().equals(MediaTypes.OCTET_STREAM)
                    && MediaTypes.isUncompressed(choice.transferSyntax()))) {
                return null;
            }
            if (MediaTypes.isUncompressed(choice.transferSyntax())) {
                Frame f = reader.decode(number);
                return new Encoded(MediaTypes.OCTET_STREAM, UID.ExplicitVRLittleEndian, f.data());
            }
            Frame f = reader.frame(number, choice.transferSyntax(), EncodeOptions.DEFAULT);
            return new Encoded(choice.mediaType(), f.transferSyntaxUid(), f.data());
        } catch (TranscodeException e) {
            if (e.reason() == TranscodeException.Reason.UNSUPPORTED || e.reason() == TranscodeException.Reason.LOSSY_REFUSED) {
                return null;
            }
            throw new DicomWebException(DicomWebExceptionMapper.status(e), e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ bulk data

    /**
     * The value at an element path (PS3.18 10.4.1.1.4, the BulkDataURIs of our metadata). Pixel
     * Data is answered as its frames; other values as one application/octet-stream part.
     */
    Response bulkData(String base, InstanceRecord r, String pathText, List<MediaTypes.Range> accepted)
            throws IOException {
        ElementPath path;
        try {
            path = ElementPath.parse(pathText);
        } catch (IllegalArgumentException e) {
            throw DicomWebException.badRequest("bulk data path \"" + pathText + "\" is not an element path "
                    + "(ggggeeee[/item/ggggeeee...])");
        }
        if (path.depth() == 0 && (path.tag() == Tag.PixelData || path.tag() == Tag.FloatPixelData
                || path.tag() == Tag.DoubleFloatPixelData)) {
            List<MediaTypes.Range> asStored = new ArrayList<>();
            for (MediaTypes.Range range : accepted) {
                // bulk data is sent as stored unless a syntax is named (PS3.18 8.7.3.5.2 permits either)
                Map<String, String> params = new LinkedHashMap<>(range.params());
                params.putIfAbsent("transfer-syntax", MediaTypes.ANY_SYNTAX);
                asStored.add(new MediaTypes.Range(range.type(), range.subtype(), params, range.q()));
            }
            int frames = numberOfFrames(r);
            int[] all = new int[frames];
            for (int i = 0; i < frames; i++) {
                all[i] = i + 1;
            }
            return frames(base, r, all, asStored);
        }
        if (MediaTypes.acceptedSyntaxes(accepted, MediaTypes.OCTET_STREAM, "").isEmpty()) {
            throw DicomWebException.notAcceptable("bulk data is available as multipart/related; "
                    + "type=\"application/octet-stream\"");
        }
        DataSet header;
        try (InputStream in = access.openStream(r)) {
            header = MetadataWriter.readMetadata(in, r, metadataCache.bulkDataThreshold());
        }
        Object value = valueAt(header, path);
        if (value == null) {
            throw DicomWebException.notFound("instance " + r.sopInstanceUid() + " has no value at " + pathText);
        }
        String boundary = MultipartWriter.newBoundary();
        StreamingOutput body = out -> {
            MultipartWriter multipart = new MultipartWriter(out, boundary);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", MediaTypes.OCTET_STREAM);
            headers.put("Content-Location", base + MetadataWriter.instancePath(r) + "/bulkdata/" + pathText);
            if (value instanceof BulkData bulk) {
                headers.put("Content-Length", Long.toString(bulk.length()));
                try (SeekableByteChannel ch = access.openChannel(r); OutputStream part = multipart.startPart(headers)) {
                    copy(ch, bulk.offset(), bulk.length(), part);
                }
            } else {
                byte[] bytes = (byte[]) value;
                headers.put("Content-Length", Integer.toString(bytes.length));
                try (OutputStream part = multipart.startPart(headers)) {
                    part.write(bytes);
                }
            }
            multipart.finish();
        };
        return Response.ok(body).header("Content-Type", MultipartWriter.contentType(MediaTypes.OCTET_STREAM, boundary))
                .build();
    }

    private int numberOfFrames(InstanceRecord r) throws IOException {
        try (InputStream in = access.openStream(r); DicomReader reader = DicomReader.open(in, ReadOptions.defaults())) {
            DataSet header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            return Math.max(1, header.getInt(Tag.NumberOfFrames, 1));
        }
    }

    /** The value at a path: a BulkData reference, the bytes of a value held in memory, or null. */
    static Object valueAt(DataSet header, ElementPath path) {
        List<ElementPath> chain = new ArrayList<>();
        for (ElementPath p = path; p != null; p = p.sequence()) {
            chain.add(0, p);
        }
        DataSet ds = header;
        for (int i = 0; i < chain.size() - 1; i++) {
            Sequence seq = ds.getSequence(chain.get(i).tag());
            int item = chain.get(i + 1).itemIndex();
            if (seq == null || item < 0 || item >= seq.size()) {
                return null;
            }
            ds = seq.get(item);
        }
        int tag = path.tag();
        if (!ds.contains(tag)) {
            return null;
        }
        BulkData bulk = ds.getBulkData(tag);
        if (bulk != null) {
            return bulk;
        }
        if (ds.getFragments(tag) != null || Tags.isPrivateCreator(tag)) {
            return null;
        }
        return ds.getBytes(tag);
    }

    static void copy(SeekableByteChannel channel, long offset, long length, OutputStream out) throws IOException {
        channel.position(offset);
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        long left = length;
        while (left > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            int n = channel.read(buffer);
            if (n < 0) {
                throw new IOException("stored object ends before its bulk data does");
            }
            out.write(buffer.array(), 0, n);
            left -= n;
        }
    }
}
