package org.mosaicpacs.itests.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

/**
 * Orthanc (Debian's, started by this class on free ports) as a peer of the distribution, both
 * ways: with Mosaic configured as one of its modalities, Orthanc queries Mosaic (C-FIND, also by a
 * Korean name) and retrieves a study from it (C-MOVE to Orthanc); and Mosaic's shell commands
 * query Orthanc and move a study out of it into Mosaic.
 */
@ExtendWith(SharedMosaicServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrthancPeerIT {

    private static final String ORTHANC_AET = "ORTHANCIT";
    private static final Pattern STUDY_UID = Pattern.compile("\"StudyInstanceUID\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SOP_UID = Pattern.compile("\"SOPInstanceUID\"\\s*:\\s*\"([^\"]+)\"");

    private MosaicServer server;
    private QrCorpus.Peer orthanc;
    private int httpPort;
    // HTTP/1.1: Orthanc's server closes the connection on the h2c upgrade Java proposes by default
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start(MosaicServer server) throws Exception {
        this.server = server;
        QrCorpus.storeInto(server);
        Path dir = Path.of("target", "orthanc-peer-it").toAbsolutePath();
        QrCorpus.deleteTree(dir);
        Files.createDirectories(dir.resolve("db"));
        Files.createDirectories(dir.resolve("tmp"));
        httpPort = Ports.free();
        int dicomPort = Ports.free();
        Files.writeString(dir.resolve("orthanc.json"), String.join("\n",
                "{",
                "  \"Name\" : \"MosaicPeerIT\",",
                "  \"StorageDirectory\" : \"" + dir.resolve("db") + "\",",
                "  \"IndexDirectory\" : \"" + dir.resolve("db") + "\",",
                "  \"TemporaryDirectory\" : \"" + dir.resolve("tmp") + "\",",
                "  \"StorageCompression\" : false,",
                "  \"HttpServerEnabled\" : true, \"HttpPort\" : " + httpPort + ",",
                "  \"RemoteAccessAllowed\" : false, \"AuthenticationEnabled\" : false, \"SslEnabled\" : false,",
                "  \"DicomServerEnabled\" : true, \"DicomAet\" : \"" + ORTHANC_AET + "\", \"DicomPort\" : " + dicomPort + ",",
                "  \"DicomCheckCalledAet\" : false,",
                "  \"DicomAlwaysAllowEcho\" : true, \"DicomAlwaysAllowStore\" : true, \"DicomAlwaysAllowFind\" : true,",
                "  \"DicomAlwaysAllowGet\" : true, \"DicomAlwaysAllowMove\" : true,",
                "  \"DicomModalities\" : { \"MOSAIC\" : [ \"MOSAIC\", \"127.0.0.1\", " + server.dicomPort() + " ] },",
                // Orthanc encodes its queries in this character set: UTF-8 so that a Korean name can be asked for
                "  \"DefaultEncoding\" : \"Utf8\",",
                "  \"UnknownSopClassAccepted\" : true, \"SaveJobs\" : false, \"LimitFindResults\" : 0",
                "}", ""));
        orthanc = QrCorpus.Peer.start(dir.resolve("orthanc.log"), httpPort, List.of(Tools.require("Orthanc").toString(),
                "--logdir=" + dir.resolve("tmp"), dir.resolve("orthanc.json").toString()));
        server.shell("mosaic:ae-add " + ORTHANC_AET + " 127.0.0.1 " + dicomPort);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (server != null) {
            server.shell("mosaic:ae-remove " + ORTHANC_AET);
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }

    private String post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return r.body();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** Orthanc's C-FIND to Mosaic through its REST API: the answers, expanded, as JSON text. */
    private String orthancQuery(String queryJson) throws Exception {
        String created = post("/modalities/MOSAIC/query", "{\"Level\" : \"Study\", \"Query\" : " + queryJson + "}");
        Matcher id = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        assertThat(id.find()).as(created).isTrue();
        return get("/queries/" + id.group(1) + "/answers?expand&simplify");
    }

    @Test
    void orthancQueriesMosaic() throws Exception {
        String answers = orthancQuery("{\"PatientID\" : \"QRT000002\", \"StudyDate\" : \"\", \"StudyInstanceUID\" : \"\"}");
        assertThat(all(STUDY_UID, answers)).containsExactlyInAnyOrder(
                QueryRetrieveIT.study("QRT000002", "CR"), QueryRetrieveIT.study("QRT000002", "US"));

        String korean = koreanInitial();
        String byName = orthancQuery("{\"PatientID\" : \"QRT*\", \"PatientName\" : \"" + korean + "\", "
                + "\"StudyInstanceUID\" : \"\"}");
        assertThat(all(STUDY_UID, byName)).containsExactlyInAnyOrder(QueryRetrieveIT.study("QRT000003", "CT"),
                QueryRetrieveIT.study("QRT000003", "MR"));
        // Orthanc's JSON escapes non-ASCII characters
        assertThat(byName).containsIgnoringCase(String.format("\\u%04x", (int) korean.charAt(0)));
    }

    @Test
    void orthancRetrievesAStudyFromMosaic() throws Exception {
        String study = QueryRetrieveIT.study("QRT000005", "CT");
        post("/modalities/MOSAIC/move", "{\"Level\" : \"Study\", \"Resources\" : [ { \"StudyInstanceUID\" : \""
                + study + "\" } ], \"TargetAet\" : \"" + ORTHANC_AET + "\"}");
        String lookup = post("/tools/lookup", study);
        Matcher id = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]+)\"").matcher(lookup);
        assertThat(id.find()).as("Orthanc has the study: " + lookup).isTrue();
        Set<String> received = all(SOP_UID, get("/studies/" + id.group(1) + "/instances"));
        assertThat(received).isEqualTo(instancesOf(study));
    }

    @Test
    void mosaicFindsAndMovesAStudyOutOfOrthanc() throws Exception {
        Path corpus = TestData.corpus("orthanc-peer", "--patients", "1", "--studies-per-patient", "1",
                "--instances-per-series", "2", "--id-prefix", "ORT", "--seed", "12");
        List<Path> files = TestData.dicomFilesUnder(corpus.resolve("native"));
        for (Path f : files) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/instances"))
                    .POST(HttpRequest.BodyPublishers.ofFile(f)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        String table = server.shell("mosaic:find " + ORTHANC_AET + " PatientID=ORT000001 StudyInstanceUID");
        assertThat(table).contains("ORT000001").contains("1 match from " + ORTHANC_AET);
        Matcher uid = Pattern.compile("(1\\.2\\.826\\.[0-9.]+)").matcher(table.substring(table.indexOf("ORT000001")));
        assertThat(uid.find()).isTrue();
        String moved = server.shell("mosaic:move " + ORTHANC_AET + " StudyInstanceUID=" + uid.group(1));
        assertThat(moved).contains(files.size() + " completed, 0 failed").contains("to MOSAIC: 0x0000 (success)");
        String here = server.shell("mosaic:find --aet MOSAIC 127.0.0.1:" + server.dicomPort()
                + " PatientID=ORT000001 NumberOfStudyRelatedInstances");
        assertThat(here).contains("1 match").containsPattern("ORT000001\\s*\\|\\s*" + files.size() + "\\s");
    }

    private static Set<String> all(Pattern p, String json) {
        Set<String> found = new TreeSet<>();
        Matcher m = p.matcher(json);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The SOP Instance UIDs of a study in the corpus (native files and transcoded copies). */
    private static Set<String> instancesOf(String study) throws IOException {
        Set<String> sops = new TreeSet<>();
        for (Path f : QrCorpus.files()) {
            Tools.Result r = Tools.run(Duration.ofSeconds(30), List.of(Tools.require("dcmdump").toString(), "-q",
                    "+P", "StudyInstanceUID", "+P", "SOPInstanceUID", f.toString()));
            if (r.out().contains("[" + study + "]")) {
                Matcher m = Pattern.compile("\\(0008,0018\\) UI \\[([^\\]]+)]").matcher(r.out());
                if (m.find()) {
                    sops.add(m.group(1));
                }
            }
        }
        return sops;
    }

    /** The first Hangul letter of the Korean patient's name, with "*". */
    private static String koreanInitial() throws IOException {
        List<String> lines = Files.readAllLines(QrCorpus.dir().resolve("manifest.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            if (c[header.indexOf("patient_id")].equals("QRT000003")) {
                return c[header.indexOf("patient_name")].split("=")[2].substring(0, 1) + "*";
            }
        }
        throw new IllegalStateException("no QRT000003 in the corpus");
    }
}
