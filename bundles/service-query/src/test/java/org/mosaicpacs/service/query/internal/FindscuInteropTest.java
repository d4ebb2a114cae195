package org.mosaicpacs.service.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.index.jdbc.internal.TestIndex;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * DCMTK's findscu against the C-FIND SCP on the real index holding the mixed corpus (every
 * modality, six character sets, every transfer syntax), judged by pydicom: the oracle
 * (src/test/python/cfind_oracle.py) builds the entities from the same files with pydicom, matches
 * each query of find-queries.json itself, and compares the expected matches and values with the
 * responses findscu extracted. Patient Root and Study Root at every level; single values, UID
 * lists, wild cards, date and time ranges (open too), sequence matching, derived keys, and names
 * in UTF-8, ISO 2022 IR 149 (Korean), Latin-1 and Cyrillic, queried and answered in the
 * requestor's character set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FindscuInteropTest {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    private DicomServer server;
    private Path work;
    private Path spec;
    private Path corpusList;
    private List<String> names;
    private final List<Tools.Result> runs = new ArrayList<>();
    private JsonNode report;

    @BeforeAll
    void queryTheCorpus() throws Exception {
        Path findscu = Tools.require("findscu");
        Path python = Tools.pydicomPython();
        TestIndex.Loaded loaded = TestIndex.create("findscu", TestData.dicomFilesUnder(TestData.mixedCorpus()), Map.of());
        DimseHandler scp = new FindScp(loaded.index(), new QuerySettings(0, false, true));
        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.PatientRootQueryRetrieveInformationModelFind, scp,
                        UID.StudyRootQueryRetrieveInformationModelFind, scp)));
        server.start();

        work = Path.of("target", "findscu").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        spec = work.resolve("find-queries.json");
        try (InputStream in = getClass().getResourceAsStream("find-queries.json")) {
            Files.copy(in, spec);
        }
        corpusList = work.resolve("corpus.txt");
        Files.write(corpusList, loaded.files().stream().map(Path::toString).toList());
        oracle(python, "write-queries").assertSuccess();
        names = new ArrayList<>();
        for (JsonNode q : new ObjectMapper().readTree(spec.toFile())) {
            String name = q.get("name").asText();
            names.add(name);
            Path dir = work.resolve(name);
            runs.add(Tools.run(TOOL_TIMEOUT, List.of(findscu.toString(), "-v", q.get("model").asText().equals("P") ? "-P" : "-S",
                    "-aet", "FINDSCU", "-aec", "MOSAIC", "-X", "127.0.0.1", Integer.toString(server.port()), "query.dcm"),
                    dir, Map.of()));
        }
        Tools.Result check = oracle(python, "check").assertSuccess();
        report = new ObjectMapper().readTree(check.stdout());
    }

    private Tools.Result oracle(Path python, String mode) {
        Path script = TestEnvironment.repoRoot().resolve("bundles/service-query/src/test/python/cfind_oracle.py");
        return Tools.run(Duration.ofMinutes(2), List.of(python.toString(), script.toString(), mode, spec.toString(),
                corpusList.toString(), work.toString()));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyQueryAnswersWhatPydicomExpects() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Tools.Result run = runs.get(i);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String out = run.out() + run.err();
                assertThat(run.exitCode()).as(out).isZero();
                assertThat(out).contains("Received Final Find Response (Success)");
                JsonNode r = report.get(name);
                assertThat(r.get("problems")).as(name + ": " + r).isEmpty();
                assertThat(r.get("actual").asInt()).isEqualTo(r.get("expected").asInt());
                System.out.printf("%-32s %3d matches%n", name, r.get("actual").asInt());
            }));
        }
        // a query that matches nothing proves nothing: most of them must match something
        long matching = names.stream().filter(n -> report.get(n).get("expected").asInt() > 0).count();
        assertThat(matching).isGreaterThanOrEqualTo(names.size() - 1);
        return tests.stream();
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

}
