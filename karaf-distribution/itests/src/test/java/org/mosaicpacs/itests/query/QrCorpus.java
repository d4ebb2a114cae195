package org.mosaicpacs.itests.query;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * The Query/Retrieve tests' own corpus (make-corpus.py with patient IDs QRT000001..6: every
 * modality, six character sets, every transfer syntax), stored into a running distribution once
 * per JVM with {@code mosaic:store}; its own IDs and UIDs keep the expected answers independent of
 * what other tests store in the shared server. Also the pydicom oracles of the query and retrieve
 * bundles, and DCMTK peers started per test.
 */
final class QrCorpus {

    private static final Set<Path> STORED = new HashSet<>();

    private QrCorpus() {
    }

    /** The corpus folder, generated on first use. */
    static Path dir() {
        return TestData.corpus("qr-itest", "--patients", "6", "--studies-per-patient", "2", "--instances-per-series", "2",
                "--syntaxes", "--id-prefix", "QRT", "--seed", "11");
    }

    static List<Path> files() {
        return TestData.dicomFilesUnder(dir());
    }

    /** Stores the corpus into the server with the mosaic:store command (once per server) and returns the output. */
    static synchronized String storeInto(MosaicServer server) {
        if (!STORED.add(server.home())) {
            return "already stored";
        }
        String out = server.shell("mosaic:store --aet MOSAIC 127.0.0.1:" + server.dicomPort() + " " + dir());
        int n = files().size();
        if (!out.contains(n + " of " + n + " files")) {
            STORED.remove(server.home());
            throw new AssertionError("mosaic:store did not store the corpus:\n" + out);
        }
        return out;
    }

    /** The file listing the corpus, for the oracles. */
    static Path corpusList(Path work) throws IOException {
        Files.createDirectories(work);
        Path list = work.resolve("corpus.txt");
        Files.write(list, files().stream().map(Path::toString).toList());
        return list;
    }

    /** Runs the C-FIND oracle of bundles/service-query (pydicom). */
    static Tools.Result findOracle(String mode, Path spec, Path corpusList, Path work) {
        Path script = TestEnvironment.repoRoot().resolve("bundles/service-query/src/test/python/cfind_oracle.py");
        return Tools.run(Duration.ofMinutes(3), List.of(Tools.pydicomPython().toString(), script.toString(), mode,
                spec.toString(), corpusList.toString(), work.toString())).assertSuccess();
    }

    /** Runs the retrieve oracle of bundles/service-retrieve (pydicom): one line starting with OK or FAIL. */
    static String retrieveOracle(Path corpusList, Path received, String keysJson) {
        Path script = TestEnvironment.repoRoot().resolve("bundles/service-retrieve/src/test/python/retrieve_oracle.py");
        return Tools.run(Duration.ofMinutes(3), List.of(Tools.pydicomPython().toString(), script.toString(),
                corpusList.toString(), received.toString(), keysJson, "text")).assertSuccess().out().strip();
    }

    /** Copies a test resource of this package into a folder. */
    static Path resource(String name, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        try (InputStream in = QrCorpus.class.getResourceAsStream(name)) {
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A peer process (storescp, Orthanc) run for a test: TCP_NODELAY=1, ready once its port listens, stopped on close. */
    static final class Peer implements AutoCloseable {
        private final Process process;

        private Peer(Process process) {
            this.process = process;
        }

        static Peer start(Path log, int port, List<String> command) throws IOException, InterruptedException {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("TCP_NODELAY", "1");
            Process p = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Ports.listening(port)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException(command.get(0) + " did not listen on " + port + ": "
                            + Files.readString(log));
                }
                Thread.sleep(100);
            }
            return new Peer(p);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
