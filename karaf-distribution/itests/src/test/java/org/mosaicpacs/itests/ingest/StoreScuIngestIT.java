package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.PostgresServer;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * DCMTK storescu sends pydicom's real files and the mixed corpus (every modality, character set
 * and transfer syntax) to the running distribution; every acknowledged object is on disk byte for
 * byte as sent (pydicom's view), and the archive's own consistency check passes; with the index
 * on embedded Derby and on PostgreSQL.
 */
@ExtendWith(SharedMosaicServer.class)
class StoreScuIngestIT {

    @Test
    void everyAcknowledgedObjectIsStoredAsSent(MosaicServer server) throws Exception {
        storeAndCheck(server);
    }

    /** The same on a distribution whose index is in PostgreSQL; the index rows are counted there. */
    @Test
    void everyAcknowledgedObjectIsStoredAsSentWithThePostgresqlIndex() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String database = "mosaic_ingest_it";
        String url = postgres.createDatabase(database);
        try (MosaicServer server = MosaicServer.unpack(Path.of("target/ingest-postgresql-server").toAbsolutePath(), false)) {
            server.usePostgresql(url, postgres.user());
            server.start();
            int stored = storeAndCheck(server);
            Tools.Result count = Tools.run(Duration.ofSeconds(30), List.of(Tools.require("psql").toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(postgres.port()), "-U", postgres.user(), "-d", database,
                    "-Atc", "SELECT COUNT(*) FROM instance")).assertSuccess();
            assertThat(Integer.parseInt(count.out().strip())).as("instance rows in PostgreSQL").isEqualTo(stored);
        }
    }

    /** What {@link #sendEverything} sent: each file with its transfer syntax, and those acknowledged. */
    record Sent(Map<Path, String> toSend, List<Path> acknowledged) {
    }

    /**
     * Sends the mixed corpus and pydicom's real files that storescu can send, each in its own
     * transfer syntax; checks that a plausible number were acknowledged, every corpus file among them.
     */
    static Sent sendEverything(MosaicServer server) throws Exception {
        List<Path> corpus = TestData.dicomFilesUnder(TestData.mixedCorpus());
        List<Path> candidates = new ArrayList<>(corpus);
        // pydicom's real files that storescu can send (it refuses the broken and meta-less ones)
        candidates.addAll(TestData.realDicomFiles());
        Map<Path, String> toSend = StoredObjects.sendable(candidates);
        StoreScu.Outcome outcome = StoreScu.sendAsStored(server.dicomPort(), "MOSAIC", toSend, Duration.ofMinutes(5));
        List<Path> acknowledged = outcome.succeeded();
        assertThat(acknowledged).as("storescu log:\n" + tail(outcome.log()) + server.diagnostics("ERROR"))
                .hasSizeGreaterThan(200);
        // Every corpus file is a valid instance: all of them must have been accepted.
        assertThat(acknowledged).containsAll(corpus.stream().filter(toSend::containsKey).toList());
        return new Sent(toSend, acknowledged);
    }

    /** Sends everything storescu can send; checks what is on disk; returns the number of objects stored. */
    private static int storeAndCheck(MosaicServer server) throws Exception {
        List<Path> acknowledged = sendEverything(server).acknowledged();

        Path objects = StoredObjects.objectsRoot(server.home());
        assertThat(StoredObjects.problemsWithStoredCopies(objects, acknowledged)).isEmpty();
        assertThat(server.shell("mosaic:archive-verify --checksums")).contains("OK:").doesNotContain("PROBLEM");
        JsonNode scan = StoredObjects.scan(objects);
        assertThat(scan.get("problems")).isEmpty();
        return scan.get("files").asInt();
    }

    private static String tail(String log) {
        return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
    }
}
