package org.mosaicpacs.ai.http.connector.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.AiRequest;
import org.mosaicpacs.api.ai.AiResult;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The connector against a local inference server (the JDK's HTTP server) in each of its answers. */
class InferenceClientTest {

    private static final String STUDY = "1.2.826.0.1.3680043.10.77";
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static final Map<String, byte[]> stored = new java.util.concurrent.ConcurrentHashMap<>();
    private static HttpServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 1; i <= 3; i++) {
            stored.put(STUDY + ".1." + i, part10(ct(STUDY + ".1." + i)));
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", InferenceClientTest::serve);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // slow answers in parallel
        server.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** The test server: the path says how to answer. */
    private static void serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        received.add(exchange.getRequestURI().getPath() + " " + contentType + " "
                + exchange.getRequestHeaders().getFirst("Authorization") + " " + body.length);
        switch (exchange.getRequestURI().getPath()) {
            case "/seg" -> {
                // echo back one SR per received instance, proving the instances arrived whole
                List<Multipart.Part> parts = Multipart.parse(body, Multipart.boundary(contentType));
                String boundary = "answer-boundary";
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (Multipart.Part p : parts) {
                    DataSet in;
                    try (DicomReader r = DicomReader.open(new ByteArrayInputStream(p.content()), ReadOptions.loadAll())) {
                        in = r.readDataSet();
                    }
                    DataSet sr = new DataSet();
                    sr.setString(Tag.SOPClassUID, VR.UI, UID.BasicTextSRStorage);
                    sr.setString(Tag.SOPInstanceUID, VR.UI, UidGenerator.newUid());
                    sr.setString(Tag.StudyInstanceUID, VR.UI, in.getString(Tag.StudyInstanceUID));
                    sr.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3.999");
                    sr.setString(Tag.SeriesDescription, VR.LO, in.getString(Tag.SOPInstanceUID));
                    out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(part10(sr));
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                answer(exchange, 200, "multipart/related; type=\"application/dicom\"; boundary=" + boundary, out.toByteArray());
            }
            case "/json" -> answer(exchange, 200, "application/json", ("{\"summary\": \"1 nodule\", \"findings\": [{"
                    + "\"label\": \"Nodule 1\", \"finding\": {\"code\": \"27925004\", \"scheme\": \"SCT\", \"meaning\": \"Nodule\"},"
                    + "\"site\": {\"code\": \"39607008\", \"scheme\": \"SCT\", \"meaning\": \"Lung\"},"
                    + "\"measurements\": [{\"concept\": {\"code\": \"410668003\", \"scheme\": \"SCT\", \"meaning\": \"Length\"},"
                    + "\"value\": 7.5, \"unit\": {\"code\": \"mm\", \"scheme\": \"UCUM\", \"meaning\": \"millimeter\"}}]}]}")
                    .getBytes(StandardCharsets.UTF_8));
            case "/busy" -> answer(exchange, 503, "text/plain", "model loading".getBytes(StandardCharsets.UTF_8));
            case "/forbidden" -> answer(exchange, 401, "text/plain", "bad token".getBytes(StandardCharsets.UTF_8));
            case "/nothing" -> answer(exchange, 204, null, new byte[0]);
            case "/slow" -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(exchange, 204, null, new byte[0]);
            }
            default -> answer(exchange, 404, "text/plain", new byte[0]);
        }
    }

    @Test
    void instancesGoOutAsMultipartAndTheObjectsThatComeBackAreReturned() throws Exception {
        AiResult result = client("/seg", Payload.INSTANCES).process(request());
        assertThat(result.objects()).extracting(o -> o.getString(Tag.SeriesDescription))
                .containsExactly(STUDY + ".1.1", STUDY + ".1.2", STUDY + ".1.3");
        assertThat(received).anyMatch(r -> r.startsWith("/seg multipart/related; type=\"application/dicom\"; boundary=mosaic-")
                && r.contains("Bearer secret"));
    }

    @Test
    void dicomWebUrlsGoOutAsJsonAndJsonFindingsBecomeAnSr() throws Exception {
        InferenceClient client = client("/json", Payload.DICOMWEB_URLS);
        JsonNode described = client.describe(request());
        assertThat(described.path("studyUrl").asText()).isEqualTo("http://pacs.example/dicom-web/studies/" + STUDY);
        assertThat(described.path("series").get(0).path("instances").get(1).path("url").asText())
                .isEqualTo("http://pacs.example/dicom-web/studies/" + STUDY + "/series/" + STUDY + ".1/instances/" + STUDY + ".1.2");
        assertThat(described.path("parameters").path("model").asText()).isEqualTo("v3");

        AiResult result = client.process(request());
        assertThat(result.summary()).isEqualTo("test: 1 nodule");
        DataSet sr = result.objects().get(0);
        assertThat(sr.getString(Tag.SOPClassUID)).isEqualTo(UID.Comprehensive3DSRStorage);
        assertThat(sr.getString(Tag.StudyInstanceUID)).isEqualTo(STUDY);
        assertThat(sr.getString(Tag.PatientID)).isEqualTo("P-77");
        assertThat(new ObjectMapper().readTree(org.mosaicpacs.dicom.json.DicomJsonWriter.toJson(sr)).toString())
                .contains("Nodule 1").contains("410668003").contains("7.5");
    }

    @Test
    void failuresAreClassifiedForTheRetryPolicy() throws Exception {
        assertThat(client("/nothing", Payload.DICOMWEB_URLS).process(request()).objects()).isEmpty();
        assertThatThrownBy(() -> client("/busy", Payload.DICOMWEB_URLS).process(request()))
                .isInstanceOfSatisfying(AiException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessage("test answered HTTP 503: model loading");
        assertThatThrownBy(() -> client("/forbidden", Payload.DICOMWEB_URLS).process(request()))
                .isInstanceOfSatisfying(AiException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("test answered HTTP 401: bad token");
        assertThatThrownBy(() -> client("/slow", Payload.DICOMWEB_URLS).process(request()))
                .isInstanceOfSatisfying(AiException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessage("test: no answer within 1 s");
        InferenceClient refused = new InferenceClient(http, archive(), settings(URI.create("http://127.0.0.1:1/x"),
                Payload.DICOMWEB_URLS));
        assertThatThrownBy(() -> refused.process(request()))
                .isInstanceOfSatisfying(AiException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageStartingWith("test: http://127.0.0.1:1/x failed: java.net.ConnectException");
    }

    private static InferenceClient client(String path, Payload payload) {
        return new InferenceClient(http, archive(), settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + path), payload));
    }

    private static InferenceClient.Settings settings(URI url, Payload payload) {
        return new InferenceClient.Settings("test", url, "Authorization", "Bearer secret", payload,
                "http://pacs.example/dicom-web/", Duration.ofSeconds(1), 10_000_000, 9200);
    }

    private static AiRequest request() {
        List<InstanceRecord> instances = stored.keySet().stream().sorted().map(uid -> new InstanceRecord(STUDY, STUDY + ".1",
                uid, UID.CTImageStorage, UID.ExplicitVRLittleEndian, "fs", uid, 1, "MD5", "0", Instant.EPOCH)).toList();
        return new AiRequest(7, "test", "r", STUDY, instances, Map.of("model", "v3"), "SCANNER", 1);
    }

    private static Archive archive() {
        return new Archive() {
            @Override
            public StoreResult store(StoreRequest request, InputStream stream) {
                throw new UnsupportedOperationException();
            }

            @Override
            public StoredInstance open(String sopInstanceUid) throws ArchiveException {
                byte[] bytes = stored.get(sopInstanceUid);
                if (bytes == null) {
                    throw new ArchiveException(ArchiveException.Reason.NOT_FOUND, sopInstanceUid);
                }
                InputStream in = new ByteArrayInputStream(bytes);
                return new StoredInstance() {
                    @Override public InstanceRecord record() { throw new UnsupportedOperationException(); }
                    @Override public InputStream stream() { return in; }
                    @Override public void close() { }
                };
            }
        };
    }

    private static DataSet ct(String sop) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
        ds.setString(Tag.StudyInstanceUID, VR.UI, STUDY);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, STUDY + ".1");
        ds.setString(Tag.PatientID, VR.LO, "P-77");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setBytes(Tag.PixelData, VR.OW, new byte[512 * 512 * 2]); // a CT slice
        return ds;
    }

    private static byte[] part10(DataSet ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.createPart10(out, FileMetaInformation.forDataSet(ds, UID.ExplicitVRLittleEndian),
                WriteOptions.defaults())) {
            w.writeDataSet(ds);
        }
        return out.toByteArray();
    }

    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
