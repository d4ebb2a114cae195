package org.mosaicpacs.itests.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP AI connector against a local inference server started by the test: the instances go
 * out as multipart/related with the configured authorization header; a 503 is retried and the
 * JSON findings of the second attempt become an SR in the study (found by QIDO-RS); a server that
 * never answers in time is retried with back-off and the job ends FAILED with the reason, never
 * lost silently. The SR passes dciodvfy and dsrdump as the archive stored it.
 */
@ExtendWith(SharedMosaicServer.class)
class HttpConnectorIT {

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @Test
    void retriesThenStoresFindingsAndMarksATimingOutJobFailed(MosaicServer server) throws Exception {
        List<Path> okSeries = PluginTests.ctSeries("httpok", 3);
        List<Path> slowSeries = PluginTests.ctSeries("httpslow", 3);
        String okStudy = studyOf(okSeries.get(0));
        String slowStudy = studyOf(slowSeries.get(0));
        HttpServer inference = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        inference.createContext("/infer", exchange -> serve(exchange, okStudy));
        inference.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        inference.start();
        Path etc = server.home().resolve("etc");
        Path pipelineCfg = etc.resolve("org.mosaicpacs.ai.pipeline.cfg");
        Path connectorCfg = etc.resolve("org.mosaicpacs.ai.http-ittest.cfg");
        Path ruleCfg = etc.resolve("org.mosaicpacs.ai.rule-ittest.cfg");
        server.shell("feature:install mosaic-ai-http");
        try {
            Files.writeString(pipelineCfg, "pollSeconds = 1\nretryBaseSeconds = 1\nretryMaxSeconds = 4\nmaxAttempts = 3\n");
            Files.writeString(connectorCfg, "mosaic.ai.name = it-http\nurl = http://127.0.0.1:" + inference.getAddress().getPort()
                    + "/infer\npayload = INSTANCES\nauthorization = Bearer it-token\nrequestTimeoutSeconds = 5\n");
            Files.writeString(ruleCfg, "name = it-rule\nconnector = it-http\nmodalities = CT\ncallingAeTitles = HTTPTEST\n");
            server.shell("config:property-set -p org.mosaicpacs.archive studyStableSeconds 2");
            PluginTests.await(Duration.ofSeconds(60), () -> PluginTests.getJson(server, "/api/ai/connectors"),
                    s -> s.contains("\"it-http\"") && s.contains("\"it-rule\""), "HTTP connector and rule registered");

            PluginTests.storescu(server, "HTTPTEST", okSeries);
            PluginTests.storescu(server, "HTTPTEST", slowSeries);

            String ok = PluginTests.await(Duration.ofSeconds(90), () -> PluginTests.getJson(server, "/api/ai/jobs?study=" + okStudy),
                    s -> s.contains("\"COMPLETED\"") || s.contains("\"FAILED\""), "first job finished");
            assertThat(ok).contains("\"state\":\"COMPLETED\"").contains("\"attempts\":2").contains("\"rule\":\"it-rule\"")
                    .contains("it-http: 1 nodule");
            List<String> results = AiSegmentationPluginIT.results(ok);
            assertThat(results).hasSize(1);
            assertThat(requests).anyMatch(r -> r.startsWith(okStudy + " Bearer it-token multipart/related; type=\"application/dicom\"")
                    && r.endsWith(" parts=3"));

            String slow = PluginTests.await(Duration.ofSeconds(120), () -> PluginTests.getJson(server, "/api/ai/jobs?study=" + slowStudy),
                    s -> s.contains("\"FAILED\"") || s.contains("\"COMPLETED\""), "timing-out job finished");
            assertThat(slow).contains("\"state\":\"FAILED\"").contains("\"attempts\":3")
                    .contains("it-http: no answer within 5 s");
            assertThat(calls.get(slowStudy).get()).isEqualTo(3);
            assertThat(server.shell("mosaic:ai-jobs --connector it-http")).contains("FAILED").contains("COMPLETED");
            Path sr = PluginTests.storedFile(server, results.get(0));
            assertThat(AiSegmentationPluginIT.validate(sr, "1.2.840.10008.5.1.4.1.1.88.34"))
                    .contains("Nodule 1").contains("Length").contains("7.5");

            // last, as the others do not depend on it: the SR is in QIDO-RS like any other object
            assertThat(PluginTests.getJson(server, "/dicom-web/studies/" + okStudy + "/series")).contains("\"SR\"");
            assertThat(PluginTests.getJson(server, "/dicom-web/studies/" + okStudy + "/instances"))
                    .contains(results.get(0)).contains("1.2.840.10008.5.1.4.1.1.88.34");
        } finally {
            Files.deleteIfExists(ruleCfg);
            Files.deleteIfExists(connectorCfg);
            Files.deleteIfExists(pipelineCfg);
            server.shell("config:property-delete -p org.mosaicpacs.archive studyStableSeconds");
            inference.stop(0);
        }
    }

    /** First call for the good study: 503; then JSON findings. The other study: too slow, every time. */
    private void serve(HttpExchange exchange, String okStudy) throws IOException {
        String study = exchange.getRequestHeaders().getFirst("X-Mosaic-Study");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] body = exchange.getRequestBody().readAllBytes();
        int parts = countParts(body, contentType);
        requests.add(study + " " + exchange.getRequestHeaders().getFirst("Authorization") + " " + contentType + " parts=" + parts);
        int call = calls.computeIfAbsent(study, s -> new AtomicInteger()).incrementAndGet();
        if (!study.equals(okStudy)) {
            PluginTests.sleep(8000);
            answer(exchange, 204, null, new byte[0]);
        } else if (call == 1) {
            answer(exchange, 503, "text/plain", "warming up".getBytes(StandardCharsets.UTF_8));
        } else {
            answer(exchange, 200, "application/json", ("{\"summary\": \"1 nodule\", \"findings\": [{\"label\": \"Nodule 1\","
                    + "\"finding\": {\"code\": \"27925004\", \"scheme\": \"SCT\", \"meaning\": \"Nodule\"},"
                    + "\"site\": {\"code\": \"39607008\", \"scheme\": \"SCT\", \"meaning\": \"Lung\"},"
                    + "\"measurements\": [{\"concept\": {\"code\": \"410668003\", \"scheme\": \"SCT\", \"meaning\": \"Length\"},"
                    + "\"value\": 7.5, \"unit\": {\"code\": \"mm\", \"scheme\": \"UCUM\", \"meaning\": \"millimeter\"}}]}]}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Parts of a multipart/related body that parse as DICOM. */
    private static int countParts(byte[] body, String contentType) {
        String boundary = contentType.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (String chunk : text.split("--" + java.util.regex.Pattern.quote(boundary))) {
            int start = chunk.indexOf("\r\n\r\n");
            if (start < 0 || chunk.startsWith("--")) {
                continue;
            }
            byte[] part = chunk.substring(start + 4, chunk.length() - 2).getBytes(StandardCharsets.ISO_8859_1);
            try (DicomReader r = DicomReader.open(new java.io.ByteArrayInputStream(part),
                    org.mosaicpacs.dicom.io.ReadOptions.defaults())) {
                if (r.readDataSet(StopCondition.beforeTag(Tag.PixelData)).getString(Tag.SOPInstanceUID) != null) {
                    count++;
                }
            } catch (IOException e) {
                return -1;
            }
        }
        return count;
    }

    private static String studyOf(Path file) throws IOException {
        try (DicomReader r = DicomReader.open(file)) {
            return r.readDataSet(StopCondition.beforeTag(Tag.PixelData)).getString(Tag.StudyInstanceUID);
        }
    }

    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        try {
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException clientGaveUp) {
            // the connector's time-out closed the connection first: what this answer tests
        }
    }
}
