package org.mosaicpacs.itests.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.Tools;

/**
 * Query/Retrieve of the real distribution driven by DCMTK, judged by pydicom: the test corpus is
 * stored with {@code mosaic:store}; findscu (Patient and Study Root, every level, wild cards,
 * ranges, Korean names in UTF-8 and ISO 2022 IR 149) gets exactly the matches and values the
 * oracle computes; movescu sends studies to a DCMTK storescp (compressed objects decompressed by
 * the transcoder when storescp takes only uncompressed syntaxes); getscu gets them on its own
 * association; malformed identifiers are refused with a status, never a dropped association.
 */
@ExtendWith(SharedMosaicServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryRetrieveIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);

    private MosaicServer server;
    private Path work;
    private Path corpusList;

    @BeforeAll
    void storeTheCorpus(MosaicServer server) throws IOException {
        this.server = server;
        work = Path.of("target", "query-retrieve-it").toAbsolutePath();
        QrCorpus.deleteTree(work);
        System.out.println(QrCorpus.storeInto(server));
        corpusList = QrCorpus.corpusList(work);
    }

    private List<String> dcmtk(String tool, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require(tool).toString(), "-v"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private String peer() {
        return Integer.toString(server.dicomPort());
    }

    @Test
    void findscuGetsWhatPydicomExpects() throws Exception {
        Path dir = work.resolve("find");
        Path spec = QrCorpus.resource("qr-queries.json", dir);
        QrCorpus.findOracle("write-queries", spec, corpusList, dir);
        for (Map.Entry<String, String> query : queryModels(spec).entrySet()) {
            String name = query.getKey();
            String model = query.getValue().equals("P") ? "-P" : "-S";
            Tools.Result r = Tools.run(TOOL_TIMEOUT, dcmtk("findscu", model, "-aet", "FINDSCU", "-aec", "MOSAIC", "-X",
                    "127.0.0.1", peer(), "query.dcm"), dir.resolve(name), Map.of());
            assertThat(r.out() + r.err()).as(name).contains("Received Final Find Response (Success)");
        }
        String report = QrCorpus.findOracle("check-text", spec, corpusList, dir).out();
        System.out.print(report);
        assertThat(report.lines()).isNotEmpty().allMatch(l -> l.startsWith("OK "), "every query answered as pydicom says");
        assertThat(report.lines().filter(l -> !l.matches("OK \\S+ 0 0 ?"))).hasSizeGreaterThan(10);
    }

    @Test
    void movescuToStorescpAsStoredAndConverted() throws Exception {
        String study = ctStudyWithEverySyntax();
        String keys = "{\"StudyInstanceUID\": \"" + study + "\"}";
        for (String mode : List.of("uncompressed-only", "every-syntax")) {
            Path received = work.resolve("moved-" + mode);
            Files.createDirectories(received);
            int port = Ports.free();
            List<String> storescp = new ArrayList<>(List.of(Tools.require("storescp").toString(), "-aet", "QRSTORE",
                    "-od", received.toString()));
            if (mode.equals("every-syntax")) {
                storescp.add("+xa");
            }
            storescp.add(Integer.toString(port));
            try (QrCorpus.Peer scp = QrCorpus.Peer.start(work.resolve("storescp-" + mode + ".log"), port, storescp)) {
                server.shell("mosaic:ae-add QRSTORE 127.0.0.1 " + port);
                Tools.Result r = Tools.run(TOOL_TIMEOUT, dcmtk("movescu", "-S", "-aet", "MOVESCU", "-aec", "MOSAIC",
                        "-aem", "QRSTORE", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study,
                        "127.0.0.1", peer()));
                assertThat(r.out() + r.err()).as(mode).contains("Received Final Move Response (Success)");
            } finally {
                server.shell("mosaic:ae-remove QRSTORE");
            }
            String verdict = QrCorpus.retrieveOracle(corpusList, received, keys);
            System.out.println(mode + ": " + verdict);
            assertThat(verdict).startsWith("OK");
        }
    }

    @Test
    void getscuGetsAStudyOnItsOwnAssociation() throws Exception {
        String study = study("QRT000003", "CT");
        Path received = Files.createDirectories(work.resolve("get"));
        Tools.Result r = Tools.run(TOOL_TIMEOUT, dcmtk("getscu", "-P", "-aet", "GETSCU", "-aec", "MOSAIC", "-od",
                received.toString(), "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=QRT000003",
                "-k", "StudyInstanceUID=" + study, "127.0.0.1", peer()));
        assertThat(r.out() + r.err()).contains("Received C-GET Response (Success)");
        String verdict = QrCorpus.retrieveOracle(corpusList, received, "{\"StudyInstanceUID\": \"" + study + "\"}");
        assertThat(verdict).startsWith("OK");
    }

    @Test
    void malformedRequestsGetAStatusNotADroppedAssociation() throws Exception {
        Tools.Result unknownLevel = Tools.run(TOOL_TIMEOUT, dcmtk("findscu", "-S", "-aec", "MOSAIC",
                "-k", "QueryRetrieveLevel=FRAME", "-k", "PatientID=QRT*", "127.0.0.1", peer()));
        // A900: DCMTK 3.6.7 names it with C-STORE's meaning (Data Set Does Not Match SOP Class)
        assertThat(unknownLevel.out() + unknownLevel.err())
                .contains("Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)")
                .contains("Releasing Association");
        Tools.Result noUniqueKey = Tools.run(TOOL_TIMEOUT, dcmtk("findscu", "-S", "-aec", "MOSAIC",
                "-k", "QueryRetrieveLevel=SERIES", "-k", "Modality=CT", "127.0.0.1", peer()));
        assertThat(noUniqueKey.out() + noUniqueKey.err())
                .contains("Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)")
                .contains("Releasing Association");
        Tools.Result unknownDestination = Tools.run(TOOL_TIMEOUT, dcmtk("movescu", "-S", "-aec", "MOSAIC", "-aem",
                "NOWHERE", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study("QRT000002", "CR"),
                "127.0.0.1", peer()));
        assertThat(unknownDestination.out() + unknownDestination.err())
                .contains("Refused: MoveDestinationUnknown").contains("Releasing Association");
    }

    @Test
    void shellCommandsAgainstTheServerItself() {
        assertThat(server.shell("mosaic:echo --aet MOSAIC 127.0.0.1:" + peer())).contains("success");
        String table = server.shell("mosaic:find --aet MOSAIC 127.0.0.1:" + peer() + " PatientID=QRT000001 StudyDate");
        assertThat(table).contains("QRT000001").contains("2 matches").contains("0x0000 (success)");
    }

    /** The queries of a spec file, in order: name to information model (P or S). */
    private static Map<String, String> queryModels(Path spec) throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"name\": \"([^\"]+)\", \"model\": \"([PS])\"").matcher(Files.readString(spec));
        while (m.find()) {
            queries.put(m.group(1), m.group(2));
        }
        return queries;
    }

    /** The study of a patient holding an instance of this kind, from the corpus manifest. */
    static String study(String patientId, String kind) throws IOException {
        List<String> lines = Files.readAllLines(QrCorpus.dir().resolve("manifest.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            if (c[header.indexOf("patient_id")].equals(patientId) && c[header.indexOf("kind")].equals(kind)) {
                return c[header.indexOf("study_uid")];
            }
        }
        throw new IllegalStateException("no " + kind + " of " + patientId + " in the corpus");
    }

    /** The CT study whose first instance make-corpus transcoded into every syntax. */
    private static String ctStudyWithEverySyntax() throws IOException {
        return study("QRT000001", "CT");
    }
}
