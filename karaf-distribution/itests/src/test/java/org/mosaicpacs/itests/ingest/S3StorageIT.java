package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

/**
 * The distribution storing to S3: the {@code mosaic-storage-s3} feature, configured the way the
 * admin guide says, against S3Proxy (an independent S3 server, run in this JVM on its filesystem
 * store, so the bucket's objects are files this test reads without going through Mosaic).
 * DCMTK sends the real and corpus files; every acknowledged object is in the bucket byte for byte,
 * nothing is on the local disk, the archive's own check reads them back through S3, and C-GET
 * returns them. With the store down, C-STORE fails with a reason and nothing is indexed.
 */
class S3StorageIT {

    private static final String PREFIX = "archive/";

    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        s3 = new S3ProxyServer(Path.of("target/s3-it-store"), "mosaic-it");
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void objectsGoToTheBucketAndComeBackAndAStoreThatIsDownRefusesWithAReason() throws Exception {
        try (MosaicServer server = MosaicServer.unpack(Path.of("target/s3-server").toAbsolutePath(), false)) {
            s3.configure(server, PREFIX);
            server.start();

            StoreScuIngestIT.Sent sent = StoreScuIngestIT.sendEverything(server);
            Map<Path, String> toSend = sent.toSend();
            List<Path> acknowledged = sent.acknowledged();

            Path inBucket = s3.objects(PREFIX);
            assertThat(StoredObjects.problemsWithStoredCopies(inBucket, acknowledged)).isEmpty();
            assertThat(StoredObjects.scan(inBucket).get("problems")).isEmpty();
            Path localObjects = StoredObjects.objectsRoot(server.home());
            assertThat(!Files.exists(localObjects) || isEmptyTree(localObjects)).as("nothing on the local disk").isTrue();
            assertThat(server.shell("mosaic:archive-verify --checksums")).contains("OK:").doesNotContain("PROBLEM");

            List<Path> uncompressed = acknowledged.stream().filter(p -> "1.2.840.10008.1.2.1".equals(toSend.get(p)))
                    .limit(5).toList();
            cGetReturnsAsSent(server, uncompressed, Path.of("target/s3-it-cget"));
            aStoreThatIsDownRefusesAndIndexesNothing(server, uncompressed.get(0));
        }
    }

    /**
     * C-GET (DCMTK getscu) of uncompressed instances, one at a time, into {@code workDir}: each
     * retrieved copy equals the file sent (pydicom).
     */
    static void cGetReturnsAsSent(MosaicServer server, List<Path> sample, Path workDir) throws Exception {
        assertThat(sample).isNotEmpty();
        Path received = TestFiles.freshDirectory(workDir.toAbsolutePath());
        Path arranged = received.resolve("by-uid");
        for (Path sent : sample) {
            DataSet h = StoredObjects.header(sent);
            Path out = Files.createDirectories(received.resolve(h.getString(Tag.SOPInstanceUID)));
            Tools.run(Duration.ofMinutes(1), List.of(Tools.require("getscu").toString(), "-aec", "MOSAIC", "-od",
                    out.toString(), "-k", "QueryRetrieveLevel=IMAGE",
                    "-k", "StudyInstanceUID=" + h.getString(Tag.StudyInstanceUID),
                    "-k", "SeriesInstanceUID=" + h.getString(Tag.SeriesInstanceUID),
                    "-k", "SOPInstanceUID=" + h.getString(Tag.SOPInstanceUID),
                    "127.0.0.1", Integer.toString(server.dicomPort()))).assertSuccess();
            try (Stream<Path> files = Files.list(out)) {
                List<Path> got = files.toList();
                assertThat(got).as("C-GET of %s", sent).hasSize(1);
                // laid out like a store, so the pydicom check compares it with the sent file
                Path target = arranged.resolve(h.getString(Tag.StudyInstanceUID))
                        .resolve(h.getString(Tag.SeriesInstanceUID))
                        .resolve(h.getString(Tag.SOPInstanceUID) + ".dcm");
                Files.createDirectories(target.getParent());
                Files.copy(got.get(0), target);
            }
        }
        assertThat(StoredObjects.problemsWithStoredCopies(arranged, sample)).isEmpty();
    }

    /** S3Proxy stopped: C-STORE fails with the backend's reason, nothing is indexed; once it is back, the same file goes in. */
    private static void aStoreThatIsDownRefusesAndIndexesNothing(MosaicServer server, Path file) throws Exception {
        Path copy = Path.of("target/s3-it-new.dcm").toAbsolutePath();
        String sop = "2.25.1" + System.nanoTime();
        rewriteSopInstanceUid(file, copy, sop);

        s3.stop();
        StoreScu.Outcome refused = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(copy), Duration.ofMinutes(2));
        assertThat(refused.succeeded()).as(refused.log()).isEmpty();
        assertThat(server.diagnostics("S3 storage")).contains("cannot store s3://mosaic-it/" + PREFIX);
        assertThat(server.get("/dicom-web/instances?SOPInstanceUID=" + sop).body()).doesNotContain(sop);

        s3.start();
        StoreScu.Outcome stored = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(copy), Duration.ofMinutes(2));
        assertThat(stored.succeeded()).as(stored.log()).containsExactly(copy);
        assertThat(server.get("/dicom-web/instances?SOPInstanceUID=" + sop).body()).contains(sop);
    }

    /** dcmodify (DCMTK) gives a copy a new SOP Instance UID (it updates the meta information's to match). */
    private static void rewriteSopInstanceUid(Path file, Path copy, String sop) throws IOException {
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        Tools.run(Duration.ofSeconds(30), List.of(Tools.require("dcmodify").toString(), "-nb", "-m",
                "(0008,0018)=" + sop, copy.toString())).assertSuccess();
    }

    private static boolean isEmptyTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.noneMatch(Files::isRegularFile);
        }
    }
}
