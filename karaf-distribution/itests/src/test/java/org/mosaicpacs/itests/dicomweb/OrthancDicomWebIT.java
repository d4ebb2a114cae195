package org.mosaicpacs.itests.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * An independent DICOMweb client: Orthanc's DICOMweb plugin, configured with Mosaic as one of its
 * DICOMweb servers ({@code DicomWeb.Servers}), lists our studies with QIDO-RS and retrieves one with
 * WADO-RS into its own store, where its instance count must match. Orthanc runs on free ports from
 * a configuration written under target/.
 */
@ExtendWith(SharedMosaicServer.class)
class OrthancDicomWebIT {

    @Test
    void orthancListsAndRetrievesOurStudies(MosaicServer server) throws Exception {
        Path orthanc = Tools.require("Orthanc");
        Path plugin = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
        if (!Files.exists(plugin)) {
            TestEnvironment.missing("Orthanc's DICOMweb plugin", "apt-get install orthanc-dicomweb");
        }
        List<Path> files = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native"));
        DicomWebCorpus.stow(server.http("/"), files);
        String studyUid = studyOf(files.get(0));
        long studyInstances = files.stream().filter(f -> studyOf(f).equals(studyUid)).count();

        Path work = Path.of("target/orthanc-dicomweb").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work.resolve("db"));
        int httpPort = Ports.free();
        Files.writeString(work.resolve("orthanc.json"), """
                {
                  "Name": "MosaicIT", "StorageDirectory": "%1$s/db", "IndexDirectory": "%1$s/db",
                  "TemporaryDirectory": "%1$s", "Plugins": ["%2$s"],
                  "HttpPort": %3$d, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
                  "DicomServerEnabled": false,
                  "DicomWeb": { "Enable": true, "Root": "/dicom-web/",
                                "Servers": { "mosaic": ["%4$s"] } }
                }
                """.formatted(work, plugin, httpPort, server.http("/dicom-web/")));
        // --verbose: Orthanc's log then shows its HTTP requests, which is what a failure here needs
        Process process = new ProcessBuilder(orthanc.toString(), "--verbose", "--logdir=" + work,
                work.resolve("orthanc.json").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("stdout.log").toFile()).start();
        try {
            // HTTP/1.1: Java's default first request proposes an h2c upgrade, and Orthanc's server may
            // close the connection on it without an answer ("header parser received no bytes")
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI base = URI.create("http://127.0.0.1:" + httpPort);
            awaitUp(http, base.resolve("/system"), process);
            Orthanc peer = new Orthanc(http, process, work);

            HttpResponse<String> qido = peer.post(base.resolve("/dicom-web/servers/mosaic/qido"),
                    "{\"Uri\": \"/studies\", \"Arguments\": {\"StudyInstanceUID\": \"" + studyUid + "\"}}");
            assertThat(qido.statusCode()).as(qido.body()).isEqualTo(200);
            assertThat(qido.body()).contains(studyUid);

            HttpResponse<String> all = peer.post(base.resolve("/dicom-web/servers/mosaic/qido"),
                    "{\"Uri\": \"/studies\", \"Arguments\": {\"limit\": \"1000\"}}");
            assertThat(all.body()).contains(studyUid).contains("00100010");

            HttpResponse<String> retrieve = peer.post(base.resolve("/dicom-web/servers/mosaic/retrieve"),
                    "{\"Resources\": [{\"Study\": \"" + studyUid + "\"}]}");
            assertThat(retrieve.statusCode()).as(retrieve.body()).isEqualTo(200);

            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(base.resolve("/statistics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.body()).as("Orthanc's store after the retrieve")
                    .containsPattern("\"CountInstances\"\\s*:\\s*" + studyInstances + "\\b");
            HttpResponse<String> studies = http.send(HttpRequest.newBuilder(base.resolve("/dicom-web/studies"))
                    .header("Accept", "application/dicom+json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(studies.body()).contains(studyUid);
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The running Orthanc: its REST calls fail with its state and the end of its log, which CI keeps no copy of. */
    private record Orthanc(HttpClient http, Process process, Path logDir) {

        HttpResponse<String> post(URI uri, String json) throws IOException, InterruptedException {
            try {
                return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("POST " + uri + " " + json + " failed (" + e + "); Orthanc "
                        + (process.isAlive() ? "is running" : "exited with " + process.exitValue())
                        + "; the end of its log:\n" + logTail(), e);
            }
        }

        private String logTail() throws IOException {
            Path log = logDir.resolve("Orthanc.log");
            if (!Files.exists(log)) {
                return "(no Orthanc.log in " + logDir + ")";
            }
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
    }

    private static void awaitUp(HttpClient http, URI uri, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Orthanc exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Orthanc did not answer " + uri + " within 30 s");
    }

    /** The Study Instance UID of a corpus file, from make-corpus.py's manifest. */
    private static String studyOf(Path file) {
        Path corpus = TestData.mixedCorpus();
        String relative = corpus.relativize(file).toString();
        try {
            return Files.readAllLines(corpus.resolve("manifest.csv")).stream()
                    .filter(l -> l.startsWith(relative + ","))
                    .map(l -> l.split(",")[9])
                    .findFirst().orElseThrow(() -> new AssertionError(relative + " not in manifest.csv"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
