package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

/**
 * Objects whose first element after the identification groups is a sequence, written by pydicom
 * and checked by dciodvfy, sent with DCMTK storescu: a Grayscale Softcopy Presentation State (the
 * archive used to refuse every one with 0110, "readInto must start at the top level") and IHE
 * IOCM rejection notes, which delete the images they list once the archive is told to act on them,
 * and refuse them when they are sent again unless the archive is told to accept them. DCMTK findscu
 * is the judge of what the archive still offers.
 */
@ExtendWith(SharedMosaicServer.class)
class RejectionNoteIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void aPresentationStateIsStoredAndARejectionNoteDeletesWhatItListsOnceTurnedOn(MosaicServer server) throws Exception {
        List<Path> files = TestData.dicomFilesUnder(TestData.corpus("iocm-itest", "--patients", "1",
                "--studies-per-patient", "1", "--instances-per-series", "4", "--id-prefix", "IOCM", "--seed", "17")
                .resolve("native"));
        Map<String, List<Path>> bySeries = new TreeMap<>();
        String study = null;
        for (Path f : files) {
            DataSet h = StoredObjects.header(f);
            study = h.getString(Tag.StudyInstanceUID);
            bySeries.computeIfAbsent(h.getString(Tag.SeriesInstanceUID), k -> new ArrayList<>()).add(f);
        }
        StoreScu.Outcome stored = StoreScu.send(server.dicomPort(), "MOSAIC", files, TOOL_TIMEOUT);
        assertThat(stored.succeeded()).as(stored.log()).hasSameSizeAs(files);
        String series = bySeries.entrySet().stream().filter(e -> e.getValue().size() >= 3).findFirst().orElseThrow().getKey();
        List<Path> seriesFiles = bySeries.get(series).stream().sorted().toList();
        List<String> seriesSops = sopUids(seriesFiles);

        Path work = TestFiles.freshDirectory(Path.of("target/iocm-it").toAbsolutePath());
        Path gsps = work.resolve("gsps.dcm");
        String gspsUid = pydicom("gsps", gsps.toString(), seriesFiles.get(0).toString());
        assertValid(gsps);
        StoreScu.Outcome gspsStored = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(gsps), TOOL_TIMEOUT);
        assertThat(gspsStored.succeeded()).as(gspsStored.log()).containsExactly(gsps);
        assertThat(findImages(server, study, null)).contains(gspsUid);
        assertThat(StoredObjects.problemsWithStoredCopies(StoredObjects.objectsRoot(server.home()), List.of(gsps))).isEmpty();

        // Off (the default): a rejection note is an object like any other and deletes nothing.
        List<Path> rejected = seriesFiles.subList(0, 2);
        Path ignoredNote = work.resolve("note-ignored.dcm");
        String ignoredUid = pydicom("rejection", ignoredNote.toString(), "113001",
                rejected.get(0).toString(), rejected.get(1).toString());
        assertValid(ignoredNote);
        assertThat(StoreScu.send(server.dicomPort(), "MOSAIC", List.of(ignoredNote), TOOL_TIMEOUT).succeeded())
                .containsExactly(ignoredNote);
        assertThat(findImages(server, study, series)).containsExactlyInAnyOrderElementsOf(seriesSops);
        assertThat(findImages(server, study, null)).contains(ignoredUid);

        server.shell("config:property-set -p org.mosaicpacs.archive rejectionNotes true");
        try {
            // A note titled "Of Interest" is a key image selection, not a rejection: it deletes nothing.
            Path keyImages = work.resolve("key-images.dcm");
            pydicom("rejection", keyImages.toString(), "113000", rejected.get(0).toString());
            assertThat(sendOnceArchiveIsBack(server, keyImages).succeeded()).containsExactly(keyImages);
            assertThat(findImages(server, study, series)).containsExactlyInAnyOrderElementsOf(seriesSops);

            Path note = work.resolve("note.dcm");
            String noteUid = pydicom("rejection", note.toString(), "113001",
                    rejected.get(0).toString(), rejected.get(1).toString());
            StoreScu.Outcome noteStored = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(note), TOOL_TIMEOUT);
            assertThat(noteStored.succeeded()).as(noteStored.log()).containsExactly(note);

            List<String> kept = seriesSops.subList(2, seriesSops.size());
            assertThat(findImages(server, study, series)).containsExactlyInAnyOrderElementsOf(kept);
            assertThat(findImages(server, study, null)).contains(noteUid, gspsUid).doesNotContainAnyElementsOf(sopUids(rejected));
            Path seriesDir = StoredObjects.objectsRoot(server.home()).resolve(study).resolve(series);
            for (String sop : sopUids(rejected)) {
                assertThat(seriesDir.resolve(sop + ".dcm")).doesNotExist();
            }
            List<Path> rest = files.stream().filter(f -> !rejected.contains(f)).toList();
            assertThat(StoredObjects.problemsWithStoredCopies(StoredObjects.objectsRoot(server.home()), rest)).isEmpty();
            assertThat(Files.readString(server.home().resolve("data/log/karaf.log"), StandardCharsets.ISO_8859_1)).contains("Rejection note " + noteUid + " (113001 Rejected for Quality Reasons)"
                    + " from STORESCU: deleted 2 of 2 referenced instance(s)");

            // Sent again, as a modality re-sending from its queue would: "Refused: Not authorized" (0124;
            // storescu -v has no name for it in a C-STORE and prints the number, -d names it) with the
            // rejection's title in the Error Comment; the log names the note.
            List<String> rejectedSops = sopUids(rejected);
            StoreScu.Outcome resent = StoreScu.send(server.dicomPort(), "MOSAIC", rejected, TOOL_TIMEOUT);
            assertThat(resent.succeeded()).as(resent.log()).isEmpty();
            assertThat(resent.statuses()).as(resent.log()).hasSize(2)
                    .allSatisfy((file, status) -> assertThat(status).isEqualTo("Unknown Status: 0x124"));
            Tools.Result debug = Tools.run(TOOL_TIMEOUT, List.of(Tools.require("storescu").toString(), "-d", "-R",
                    "-aet", "STORESCU", "-aec", "MOSAIC", "127.0.0.1", Integer.toString(server.dicomPort()),
                    rejected.get(0).toString()));
            assertThat(debug.out() + debug.err()).contains("0x0124: Refused: Not authorized")
                    .contains("(0000,0902) LO [Rejected earlier: Rejected for Quality Reasons (113001)]");
            assertThat(Files.readString(server.home().resolve("data/log/karaf.log"), StandardCharsets.ISO_8859_1))
                    .contains("Instance " + rejectedSops.get(0) + " from STORESCU refused: rejected by rejection note "
                            + noteUid + ", Rejected for Quality Reasons (113001), on ");
            assertThat(findImages(server, study, series)).containsExactlyInAnyOrderElementsOf(kept);
            assertThat(seriesDir.resolve(rejectedSops.get(0) + ".dcm")).doesNotExist();

            // STOW-RS refuses it too (curl as the client): 409, Failure Reason 0124 (292).
            Path body = work.resolve("stow-body");
            java.io.ByteArrayOutputStream part = new java.io.ByteArrayOutputStream();
            part.writeBytes("--REJECTED\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            part.writeBytes(Files.readAllBytes(rejected.get(1)));
            part.writeBytes("\r\n--REJECTED--\r\n".getBytes(StandardCharsets.US_ASCII));
            Files.write(body, part.toByteArray());
            Tools.Result stow = Tools.run(TOOL_TIMEOUT, List.of(Tools.require("curl").toString(), "-sS", "-w",
                    "\nHTTP %{http_code}", "-X", "POST", "-H", "Content-Type: multipart/related; type=\"application/dicom\";"
                            + " boundary=REJECTED", "-H", "Accept: application/dicom+json", "--data-binary", "@" + body,
                    server.http("/dicom-web/studies").toString()));
            assertThat(stow.out()).endsWith("HTTP 409").contains("\"00081197\":{\"vr\":\"US\",\"Value\":[292]}")
                    .contains(rejectedSops.get(1));

            // The shell lists what the archive remembers as rejected.
            assertThat(server.shell("mosaic:rejections " + study)).contains(rejectedSops.get(0), rejectedSops.get(1),
                    "Rejected for Quality Reasons (113001)", "note " + noteUid, "2 rejected instance(s)");

            // An operator who wants them back accepts rejected instances again: stored as sent.
            server.shell("config:property-set -p org.mosaicpacs.archive rejectedInstances ACCEPT");
            StoreScu.Outcome restored = sendOnceArchiveIsBack(server, rejected.get(0));
            assertThat(restored.succeeded()).as(restored.log()).containsExactly(rejected.get(0));
            assertThat(findImages(server, study, series)).contains(rejectedSops.get(0))
                    .doesNotContain(rejectedSops.get(1));
            assertThat(StoredObjects.problemsWithStoredCopies(StoredObjects.objectsRoot(server.home()),
                    List.of(rejected.get(0)))).isEmpty();

            // The same note sent again (a duplicate, answered success) is applied again: as after a crash
            // that interrupted it, what it lists goes.
            StoreScu.Outcome noteAgain = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(note), TOOL_TIMEOUT);
            assertThat(noteAgain.succeeded()).as(noteAgain.log()).containsExactly(note);
            assertThat(findImages(server, study, series)).containsExactlyInAnyOrderElementsOf(kept);

            // Back to refusing: forgetting one rejection from the shell lets that instance in, the other stays out.
            server.shell("config:property-set -p org.mosaicpacs.archive rejectedInstances REJECT");
            assertThat(server.shell("mosaic:rejection-forget " + rejectedSops.get(1)))
                    .contains("Forgot the rejection of " + rejectedSops.get(1));
            assertThat(server.shell("mosaic:rejection-forget " + rejectedSops.get(1)))
                    .contains("No rejection remembered for " + rejectedSops.get(1));
            assertThat(sendOnceArchiveIsBack(server, rejected.get(1)).succeeded()).containsExactly(rejected.get(1));
            StoreScu.Outcome stillRefused = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(rejected.get(0)), TOOL_TIMEOUT);
            assertThat(stillRefused.statuses().values()).as(stillRefused.log()).containsExactly("Unknown Status: 0x124");
            assertThat(findImages(server, study, series)).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.Stream.concat(kept.stream(), java.util.stream.Stream.of(rejectedSops.get(1))).toList());
        } finally {
            server.shell("config:property-set -p org.mosaicpacs.archive rejectedInstances REJECT");
            server.shell("config:property-set -p org.mosaicpacs.archive rejectionNotes false");
        }
    }

    /** The first C-STORE after the archive was reconfigured: its component comes back within moments. */
    private static StoreScu.Outcome sendOnceArchiveIsBack(MosaicServer server, Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        StoreScu.Outcome outcome = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(file), TOOL_TIMEOUT);
        while (outcome.succeeded().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            outcome = StoreScu.send(server.dicomPort(), "MOSAIC", List.of(file), TOOL_TIMEOUT);
        }
        return outcome;
    }

    private static String pydicom(String... args) {
        List<String> command = new ArrayList<>(List.of(Tools.pydicomPython().toString(),
                TestEnvironment.repoRoot().resolve("karaf-distribution/itests/src/test/python/iocm-objects.py").toString()));
        command.addAll(List.of(args));
        return Tools.run(TOOL_TIMEOUT, command).assertSuccess().out().trim();
    }

    /** dicom3tools' dciodvfy finds no error in the object (warnings about optional details are fine). */
    private static void assertValid(Path file) {
        Tools.Result r = Tools.run(TOOL_TIMEOUT, List.of(Tools.require("dciodvfy").toString(), file.toString()));
        assertThat((r.out() + r.err()).lines().filter(l -> l.startsWith("Error")).toList()).as(file.toString()).isEmpty();
    }

    private static List<String> sopUids(List<Path> files) throws Exception {
        List<String> uids = new ArrayList<>();
        for (Path f : files) {
            uids.add(StoredObjects.header(f).getString(Tag.SOPInstanceUID));
        }
        return uids;
    }

    /**
     * The SOP Instance UIDs DCMTK findscu finds in a series, or in every series of the study (Study
     * Root, hierarchical: SERIES level, then IMAGE level per series).
     */
    private static List<String> findImages(MosaicServer server, String study, String series) {
        List<String> seriesUids = series != null ? List.of(series)
                : FindScu.uids(server, "SERIES", List.of("StudyInstanceUID=" + study, "SeriesInstanceUID"), "(0020,000e)");
        List<String> images = new ArrayList<>();
        for (String s : seriesUids) {
            images.addAll(FindScu.uids(server, "IMAGE", List.of("StudyInstanceUID=" + study, "SeriesInstanceUID=" + s,
                    "SOPInstanceUID"), "(0008,0018)"));
        }
        return images;
    }
}
