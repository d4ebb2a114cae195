package org.mosaicpacs.service.query.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.index.jdbc.internal.TestIndex;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * On demand ({@code mvn -pl bundles/service-query test -Pbench}, see PERFORMANCE.md): STUDY-level
 * C-FIND latency with 10,000 and 100,000 studies indexed, Mosaic (this SCP on index-jdbc with
 * embedded Derby) beside Orthanc holding the same files, measured by the same client
 * (src/bench/cfind_bench.py, the raw-socket association of shared/bench/dimse-mini.py).
 * {@code -Dmosaic.bench.studies=10000} picks the sizes, {@code -Dmosaic.bench.queries=300} the
 * measured queries per kind (default 100), {@code -Dmosaic.bench.orthanc=false} leaves Orthanc out.
 */
@EnabledIfSystemProperty(named = "mosaic.bench", matches = "true")
class QueryBenchmark {

    private static final int QUERIES = Integer.getInteger("mosaic.bench.queries", 100);

    @Test
    void studyLevelFindBesideOrthanc() throws Exception {
        for (String size : System.getProperty("mosaic.bench.studies", "10000,100000").split(",")) {
            int studies = Integer.parseInt(size.strip());
            Path corpus = corpus(studies);
            List<Path> files = TestData.dicomFilesUnder(corpus.resolve("native"));
            long t0 = System.nanoTime();
            TestIndex.Loaded loaded = TestIndex.create("bench-" + studies, files, Map.of("maxMatches", 0));
            System.out.printf("indexed %d files (%d studies) in %.0f s%n", loaded.files().size(), studies,
                    (System.nanoTime() - t0) / 1e9);
            DimseHandler scp = new FindScp(loaded.index(), new QuerySettings(0, false, true));
            try (DicomServer server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1")
                    .port(0).build(), DimseHandlerRegistry.of(Map.of(UID.StudyRootQueryRetrieveInformationModelFind, scp)))) {
                server.start();
                client("mosaic-" + studies, server.port(), "MOSAIC", 20); // warm-up: JIT, Derby's caches
                client("mosaic-" + studies, server.port(), "MOSAIC", QUERIES);
            }
            if (!"false".equals(System.getProperty("mosaic.bench.orthanc"))) {
                orthanc(studies, corpus);
            }
        }
    }

    /**
     * The tiny profile of make-corpus.py with one 64x64 instance per study, made once into
     * target/test-work (100,000 studies take about 25 minutes and 1 GB, beyond the 10 minutes
     * TestData allows a corpus).
     */
    private static Path corpus(int studies) throws Exception {
        Path dir = TestEnvironment.sharedWorkDir("corpus-bench-tiny-" + studies);
        Path done = dir.resolve(".complete");
        if (!Files.exists(done)) {
            List<String> args = List.of("--profile", "tiny", "--patients", Integer.toString(studies / 2),
                    "--studies-per-patient", "2", "--series-per-study", "1", "--instances-per-series", "1",
                    "--id-prefix", "QB", "--seed", "7");
            List<String> cmd = new ArrayList<>(List.of(Tools.pydicomPython().toString(),
                    TestEnvironment.repoRoot().resolve("testing/python/make-corpus.py").toString(), "--out", dir.toString(),
                    "--force", "--quiet"));
            cmd.addAll(args);
            Tools.run(Duration.ofMinutes(120), cmd).assertSuccess();
            Files.writeString(done, String.join(" ", args));
        }
        return dir;
    }

    private static void client(String label, int port, String aet, int n) {
        Path script = TestEnvironment.repoRoot().resolve("bundles/service-query/src/bench/cfind_bench.py");
        Tools.Result r = Tools.run(Duration.ofMinutes(20), List.of(Tools.pydicomPython().toString(), script.toString(),
                "--port", Integer.toString(port), "--aet", aet, "--n", Integer.toString(n), "--label", label));
        System.out.print(r.out());
        System.err.print(r.err());
    }

    /** Orthanc with a fresh database holding the same files, stored with storescu, then the same client. */
    private static void orthanc(int studies, Path corpus) throws Exception {
        Path dir = Path.of("target", "bench-orthanc").toAbsolutePath();
        FindscuInteropTest.deleteTree(dir);
        Files.createDirectories(dir.resolve("db"));
        int http = Ports.free();
        int dicom = Ports.free();
        Files.writeString(dir.resolve("orthanc.json"), "{ \"Name\" : \"bench\", \"StorageDirectory\" : \"" + dir.resolve("db")
                + "\", \"IndexDirectory\" : \"" + dir.resolve("db") + "\", \"StorageCompression\" : false, \"HttpPort\" : "
                + http + ", \"RemoteAccessAllowed\" : false, \"AuthenticationEnabled\" : false, \"DicomAet\" : \"ORTHANC\", "
                + "\"DicomPort\" : " + dicom + ", \"DicomCheckCalledAet\" : false, \"DicomAlwaysAllowStore\" : true, "
                + "\"DicomAlwaysAllowFind\" : true, \"LimitFindResults\" : 0, \"LimitFindInstances\" : 0, \"SaveJobs\" : false }\n");
        ProcessBuilder pb = new ProcessBuilder(Tools.require("Orthanc").toString(), "--logdir=" + dir,
                dir.resolve("orthanc.json").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().put("TCP_NODELAY", "1"); // Orthanc's DCMTK keeps Nagle on otherwise (shared/bench/PEERS.md)
        Process orthanc = pb.start();
        try {
            Thread.sleep(3000);
            long t0 = System.nanoTime();
            List<String> store = new ArrayList<>(List.of(Tools.require("storescu").toString(), "-R", "+sd", "+r", "-aec",
                    "ORTHANC", "127.0.0.1", Integer.toString(dicom), corpus.resolve("native").toString()));
            Tools.run(Duration.ofMinutes(60), store).assertSuccess();
            System.out.printf("orthanc stored %d studies in %.0f s%n", studies, (System.nanoTime() - t0) / 1e9);
            client("orthanc-" + studies, dicom, "ORTHANC", 20);
            client("orthanc-" + studies, dicom, "ORTHANC", QUERIES);
        } finally {
            orthanc.destroy();
            orthanc.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
