package org.mosaicpacs.service.retrieve.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.index.jdbc.internal.TestIndex;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * DCMTK's movescu against the C-MOVE SCP on the real index holding the mixed corpus (every
 * transfer syntax made by DCMTK and GDCM), with a DCMTK storescp as Move Destination; pydicom
 * says which instances each identifier names and checks that each object arrived with its data
 * set intact: as stored when the destination accepts the stored syntax, converted between the
 * uncompressed syntaxes otherwise, decompressed by the transcoder when one is installed, and
 * failed (Warning, listed) when none is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MovescuInteropTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private RetrieveTestServer scp;
    private RetrieveOracle oracle;
    private CorpusFiles corpus;
    private Path work;

    @BeforeAll
    void start() throws Exception {
        Path mixed = TestData.mixedCorpus();
        corpus = new CorpusFiles(mixed);
        TestIndex.Loaded loaded = TestIndex.create("move", TestData.dicomFilesUnder(mixed), Map.of());
        scp = new RetrieveTestServer(loaded.index());
        work = Path.of("target", "movescu").toAbsolutePath();
        RetrieveTestServer.deleteTree(work);
        oracle = RetrieveOracle.of(loaded.files(), work);
    }

    @AfterAll
    void stop() {
        scp.close();
    }

    private RetrieveTestServer.StoreScp storescp(String name, String... options) throws Exception {
        RetrieveTestServer.StoreScp storescp = RetrieveTestServer.StoreScp.start(work.resolve(name), "STORESCP", options);
        scp.remoteAes.put("STORESCP", new RemoteAe("STORESCP", "127.0.0.1", storescp.port, false, "test"));
        return storescp;
    }

    private Tools.Result movescu(String model, String level, Map<String, String> keys) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("movescu").toString(), "-v", model, "-aet", "MOVESCU",
                "-aec", "MOSAIC", "-aem", "STORESCP", "-k", "QueryRetrieveLevel=" + level));
        keys.forEach((k, v) -> cmd.addAll(List.of("-k", k + "=" + v)));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(scp.port())));
        return Tools.run(TIMEOUT, cmd);
    }

    private static void assertAllArrivedIntact(JsonNode report) {
        assertThat(report.get("expected").size()).isPositive();
        assertThat(report.get("missing")).as(report.toString()).isEmpty();
        assertThat(report.get("unexpected")).as(report.toString()).isEmpty();
        assertThat(report.get("mismatched")).as(report.toString()).isEmpty();
    }

    @Test
    void studyMovedAsStoredToADestinationAcceptingEverySyntax() throws Exception {
        String study = corpus.studies("PAT000001").get(0);
        try (RetrieveTestServer.StoreScp storescp = storescp("all-syntaxes", "+xa")) {
            Tools.Result r = movescu("-S", "STUDY", Map.of("StudyInstanceUID", study));
            assertThat(r.out() + r.err()).as(r.err()).contains("Received Final Move Response (Success)");
            JsonNode report = oracle.check(storescp.dir, Map.of("StudyInstanceUID", study));
            assertAllArrivedIntact(report);
            // the study holds objects in every transfer syntax of the corpus: all of them arrived as stored
            assertThat(report.get("expected").size()).isGreaterThan(30);
        }
    }

    @Test
    void compressedObjectsFailWithoutTranscoderAndArriveDecompressedWithOne() throws Exception {
        String study = corpus.studies("PAT000001").get(0);
        try (RetrieveTestServer.StoreScp storescp = storescp("uncompressed-only")) {
            Tools.Result r = movescu("-S", "STUDY", Map.of("StudyInstanceUID", study));
            assertThat(r.out() + r.err()).contains("Received Final Move Response (Warning: SubOperationsCompleteOneOrMoreFailures)");
            JsonNode report = oracle.check(storescp.dir, Map.of("StudyInstanceUID", study));
            assertThat(report.get("mismatched")).as(report.toString()).isEmpty();
            assertThat(report.get("unexpected")).isEmpty();
            List<String> compressed = new ArrayList<>();
            report.get("expected").fields().forEachRemaining(e -> {
                if (!InstanceSender.isUncompressed(e.getValue().asText())) {
                    compressed.add(e.getKey());
                }
            });
            // Big Endian and Deflated copies were converted on the way; only compressed ones are missing
            assertThat(compressed).isNotEmpty();
            assertThat(RetrieveOracle.strings(report.get("missing"))).containsExactlyInAnyOrderElementsOf(compressed);
        }
        scp.transcoder = new GdcmTranscoder();
        try (RetrieveTestServer.StoreScp storescp = storescp("decompressed")) {
            Tools.Result r = movescu("-S", "STUDY", Map.of("StudyInstanceUID", study));
            assertThat(r.out() + r.err()).contains("Received Final Move Response (Success)");
            assertAllArrivedIntact(oracle.check(storescp.dir, Map.of("StudyInstanceUID", study)));
        } finally {
            scp.transcoder = null;
        }
    }

    @Test
    void patientSeriesAndImageLevels() throws Exception {
        try (RetrieveTestServer.StoreScp storescp = storescp("patient", "+xa")) {
            Tools.Result r = movescu("-P", "PATIENT", Map.of("PatientID", "PAT000003"));
            assertThat(r.out() + r.err()).contains("Received Final Move Response (Success)");
            assertAllArrivedIntact(oracle.check(storescp.dir, Map.of("PatientID", "PAT000003")));
        }
        String study = corpus.studies("PAT000005").get(0);
        List<String> series = corpus.series(study);
        String twoSeries = series.get(0) + "\\" + series.get(series.size() - 1);
        try (RetrieveTestServer.StoreScp storescp = storescp("series", "+xa")) {
            Tools.Result r = movescu("-S", "SERIES", Map.of("StudyInstanceUID", study, "SeriesInstanceUID", twoSeries));
            assertThat(r.out() + r.err()).contains("Received Final Move Response (Success)");
            assertAllArrivedIntact(oracle.check(storescp.dir, Map.of("SeriesInstanceUID", twoSeries)));
        }
        List<String> sops = corpus.instances(series.get(0));
        String twoImages = sops.get(0) + "\\" + sops.get(sops.size() - 1);
        try (RetrieveTestServer.StoreScp storescp = storescp("images", "+xa")) {
            Tools.Result r = movescu("-P", "IMAGE", Map.of("PatientID", "PAT000005", "StudyInstanceUID", study,
                    "SeriesInstanceUID", series.get(0), "SOPInstanceUID", twoImages));
            assertThat(r.out() + r.err()).contains("Received Final Move Response (Success)");
            JsonNode report = oracle.check(storescp.dir, Map.of("SOPInstanceUID", twoImages));
            assertAllArrivedIntact(report);
            assertThat(report.get("received")).hasSize(2);
        }
    }

    @Test
    void anUnknownDestinationIsRefusedWithA801() {
        scp.remoteAes.remove("STORESCP");
        Tools.Result r = movescu("-S", "STUDY", Map.of("StudyInstanceUID", corpus.studies("PAT000002").get(0)));
        assertThat(r.out() + r.err()).contains("Received Final Move Response (Refused: MoveDestinationUnknown)");
    }
}
