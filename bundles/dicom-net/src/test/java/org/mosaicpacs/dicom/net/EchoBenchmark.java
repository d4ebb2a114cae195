package org.mosaicpacs.dicom.net;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * On-demand benchmark ({@code mvn -pl bundles/dicom-net test -Pbench}): associations per second
 * and C-ECHOs per second on one association, for our acceptor and for DCMTK's storescp measured
 * in the same run, on loopback, with two clients: {@code shared/bench/dimse-mini.py} (an
 * independent raw-socket client, see shared/bench/README.md) and our own {@link DicomClient}.
 * Prints a table; asserts nothing about speed.
 */
@EnabledIfSystemProperty(named = "mosaic.bench", matches = "true")
class EchoBenchmark {

    private static final int ROUNDS = 3;
    private static final Pattern OPS = Pattern.compile("ops_per_s=([0-9.]+)");

    @Test
    void echoRates() throws Exception {
        Path dimseMini = TestEnvironment.repoRoot().getParent().resolve("shared/bench/dimse-mini.py");
        Path python = Tools.pydicomPython();
        Map<String, List<Double>> results = new LinkedHashMap<>();
        try (DicomServer mosaic = TestHandlers.start(TestHandlers.options().maxAssociations(500).build(),
                Map.of(UID.Verification, TestHandlers.ECHO));
             DicomClient client = DicomClient.builder().build()) {
            int storescpPort = Ports.free();
            int storescpForkPort = Ports.free();
            Path work = Files.createDirectories(Path.of("target", "bench").toAbsolutePath());
            try (ExternalProcess storescp = ExternalProcess.start(List.of(Tools.require("storescp").toString(),
                    "-aet", "STORESCP", "--ignore", Integer.toString(storescpPort)), work.resolve("storescp"), storescpPort);
                 ExternalProcess storescpFork = ExternalProcess.start(List.of(Tools.require("storescp").toString(), "--fork",
                         "-aet", "STORESCP", "--ignore", Integer.toString(storescpForkPort)), work.resolve("storescp-fork"),
                         storescpForkPort)) {
                Map<String, Integer> targets = new LinkedHashMap<>();
                targets.put("mosaic", mosaic.port());
                targets.put("storescp", storescpPort);
                targets.put("storescp --fork", storescpForkPort);
                for (int round = 0; round < ROUNDS; round++) {
                    for (Map.Entry<String, Integer> t : targets.entrySet()) {
                        String aet = t.getKey().equals("mosaic") ? "MOSAIC" : "STORESCP";
                        record(results, t.getKey() + " | dimse-mini.py | associations/s",
                                dimseMini(python, dimseMini, t.getValue(), aet, 500, 1));
                        record(results, t.getKey() + " | dimse-mini.py | C-ECHO/s on one association",
                                dimseMini(python, dimseMini, t.getValue(), aet, 1, 5000));
                        record(results, t.getKey() + " | DicomClient | associations/s",
                                javaAssociations(client, t.getValue(), aet, 1000));
                        record(results, t.getKey() + " | DicomClient | C-ECHO/s on one association",
                                javaEchoes(client, t.getValue(), aet, 20_000));
                    }
                }
            }
        }
        System.out.println();
        System.out.println("| target | client | measure | median | min-max |");
        System.out.println("|---|---|---|---|---|");
        for (Map.Entry<String, List<Double>> e : results.entrySet()) {
            List<Double> v = new ArrayList<>(e.getValue());
            v.sort(null);
            System.out.printf("| %s | %.0f | %.0f-%.0f |%n", e.getKey(), v.get(v.size() / 2), v.get(0), v.get(v.size() - 1));
        }
    }

    private static void record(Map<String, List<Double>> results, String key, double value) {
        results.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static double dimseMini(Path python, Path script, int port, String aet, int n, int opsPerAssociation) {
        Tools.Result r = Tools.run(Duration.ofMinutes(5), List.of(python.toString(), script.toString(), "echo",
                "--port", Integer.toString(port), "--aet", aet, "--n", Integer.toString(n),
                "--ops-per-assoc", Integer.toString(opsPerAssociation))).assertSuccess();
        Matcher m = OPS.matcher(r.out());
        if (!m.find()) {
            throw new AssertionError("no ops_per_s in " + r.out());
        }
        // with one echo per association, operations per second are associations per second
        return Double.parseDouble(m.group(1));
    }

    private static double javaAssociations(DicomClient client, int port, String aet, int n) throws Exception {
        AAssociateRq rq = AAssociateRq.builder(aet, "BENCHSCU").presentationContext(UID.Verification).build();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (Association as = client.connect("127.0.0.1", port, rq)) {
                as.echo();
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double javaEchoes(DicomClient client, int port, String aet, int n) throws Exception {
        AAssociateRq rq = AAssociateRq.builder(aet, "BENCHSCU").presentationContext(UID.Verification).build();
        try (Association as = client.connect("127.0.0.1", port, rq)) {
            for (int i = 0; i < 500; i++) {
                as.echo();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                as.echo();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
