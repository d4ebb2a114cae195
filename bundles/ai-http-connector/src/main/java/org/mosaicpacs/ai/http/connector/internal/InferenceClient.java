package org.mosaicpacs.ai.http.connector.internal;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.AiRequest;
import org.mosaicpacs.api.ai.AiResult;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One inference endpoint: sends a job's study, reads the answer.
 *
 * <p>Request: {@code POST url} with the configured authorization header and {@code X-Mosaic-Job},
 * {@code X-Mosaic-Study} headers; body per {@link Payload}. Answer by status:
 * <ul>
 * <li>200/201 {@code application/dicom} or {@code multipart/related; type="application/dicom"}:
 *     the objects (SEG, SR, ...) to store; {@code application/json}: findings, turned into a
 *     TID 1500 SR by {@link FindingsReport}; 204 or an empty body: nothing found;</li>
 * <li>408, 425, 429, 5xx, connection failures and time-outs: transient (retried by the pipeline);</li>
 * <li>any other status, an unreadable answer or one over the size limit: permanent.</li>
 * </ul>
 */
final class InferenceClient {

    /** The endpoint's settings. */
    record Settings(String name, URI url, String authorizationHeader, String authorization, Payload payload,
                    String dicomWebBaseUrl, Duration requestTimeout, long maxResponseBytes, int reportSeriesNumber) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Archive archive;
    private final Settings settings;
    private final String deviceUid;

    InferenceClient(HttpClient http, Archive archive, Settings settings) {
        this.http = http;
        this.archive = archive;
        this.settings = settings;
        this.deviceUid = "2.25." + org.mosaicpacs.dicom.UidGenerator.unsigned(java.util.UUID.nameUUIDFromBytes(
                ("mosaic-ai-http/" + settings.name() + "/" + settings.url()).getBytes(StandardCharsets.UTF_8)));
    }

    AiResult process(AiRequest request) throws AiException, InterruptedException {
        Path spool = null;
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            HttpRequest.Builder http = HttpRequest.newBuilder(settings.url()).timeout(settings.requestTimeout())
                    .header("Accept", "multipart/related; type=\"application/dicom\", application/dicom, application/json")
                    .header("X-Mosaic-Job", Long.toString(request.jobId()))
                    .header("X-Mosaic-Study", request.studyInstanceUid());
            if ("http".equals(settings.url().getScheme())) {
                // No h2c upgrade attempt on cleartext: plain HTTP/1.1 is what inference servers speak.
                http.version(HttpClient.Version.HTTP_1_1);
            }
            if (!settings.authorization().isEmpty()) {
                http.header(settings.authorizationHeader(), settings.authorization());
            }
            if (settings.payload() == Payload.DICOMWEB_URLS) {
                http.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(describe(request).toString(), StandardCharsets.UTF_8));
            } else {
                // Spooled to a file and sent with a Content-Length: many inference servers refuse chunked uploads.
                String boundary = Multipart.newBoundary();
                spool = spool(request, boundary);
                http.header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofFile(spool));
            }
            response = this.http.send(http.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxResponseBytes() + 1));
            }
        } catch (HttpTimeoutException e) {
            throw AiException.transientFailure(settings.name() + ": no answer within "
                    + settings.requestTimeout().toSeconds() + " s", e);
        } catch (IOException | UncheckedIOException e) {
            throw AiException.transientFailure(settings.name() + ": " + settings.url() + " failed: " + e, e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    org.slf4j.LoggerFactory.getLogger(InferenceClient.class).warn("Cannot delete {}: {}", spool, e.getMessage());
                }
            }
        }
        int status = response.statusCode();
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            throw AiException.transientFailure(settings.name() + " answered HTTP " + status + snippet(body), null);
        }
        if (status != 200 && status != 201 && status != 204) {
            throw AiException.permanentFailure(settings.name() + " answered HTTP " + status + snippet(body));
        }
        if (body.length > settings.maxResponseBytes()) {
            throw AiException.permanentFailure(settings.name() + ": answer larger than " + settings.maxResponseBytes() + " bytes");
        }
        if (status == 204 || body.length == 0) {
            return AiResult.nothingFound(settings.name() + ": nothing found");
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        return answer(request, contentType, body);
    }

    private AiResult answer(AiRequest request, String contentType, byte[] body) throws AiException {
        String mediaType = contentType.split(";")[0].trim();
        try {
            switch (mediaType) {
                case "application/dicom" -> {
                    DataSet object = part10(body);
                    return AiResult.of(settings.name() + ": 1 object", object);
                }
                case "multipart/related" -> {
                    String boundary = Multipart.boundary(contentType);
                    if (boundary == null) {
                        throw AiException.permanentFailure(settings.name() + ": multipart answer without a boundary");
                    }
                    List<DataSet> objects = new ArrayList<>();
                    for (Multipart.Part part : Multipart.parse(body, boundary)) {
                        if (part.contentType() != null && !part.contentType().equals("application/dicom")) {
                            throw AiException.permanentFailure(settings.name() + ": a part of type " + part.contentType()
                                    + "; only application/dicom is stored");
                        }
                        objects.add(part10(part.content()));
                    }
                    return new AiResult(objects, settings.name() + ": " + objects.size() + " object(s)");
                }
                case "application/json" -> {
                    JsonNode json = JSON.readTree(body);
                    DataSet sr = FindingsReport.build(json, firstHeader(request), deviceUid, settings.name(),
                            settings.reportSeriesNumber());
                    String summary = json.path("summary").asText(json.path("findings").size() + " finding(s)");
                    return sr == null ? AiResult.nothingFound(settings.name() + ": " + summary)
                            : AiResult.of(settings.name() + ": " + summary, sr);
                }
                default -> throw AiException.permanentFailure(settings.name() + " answered with unsupported content type '"
                        + contentType + "'");
            }
        } catch (IOException e) {
            throw AiException.permanentFailure(settings.name() + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    /** A Part 10 object in an uncompressed syntax, loaded whole. */
    private DataSet part10(byte[] bytes) throws IOException, AiException {
        try (DicomReader r = DicomReader.open(new ByteArrayInputStream(bytes), ReadOptions.loadAll())) {
            if (r.transferSyntax().encapsulated()) {
                throw AiException.permanentFailure(settings.name() + " returned an object in compressed syntax "
                        + r.transferSyntax().uid() + "; results must be uncompressed");
            }
            return r.readDataSet();
        }
    }

    /** The job's instances as a multipart/related body in a temporary file. */
    private Path spool(AiRequest request, String boundary) throws IOException {
        List<Multipart.PartSource> parts = new ArrayList<>();
        for (InstanceRecord i : request.instances()) {
            parts.add(() -> open(i.sopInstanceUid()));
        }
        Path file = Files.createTempFile("mosaic-ai-http-", ".multipart");
        try (InputStream in = Multipart.body(boundary, "application/dicom", parts);
             OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
            return file;
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The JSON body of a {@link Payload#DICOMWEB_URLS} request. */
    ObjectNode describe(AiRequest request) {
        String base = settings.dicomWebBaseUrl().replaceAll("/+$", "");
        String study = base + "/studies/" + request.studyInstanceUid();
        ObjectNode root = JSON.createObjectNode();
        root.put("jobId", request.jobId());
        root.put("connector", request.connector());
        root.put("rule", request.rule());
        root.put("attempt", request.attempt());
        root.put("studyInstanceUid", request.studyInstanceUid());
        root.put("studyUrl", study);
        if (request.callingAeTitle() != null) {
            root.put("callingAeTitle", request.callingAeTitle());
        }
        ObjectNode params = root.putObject("parameters");
        request.parameters().forEach(params::put);
        Map<String, ArrayNode> bySeries = new LinkedHashMap<>();
        ArrayNode series = root.putArray("series");
        for (InstanceRecord i : request.instances()) {
            ArrayNode instances = bySeries.computeIfAbsent(i.seriesInstanceUid(), uid -> {
                ObjectNode s = series.addObject();
                s.put("seriesInstanceUid", uid);
                s.put("seriesUrl", study + "/series/" + uid);
                return s.putArray("instances");
            });
            ObjectNode instance = instances.addObject();
            instance.put("sopClassUid", i.sopClassUid());
            instance.put("sopInstanceUid", i.sopInstanceUid());
            instance.put("url", study + "/series/" + i.seriesInstanceUid() + "/instances/" + i.sopInstanceUid());
        }
        return root;
    }

    private InputStream open(String sopInstanceUid) throws IOException {
        try {
            StoredInstance instance = archive.open(sopInstanceUid);
            return new FilterInputStream(instance.stream()) {
                @Override
                public void close() throws IOException {
                    instance.close();
                }
            };
        } catch (ArchiveException e) {
            throw new IOException("instance " + sopInstanceUid + ": " + e.getMessage(), e);
        }
    }

    /** The header of the first input instance: the patient and study of a findings report. */
    private DataSet firstHeader(AiRequest request) throws AiException {
        try (InputStream in = open(request.instances().get(0).sopInstanceUid());
             DicomReader r = DicomReader.open(in, ReadOptions.defaults())) {
            return r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        } catch (IOException e) {
            throw AiException.transientFailure("cannot read the study's first instance: " + e.getMessage(), e);
        }
    }

    private static String snippet(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return ": " + text;
    }
}
