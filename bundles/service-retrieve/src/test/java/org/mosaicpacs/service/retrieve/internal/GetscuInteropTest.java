package org.mosaicpacs.service.retrieve.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.index.jdbc.internal.TestIndex;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * DCMTK's getscu against the C-GET SCP: the C-STORE sub-operations come back on getscu's own
 * association over the storage contexts it proposed with the SCP role, and pydicom checks that
 * exactly the named instances arrived, each with its data set intact (converted where getscu did
 * not accept the stored syntax).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GetscuInteropTest {

    private RetrieveTestServer scp;
    private RetrieveOracle oracle;
    private CorpusFiles corpus;
    private Path work;

    @BeforeAll
    void start() throws Exception {
        Path mixed = TestData.mixedCorpus();
        corpus = new CorpusFiles(mixed);
        TestIndex.Loaded loaded = TestIndex.create("get", TestData.dicomFilesUnder(mixed), Map.of());
        scp = new RetrieveTestServer(loaded.index());
        work = Path.of("target", "getscu").toAbsolutePath();
        RetrieveTestServer.deleteTree(work);
        oracle = RetrieveOracle.of(loaded.files(), work);
    }

    @AfterAll
    void stop() {
        scp.close();
    }

    private Tools.Result getscu(Path out, String model, String level, Map<String, String> keys, String... options)
            throws Exception {
        Files.createDirectories(out);
        List<String> cmd = new ArrayList<>(List.of(Tools.require("getscu").toString(), "-v", model, "-aet", "GETSCU",
                "-aec", "MOSAIC", "-od", out.toString(), "-k", "QueryRetrieveLevel=" + level));
        cmd.addAll(List.of(options));
        keys.forEach((k, v) -> cmd.addAll(List.of("-k", k + "=" + v)));
        cmd.addAll(List.of("127.0.0.1", Integer.toString(scp.port())));
        return Tools.run(Duration.ofMinutes(2), cmd);
    }

    @Test
    void studyComesBackOnTheSameAssociation() throws Exception {
        String study = corpus.studies("PAT000005").get(0);
        Path out = work.resolve("study");
        Tools.Result r = getscu(out, "-S", "STUDY", Map.of("StudyInstanceUID", study));
        assertThat(r.out() + r.err()).contains("Received C-GET Response (Success)");
        JsonNode report = oracle.check(out, Map.of("StudyInstanceUID", study));
        assertThat(report.get("expected").size()).isGreaterThan(3);
        assertThat(report.get("missing")).as(report.toString()).isEmpty();
        assertThat(report.get("unexpected")).isEmpty();
        assertThat(report.get("mismatched")).as(report.toString()).isEmpty();
    }

    @Test
    void everyStoredSyntaxIsConvertedToWhatGetscuAccepts() throws Exception {
        String study = corpus.studies("PAT000001").get(0);
        scp.transcoder = new GdcmTranscoder();
        try {
            Path out = work.resolve("converted");
            Tools.Result r = getscu(out, "-P", "STUDY", Map.of("PatientID", "PAT000001", "StudyInstanceUID", study));
            assertThat(r.out() + r.err()).contains("Received C-GET Response (Success)");
            JsonNode report = oracle.check(out, Map.of("StudyInstanceUID", study));
            assertThat(report.get("expected").size()).isGreaterThan(30);
            assertThat(report.get("missing")).as(report.toString()).isEmpty();
            assertThat(report.get("mismatched")).as(report.toString()).isEmpty();
        } finally {
            scp.transcoder = null;
        }
    }
}
