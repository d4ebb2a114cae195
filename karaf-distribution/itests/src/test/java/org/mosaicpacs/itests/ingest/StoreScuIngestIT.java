package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.TestData;

/**
 * DCMTK storescu sends pydicom's real files and the mixed corpus (every modality, character set
 * and transfer syntax) to the running distribution; every acknowledged object is on disk byte for
 * byte as sent (pydicom's view), and the archive's own consistency check passes.
 */
@ExtendWith(SharedMosaicServer.class)
class StoreScuIngestIT {

    @Test
    void everyAcknowledgedObjectIsStoredAsSent(MosaicServer server) throws Exception {
        List<Path> files = new ArrayList<>(TestData.dicomFilesUnder(TestData.mixedCorpus()));
        // pydicom's real files that storescu can send (it refuses the broken and meta-less ones)
        files.addAll(StoredObjects.sendable(TestData.realDicomFiles()));
        StoreScu.Outcome outcome = StoreScu.send(server.dicomPort(), "MOSAIC", files, Duration.ofMinutes(5));
        List<Path> acknowledged = outcome.succeeded();
        assertThat(acknowledged).as("storescu log:\n" + tail(outcome.log())).hasSizeGreaterThan(200);
        // Every corpus file is a valid instance: all of them must have been accepted.
        assertThat(acknowledged).containsAll(TestData.dicomFilesUnder(TestData.mixedCorpus()));

        Path objects = StoredObjects.objectsRoot(server.home());
        assertThat(StoredObjects.problemsWithStoredCopies(objects, acknowledged)).isEmpty();
        assertThat(server.shell("mosaic:archive-verify --checksums")).contains("OK:").doesNotContain("PROBLEM");
        assertThat(StoredObjects.scan(objects).get("problems")).isEmpty();
    }

    private static String tail(String log) {
        return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
    }
}
