package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.TestData;

/**
 * Durability: the Karaf JVM is killed with SIGKILL three times while four storescu processes send
 * 2,000 instances in parallel. After every restart, every instance that got a success status is
 * present, readable and identical to what was sent; no index row points at a missing or altered
 * object; no partial file is visible. A last pass sends everything again and must leave the
 * archive complete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestCrashIT {

    private static final int SENDERS = 4;
    private MosaicServer server;

    @BeforeAll
    void start() {
        server = MosaicServer.unpack(Path.of("target/crash-server").toAbsolutePath(), false);
        server.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void acknowledgedInstancesSurviveSigkill() throws Exception {
        Path corpus = TestData.corpus("tiny-crash", "--profile", "tiny", "--patients", "100", "--studies-per-patient", "2",
                "--instances-per-series", "10", "--seed", "7");
        List<Path> files = TestData.dicomFilesUnder(corpus.resolve("native"));
        assertThat(files).hasSize(2000);
        Set<Path> acknowledged = new HashSet<>();
        Path objects = StoredObjects.objectsRoot(server.home());
        // Each round is killed once this share of the files got a response: by progress, not by
        // time, so a fast machine cannot finish the round before the kill.
        double[] killAtShare = {0.2, 0.5, 0.35};
        for (int round = 0; round < killAtShare.length; round++) {
            List<Process> senders = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Path log = Files.createTempFile("storescu-crash-", ".log");
                logs.add(log);
                senders.add(StoreScu.start(server.dicomPort(), "MOSAIC", share(files, s, round), log));
            }
            awaitResponses(logs, (long) (killAtShare[round] * files.size()));
            server.kill();
            int roundAcks = 0;
            for (int s = 0; s < SENDERS; s++) {
                StoreScu.Outcome outcome = StoreScu.finish(senders.get(s), logs.get(s), Duration.ofMinutes(2));
                roundAcks += outcome.succeeded().size();
                acknowledged.addAll(outcome.succeeded());
            }
            assertThat(roundAcks).as("round %d: some instances were acknowledged before the kill", round).isPositive();
            assertThat(roundAcks).as("round %d: the kill came before the end of the ingest", round).isLessThan(files.size());

            server.start();
            assertConsistent(objects, acknowledged);
        }

        // Send everything once more: duplicates are ignored, the missing ones arrive.
        List<Process> senders = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            Path log = Files.createTempFile("storescu-final-", ".log");
            logs.add(log);
            senders.add(StoreScu.start(server.dicomPort(), "MOSAIC", share(files, s, 0), log));
        }
        for (int s = 0; s < SENDERS; s++) {
            StoreScu.Outcome outcome = StoreScu.finish(senders.get(s), logs.get(s), Duration.ofMinutes(5));
            assertThat(outcome.succeeded()).as("final pass of sender %d", s).hasSize(share(files, s, 0).size());
        }
        assertConsistent(objects, new HashSet<>(files));
        assertThat(server.shell("mosaic:archive-verify")).contains("2000 instances");
    }

    private void assertConsistent(Path objects, Set<Path> acknowledged) throws Exception {
        assertThat(StoredObjects.problemsWithStoredCopies(objects, new ArrayList<>(acknowledged)))
                .as("acknowledged instances present and identical").isEmpty();
        String verify = server.shell("mosaic:archive-verify --checksums");
        assertThat(verify).as("index rows point at intact objects").contains("OK:").doesNotContain("PROBLEM");
        assertThat(StoredObjects.scan(objects).get("problems")).as("no partial file visible").isEmpty();
    }

    /** Waits until the senders together logged {@code count} C-STORE responses (at most two minutes). */
    private static void awaitResponses(List<Path> logs, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (logs.stream().mapToLong(StoreScu::responsesSoFar).sum() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " C-STORE responses within two minutes");
            }
            Thread.sleep(20);
        }
    }

    /** Sender s's quarter of the files, rotated per round so that each round starts elsewhere. */
    private static List<Path> share(List<Path> files, int sender, int round) {
        List<Path> mine = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if ((i + round) % SENDERS == sender) {
                mine.add(files.get(i));
            }
        }
        return mine;
    }
}
