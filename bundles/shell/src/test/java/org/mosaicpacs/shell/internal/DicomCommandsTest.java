package org.mosaicpacs.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

/**
 * The DICOM commands against DCMTK peers, as an admin would run them: mosaic:store fills a
 * dcmqrscp archive, mosaic:find queries it, mosaic:move sends a study from it to a storescp,
 * mosaic:echo checks both; peers named by configured AE title or as host:port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DicomCommandsTest {

    private final List<Process> peers = new ArrayList<>();
    private Path work;
    private Path received;
    private int qrPort;
    private RemoteAeRegistry registry;
    private Path patient;

    @BeforeAll
    void startPeers() throws Exception {
        work = Path.of("target", "dicom-commands").toAbsolutePath();
        deleteTree(work);
        Path db = Files.createDirectories(work.resolve("qr-db"));
        received = Files.createDirectories(work.resolve("received"));
        patient = TestData.mixedCorpus().resolve("native/PAT000001");
        int storePort = Ports.free();
        qrPort = Ports.free();
        Files.writeString(work.resolve("dcmqrscp.cfg"), String.join("\n", "NetworkTCPPort = " + qrPort,
                "MaxPDUSize = 16384", "MaxAssociations = 16",
                "HostTable BEGIN", "storescp = (STORESCP, 127.0.0.1, " + storePort + ")", "HostTable END",
                "VendorTable BEGIN", "VendorTable END",
                "AETable BEGIN", "QRSCP " + db + " RW (200, 1024mb) ANY", "AETable END", ""));
        start(work.resolve("dcmqrscp.log"), qrPort, Tools.require("dcmqrscp").toString(), "-c",
                work.resolve("dcmqrscp.cfg").toString(), Integer.toString(qrPort));
        start(work.resolve("storescp.log"), storePort, Tools.require("storescp").toString(), "-aet", "STORESCP",
                "-od", received.toString(), Integer.toString(storePort));
        RemoteAe qr = new RemoteAe("QRSCP", "127.0.0.1", qrPort, false, "dcmqrscp");
        registry = new RemoteAeRegistry() {
            @Override
            public Optional<RemoteAe> find(String aeTitle) {
                return aeTitle.strip().equals("QRSCP") ? Optional.of(qr) : Optional.empty();
            }

            @Override
            public List<RemoteAe> all() {
                return List.of(qr);
            }
        };
    }

    @AfterAll
    void stopPeers() throws InterruptedException {
        for (Process p : peers) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private <T extends DicomCommandSupport> T command(T c, String peer) {
        c.registry = registry;
        c.peer = peer;
        c.callingAeTitle = "MOSAIC";
        c.timeoutSeconds = 30;
        return c;
    }

    /** Runs a command and returns what it printed. */
    private static String run(DicomCommandSupport command) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return out;
    }

    @Test
    @Order(1)
    void echoByAeTitleAndByHostAndPort() throws Exception {
        assertThat(run(command(new EchoCommand(), "QRSCP"))).contains("C-ECHO to QRSCP (127.0.0.1:" + qrPort + "): success");
        EchoCommand byAddress = command(new EchoCommand(), "127.0.0.1:" + qrPort);
        byAddress.calledAeTitle = "QRSCP";
        assertThat(run(byAddress)).contains("C-ECHO to QRSCP");
    }

    @Test
    @Order(2)
    void storeSendsAFolderWithProgress() throws Exception {
        StoreCommand store = command(new StoreCommand(), "QRSCP");
        store.paths = List.of(patient.toString());
        int files = TestData.dicomFilesUnder(patient).size();
        String out = run(store);
        assertThat(out).contains("[##############################] " + files + "/" + files)
                .contains(files + " of " + files + " files").contains("0 failed");
    }

    @Test
    @Order(3)
    void findPrintsTheMatchesAsATable() throws Exception {
        FindCommand find = command(new FindCommand(), "QRSCP");
        find.keys = List.of("PatientID=PAT000001", "StudyDate");
        String out = run(find);
        assertThat(out).contains("PatientID").contains("StudyDate").contains("TORRES^SANDRA").contains("20160427")
                .contains("20231105").contains("2 matches from QRSCP").contains("0x0000 (success)");
    }

    @Test
    @Order(4)
    void moveSendsAStudyToTheDestination() throws Exception {
        FindCommand find = command(new FindCommand(), "QRSCP");
        find.keys = List.of("PatientID=PAT000001", "StudyDate=20160427", "StudyInstanceUID");
        String table = run(find);
        String study = table.lines().filter(l -> l.contains("20160427")).findFirst().orElseThrow()
                .replaceAll(".*(1\\.2\\.826\\.\\S+).*", "$1");
        MoveCommand move = command(new MoveCommand(), "QRSCP");
        move.destination = "STORESCP";
        move.keys = List.of("StudyInstanceUID=" + study);
        String out = run(move);
        assertThat(out).contains("C-MOVE from QRSCP").contains("to STORESCP: 0x0000 (success)");
        try (Stream<Path> files = Files.list(received)) {
            assertThat(files.count()).isEqualTo(TestData.dicomFilesUnder(patient.resolve("ST01")).size());
        }
    }

    @Test
    void unknownAndUnreachablePeersAreErrorsWithTheReason() throws Exception {
        assertThatThrownBy(() -> run(command(new EchoCommand(), "NOSUCHAE")))
                .hasMessage("'NOSUCHAE' is neither a configured remote AE (see mosaic:ae-list) nor host:port");
        int closed = Ports.free();
        assertThatThrownBy(() -> run(command(new EchoCommand(), "127.0.0.1:" + closed)))
                .hasMessageStartingWith("cannot open an association to ANY-SCP (127.0.0.1:" + closed + ")");
        FindCommand badKey = command(new FindCommand(), "QRSCP");
        badKey.keys = List.of("PatientNam=X");
        assertThatThrownBy(() -> run(badKey)).hasMessage("'PatientNam' is not a DICOM keyword or (gggg,eeee) tag");
    }

    private void start(Path log, int port, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        peers.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!Ports.listening(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(command[0] + " did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
