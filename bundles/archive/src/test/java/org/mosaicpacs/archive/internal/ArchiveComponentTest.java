package org.mosaicpacs.archive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.archive.ArchiveEvents;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.Deletion;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.transcoder.internal.ReactorTranscoder;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The service as DS wires it: events after each store, a study-stable event after the quiet time, read-back. */
class ArchiveComponentTest {

    @TempDir
    Path temp;

    /** EventAdmin that records what is posted. */
    private static final class RecordingEventAdmin implements EventAdmin {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            events.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            events.add(event);
        }

        List<Event> topic(String topic) {
            return events.stream().filter(e -> e.getTopic().equals(topic)).toList();
        }
    }

    private static ArchiveComponent.Config config(long stableSeconds) {
        return config(stableSeconds, "");
    }

    private static ArchiveComponent.Config config(long stableSeconds, String compressOnIngest) {
        return config(stableSeconds, compressOnIngest, false);
    }

    private static ArchiveComponent.Config config(long stableSeconds, String compressOnIngest, boolean rejectionNotes) {
        return config(stableSeconds, compressOnIngest, rejectionNotes, RejectedInstancePolicy.REJECT);
    }

    private static ArchiveComponent.Config config(long stableSeconds, String compressOnIngest, boolean rejectionNotes,
                                                  RejectedInstancePolicy rejectedInstances) {
        return new ArchiveComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ArchiveComponent.Config.class;
            }

            @Override
            public String storageId() {
                return "fs";
            }

            @Override
            public DuplicatePolicy duplicatePolicy() {
                return DuplicatePolicy.IGNORE;
            }

            @Override
            public String[] coercions() {
                return new String[0];
            }

            @Override
            public long studyStableSeconds() {
                return stableSeconds;
            }

            @Override
            public long headerLimitMB() {
                return 64;
            }

            @Override
            public String compressOnIngest() {
                return compressOnIngest;
            }

            @Override
            public String[] compressOnIngestModalities() {
                return new String[0];
            }

            @Override
            public long compressOnIngestMinimumKiB() {
                return 0;
            }

            @Override
            public boolean compressOnIngestAllowLossy() {
                return false;
            }

            @Override
            public boolean compressOnIngestVerify() {
                return true;
            }

            @Override
            public boolean rejectionNotes() {
                return rejectionNotes;
            }

            @Override
            public RejectedInstancePolicy rejectedInstances() {
                return rejectedInstances;
            }
        };
    }

    @Test
    void storingPostsInstanceSeriesAndStudyEventsThenStudyStable() throws Exception {
        RecordingEventAdmin events = new RecordingEventAdmin();
        ArchiveComponent archive = new ArchiveComponent(new InMemoryIndex(), events, config(1));
        archive.addStorage(new DirectoryStorage(temp), Map.of(StorageBackend.ID_PROPERTY, "fs"));
        List<Path> series = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).stream()
                .filter(p -> p.getParent().getFileName().toString().equals("SE001"))
                .filter(p -> p.getParent().getParent().getFileName().toString().equals("ST01"))
                .limit(3).toList();
        String study = null;
        for (Path file : series) {
            try (InputStream in = Files.newInputStream(file)) {
                StoreResult result = archive.store(StoreRequest.part10("TEST"), in);
                assertThat(result.outcome()).isEqualTo(StoreResult.Outcome.STORED);
                study = result.instance().studyInstanceUid();
            }
        }
        assertThat(events.topic(ArchiveEvents.INSTANCE_STORED)).hasSize(series.size());
        Event stored = events.topic(ArchiveEvents.INSTANCE_STORED).get(0);
        assertThat(stored.getProperty(ArchiveEvents.STUDY_INSTANCE_UID)).isEqualTo(study);
        assertThat(stored.getProperty(ArchiveEvents.SOP_INSTANCE_UID)).isNotNull();
        assertThat(stored.getProperty(ArchiveEvents.SOURCE)).isEqualTo("TEST");
        assertThat(events.topic(ArchiveEvents.STUDY_UPDATED).get(series.size() - 1).getProperty(ArchiveEvents.INSTANCE_COUNT))
                .isEqualTo(series.size());

        // No instance for a second: the study is announced stable, once.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.topic(ArchiveEvents.STUDY_STABLE).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<Event> stable = events.topic(ArchiveEvents.STUDY_STABLE);
        assertThat(stable).hasSize(1);
        assertThat(stable.get(0).getProperty(ArchiveEvents.STUDY_INSTANCE_UID)).isEqualTo(study);
        assertThat((String[]) stable.get(0).getProperty(ArchiveEvents.MODALITIES)).isNotEmpty();

        // Read back what was stored.
        String sop = (String) stored.getProperty(ArchiveEvents.SOP_INSTANCE_UID);
        try (StoredInstance instance = archive.open(sop)) {
            byte[] bytes = instance.stream().readAllBytes();
            assertThat(new String(bytes, 128, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DICM");
        }
        archive.deactivate();
    }

    @Test
    void compressionOnIngestUsesTheTranscoderWhileOneIsRegistered() throws Exception {
        ArchiveComponent archive = new ArchiveComponent(new InMemoryIndex(), new RecordingEventAdmin(),
                config(60, "JPEGLSLossless"));
        archive.addStorage(new DirectoryStorage(temp.resolve("store")), Map.of(StorageBackend.ID_PROPERTY, "fs"));
        List<Path> cts = CompressOnIngestTest.corpusFiles("native", "CT", 3);
        Transcoder transcoder = ReactorTranscoder.withReactorCodecs(temp.resolve("spool"));
        try {
            assertThat(store(archive, cts.get(0)).transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
            archive.bindTranscoder(transcoder);
            InstanceRecord compressed = store(archive, cts.get(1));
            assertThat(compressed.transferSyntaxUid()).isEqualTo(UID.JPEGLSLossless);
            archive.unbindTranscoder(transcoder);
            assertThat(store(archive, cts.get(2)).transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);

            // What Storage Commitment and retrieval read back is what the index describes: size and checksum.
            try (StoredInstance instance = archive.open(compressed.sopInstanceUid())) {
                byte[] bytes = instance.stream().readAllBytes();
                assertThat(bytes).hasSize((int) compressed.size());
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance(compressed.checksumAlgorithm())
                        .digest(bytes))).isEqualTo(compressed.checksum());
            }
        } finally {
            archive.deactivate();
        }
    }

    @Test
    void aLossyCompressionTargetIsRefusedAtActivationUnlessAllowed() {
        assertThatThrownBy(() -> new ArchiveComponent(new InMemoryIndex(), new RecordingEventAdmin(),
                config(60, UID.JPEGBaseline8Bit)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JPEG Baseline").hasMessageContaining("is lossy");
    }

    private static InstanceRecord store(ArchiveComponent archive, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            StoreResult result = archive.store(StoreRequest.part10("TEST"), in);
            assertThat(result.outcome()).isEqualTo(StoreResult.Outcome.STORED);
            assertThat(result.warnings()).isEmpty();
            return result.instance();
        }
    }

    @Test
    void deletingASeriesThenItsStudyRemovesRecordsAndObjectsPostsEventsAndCancelsStable() throws Exception {
        RecordingEventAdmin events = new RecordingEventAdmin();
        InMemoryIndex index = new InMemoryIndex();
        ArchiveComponent archive = new ArchiveComponent(index, events, config(3));
        DirectoryStorage storage = new DirectoryStorage(temp);
        archive.addStorage(storage, Map.of(StorageBackend.ID_PROPERTY, "fs"));
        try {
            // two studies of the corpus, the first with at least two series
            Map<Path, List<Path>> byStudyDir = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).stream()
                    .collect(Collectors.groupingBy(f -> f.getParent().getParent(),
                            TreeMap::new, Collectors.toList()));
            List<Path> studyDirs = byStudyDir.entrySet().stream()
                    .filter(e -> e.getValue().stream().map(Path::getParent).distinct().count() >= 2)
                    .map(Map.Entry::getKey).limit(2).toList();
            assertThat(studyDirs).hasSize(2);
            List<InstanceRecord> first = new ArrayList<>();
            for (Path f : byStudyDir.get(studyDirs.get(0))) {
                first.add(store(archive, f));
            }
            List<InstanceRecord> second = new ArrayList<>();
            for (Path f : byStudyDir.get(studyDirs.get(1))) {
                second.add(store(archive, f));
            }
            String study = first.get(0).studyInstanceUid();
            String series = first.get(0).seriesInstanceUid();
            List<InstanceRecord> ofSeries = first.stream().filter(r -> r.seriesInstanceUid().equals(series)).toList();

            Deletion seriesDeleted = archive.delete(study, series);
            assertThat(seriesDeleted.instances()).isEqualTo(ofSeries.size());
            assertThat(seriesDeleted.series()).containsExactly(series);
            assertThat(seriesDeleted.objectsNotDeleted()).isEmpty();
            for (InstanceRecord r : ofSeries) {
                assertThat(index.findInstance(r.sopInstanceUid())).isEmpty();
                assertThat(temp.resolve(r.storageKey())).doesNotExist();
            }
            assertThat(index.findInstances(study, null)).hasSize(first.size() - ofSeries.size());
            assertThat(events.topic(ArchiveEvents.SERIES_DELETED)).singleElement().satisfies(e -> {
                assertThat(e.getProperty(ArchiveEvents.SERIES_INSTANCE_UID)).isEqualTo(series);
                assertThat(e.getProperty(ArchiveEvents.INSTANCE_COUNT)).isEqualTo(ofSeries.size());
            });
            assertThat(events.topic(ArchiveEvents.STUDY_DELETED)).isEmpty();

            Deletion studyDeleted = archive.delete(study, null);
            assertThat(studyDeleted.instances()).isEqualTo(first.size() - ofSeries.size());
            assertThat(index.findInstances(study, null)).isEmpty();
            assertThat(first).allSatisfy(r -> assertThat(temp.resolve(r.storageKey())).doesNotExist());
            assertThat(events.topic(ArchiveEvents.STUDY_DELETED)).singleElement()
                    .satisfies(e -> assertThat(e.getProperty(ArchiveEvents.STUDY_INSTANCE_UID)).isEqualTo(study));
            assertThatThrownBy(() -> archive.delete(study, null)).isInstanceOf(ArchiveException.class)
                    .hasMessageContaining("no study " + study)
                    .satisfies(e -> assertThat(((ArchiveException) e).reason()).isEqualTo(ArchiveException.Reason.NOT_FOUND));

            // the other study is untouched, and with its storage gone it still leaves the index
            assertThat(second).allSatisfy(r -> assertThat(archive.open(r.sopInstanceUid()).record()).isEqualTo(r));
            archive.removeStorage(storage, Map.of(StorageBackend.ID_PROPERTY, "fs"));
            Deletion withoutStorage = archive.delete(second.get(0).studyInstanceUid(), null);
            assertThat(withoutStorage.instances()).isEqualTo(second.size());
            assertThat(withoutStorage.objectsNotDeleted()).hasSize(second.size()).allMatch(k -> k.startsWith("fs:"));
            assertThat(second).allSatisfy(r -> assertThat(temp.resolve(r.storageKey())).exists());
            assertThat(index.instances).isEmpty();

            // a deleted study is not announced stable once its quiet time is over (normally nothing was
            // announced before the deletions either; on a very slow machine it may have been)
            List<Event> stableAtDeletion = events.topic(ArchiveEvents.STUDY_STABLE);
            Thread.sleep(3500);
            assertThat(events.topic(ArchiveEvents.STUDY_STABLE)).isEqualTo(stableAtDeletion);
        } finally {
            archive.deactivate();
        }
    }

    @Test
    void aRejectionNoteDeletesTheInstancesItListsAndOnlyThoseWhenTurnedOn() throws Exception {
        List<Path> files = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).stream()
                .filter(p -> p.getParent().getParent().getFileName().toString().equals("ST01")).sorted().toList();
        for (boolean turnedOn : new boolean[] {false, true}) {
            RecordingEventAdmin events = new RecordingEventAdmin();
            InMemoryIndex index = new InMemoryIndex();
            Path dir = Files.createDirectories(temp.resolve("on-" + turnedOn));
            ArchiveComponent archive = new ArchiveComponent(index, events, config(60, "", turnedOn));
            archive.addStorage(new DirectoryStorage(dir), Map.of(StorageBackend.ID_PROPERTY, "fs"));
            try {
                List<InstanceRecord> stored = new ArrayList<>();
                for (Path f : files) {
                    stored.add(store(archive, f));
                }
                InstanceRecord first = stored.get(0);
                List<InstanceRecord> rejected = stored.stream()
                        .filter(r -> r.seriesInstanceUid().equals(first.seriesInstanceUid())).limit(2).toList();
                InstanceRecord elsewhere = stored.stream()
                        .filter(r -> !r.seriesInstanceUid().equals(first.seriesInstanceUid())).findFirst().orElseThrow();
                assertThat(rejected).hasSize(2);
                // the note also names an instance under the wrong series, one the archive never had,
                // and comes with a "For Teaching"-style twin that must change nothing
                DataSet note = rejectionNote("113001", first.studyInstanceUid(), first.seriesInstanceUid(),
                        List.of(rejected.get(0).sopInstanceUid(), rejected.get(1).sopInstanceUid(),
                                elsewhere.sopInstanceUid(), "1.2.3.4.5.404"));
                store(archive, writeNote(note, "not-a-rejection-" + turnedOn, "113004"));
                assertThat(index.instances).hasSize(stored.size() + 1);

                InstanceRecord noteRecord = store(archive, writeNote(note, "rejection-" + turnedOn, "113001"));

                assertThat(archive.open(noteRecord.sopInstanceUid()).record()).isEqualTo(noteRecord);
                if (!turnedOn) {
                    assertThat(index.instances).hasSize(stored.size() + 2);
                    assertThat(events.topic(ArchiveEvents.SERIES_DELETED)).isEmpty();
                    continue;
                }
                assertThat(index.instances).hasSize(stored.size());
                for (InstanceRecord r : rejected) {
                    assertThat(index.findInstance(r.sopInstanceUid())).isEmpty();
                    assertThat(dir.resolve(r.storageKey())).doesNotExist();
                }
                assertThat(index.findInstance(elsewhere.sopInstanceUid())).isPresent();
                assertThat(dir.resolve(elsewhere.storageKey())).exists();
                assertThat(events.topic(ArchiveEvents.SERIES_DELETED)).singleElement().satisfies(e -> {
                    assertThat(e.getProperty(ArchiveEvents.SERIES_INSTANCE_UID)).isEqualTo(first.seriesInstanceUid());
                    assertThat(e.getProperty(ArchiveEvents.INSTANCE_COUNT)).isEqualTo(2);
                });
            } finally {
                archive.deactivate();
            }
        }
    }

    @Test
    void aRejectedInstanceSentAgainIsRefusedOrStoredAgainWhenAccepted() throws Exception {
        List<Path> files = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).stream()
                .filter(p -> p.getParent().getFileName().toString().equals("SE001")).sorted().limit(3).toList();
        assertThat(files).hasSize(3);
        for (RejectedInstancePolicy policy : RejectedInstancePolicy.values()) {
            InMemoryIndex index = new InMemoryIndex();
            Path dir = Files.createDirectories(temp.resolve("resent-" + policy));
            ArchiveComponent archive = new ArchiveComponent(index, new RecordingEventAdmin(), config(60, "", true, policy));
            archive.addStorage(new DirectoryStorage(dir), Map.of(StorageBackend.ID_PROPERTY, "fs"));
            try {
                InstanceRecord first = store(archive, files.get(0));
                InstanceRecord second = store(archive, files.get(1));
                String third = sopInstanceUid(files.get(2));
                // the third has not arrived yet when the note rejects it
                DataSet note = rejectionNote("113037", first.studyInstanceUid(), first.seriesInstanceUid(),
                        List.of(first.sopInstanceUid(), third));
                InstanceRecord noteRecord = store(archive, writeNote(note, "resent-" + policy, "113037"));
                assertThat(index.findInstance(first.sopInstanceUid())).isEmpty();
                assertThat(index.rejections).containsOnlyKeys(first.sopInstanceUid(), third);
                assertThat(index.rejections.get(first.sopInstanceUid())).satisfies(r -> {
                    assertThat(r.code()).isEqualTo("113037");
                    assertThat(r.noteUid()).isEqualTo(noteRecord.sopInstanceUid());
                    assertThat(r.seriesInstanceUid()).isEqualTo(first.seriesInstanceUid());
                });

                if (policy == RejectedInstancePolicy.REJECT) {
                    for (Path resent : List.of(files.get(0), files.get(2))) {
                        long[] consumed = {0};
                        try (InputStream in = new java.io.FilterInputStream(Files.newInputStream(resent)) {
                            @Override
                            public int read(byte[] b, int off, int len) throws java.io.IOException {
                                int n = super.read(b, off, len);
                                consumed[0] += Math.max(n, 0);
                                return n;
                            }
                        }) {
                            assertThatThrownBy(() -> archive.store(StoreRequest.part10("MODALITY"), in))
                                    .isInstanceOfSatisfying(ArchiveException.class, e -> assertThat(e.reason())
                                            .isEqualTo(ArchiveException.Reason.REJECTED_INSTANCE))
                                    .hasMessage("Rejected earlier: Rejected for Patient Safety Reasons (113037)");
                        }
                        // a C-STORE's data set is read to its end, so the association goes on
                        assertThat(consumed[0]).isEqualTo(Files.size(resent));
                    }
                    assertThat(index.instances).containsOnlyKeys(second.sopInstanceUid(), noteRecord.sopInstanceUid());
                    assertThat(index.rejections).hasSize(2);
                    try (var objects = Files.walk(dir)) {
                        assertThat(objects.filter(Files::isRegularFile)).as("nothing of a refused copy is kept")
                                .hasSize(2);
                    }
                } else {
                    InstanceRecord again = store(archive, files.get(0));
                    assertThat(again.sopInstanceUid()).isEqualTo(first.sopInstanceUid());
                    assertThat(store(archive, files.get(2)).sopInstanceUid()).isEqualTo(third);
                    assertThat(index.rejections).isEmpty();
                    assertThat(archive.open(first.sopInstanceUid()).record()).isEqualTo(again);

                    // the same note sent again (an ignored duplicate) is applied again, as after a crash
                    try (InputStream in = Files.newInputStream(temp.resolve("resent-" + policy + ".dcm"))) {
                        assertThat(archive.store(StoreRequest.part10("MODALITY"), in).outcome())
                                .isEqualTo(StoreResult.Outcome.DUPLICATE_IGNORED);
                    }
                    assertThat(index.findInstance(first.sopInstanceUid())).isEmpty();
                    assertThat(index.findInstance(third)).isEmpty();
                    assertThat(index.rejections).containsOnlyKeys(first.sopInstanceUid(), third);
                }
                // an instance no note named is unaffected either way
                try (InputStream in = Files.newInputStream(files.get(1))) {
                    assertThat(archive.store(StoreRequest.part10("MODALITY"), in).outcome())
                            .isEqualTo(StoreResult.Outcome.DUPLICATE_IGNORED);
                }
            } finally {
                archive.deactivate();
            }
        }
    }

    @Test
    void withRejectionNotesOffNothingIsRememberedOrLookedUp() throws Exception {
        Path file = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).stream().sorted().findFirst()
                .orElseThrow();
        InMemoryIndex index = new InMemoryIndex();
        String uid = sopInstanceUid(file);
        // left over from a time rejection notes were on
        index.recordRejection(new Rejection(uid, null, null, "113001", "1.2.3", java.time.Instant.now()));
        ArchiveComponent archive = new ArchiveComponent(index, new RecordingEventAdmin(), config(60, "", false));
        archive.addStorage(new DirectoryStorage(temp), Map.of(StorageBackend.ID_PROPERTY, "fs"));
        try {
            assertThat(store(archive, file).sopInstanceUid()).isEqualTo(uid);
        } finally {
            archive.deactivate();
        }
    }

    @Test
    void theRefusalOfARejectedInstanceFitsAnErrorCommentWithEveryTitle() {
        // a C-STORE Error Comment is LO: 64 characters (PS3.5 6.2); longer text would be cut
        Rejection.TITLES.forEach((code, meaning) -> assertThat(Ingest.refusal(new Rejection("1.2", null, null, code,
                "1.3", java.time.Instant.now()))).contains(meaning, code).hasSizeLessThanOrEqualTo(64));
    }

    private static String sopInstanceUid(Path file) throws Exception {
        try (DicomReader r = DicomReader.open(file)) {
            return r.readDataSet(StopCondition.beforeTag(Tag.PixelData)).getString(Tag.SOPInstanceUID);
        }
    }

    /** A Key Object Selection document in the shape IOCM gives rejection notes (PS3.3 A.35.4, C.17.6). */
    private static DataSet rejectionNote(String code, String study, String series, List<String> instances) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, UID.KeyObjectSelectionDocumentStorage);
        ds.setString(Tag.StudyInstanceUID, study);
        ds.setString(Tag.Modality, "KO");
        DataSet title = ds.newSequence(Tag.ConceptNameCodeSequence).addNewItem();
        title.setString(Tag.CodeValue, code);
        title.setString(Tag.CodingSchemeDesignator, "DCM");
        title.setString(Tag.CodeMeaning, "Rejected for Quality Reasons");
        DataSet studyRef = ds.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addNewItem();
        studyRef.setString(Tag.StudyInstanceUID, study);
        DataSet seriesRef = studyRef.newSequence(Tag.ReferencedSeriesSequence).addNewItem();
        seriesRef.setString(Tag.SeriesInstanceUID, series);
        Sequence sops = seriesRef.newSequence(Tag.ReferencedSOPSequence);
        for (String uid : instances) {
            DataSet sop = sops.addNewItem();
            sop.setString(Tag.ReferencedSOPClassUID, UID.CTImageStorage);
            sop.setString(Tag.ReferencedSOPInstanceUID, uid);
        }
        return ds;
    }

    private Path writeNote(DataSet note, String name, String code) throws Exception {
        note.setString(Tag.SOPInstanceUID, "1.2.826.0.1.3680043.10.1234." + Math.abs(name.hashCode()));
        note.setString(Tag.SeriesInstanceUID, "1.2.826.0.1.3680043.10.1235." + Math.abs(name.hashCode()));
        note.getSequence(Tag.ConceptNameCodeSequence).get(0).setString(Tag.CodeValue, code);
        Path file = temp.resolve(name + ".dcm");
        DicomWriter.writeFile(file, note, UID.ExplicitVRLittleEndian, WriteOptions.defaults());
        return file;
    }

    @Test
    void aStudyThatKeepsReceivingIsNotStableYet() throws Exception {
        List<StudyStableTracker.StableStudy> fired = new CopyOnWriteArrayList<>();
        var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            StudyStableTracker tracker = new StudyStableTracker(scheduler, 300, fired::add);
            for (int i = 1; i <= 5; i++) {
                tracker.instanceStored("1.2.3", i % 2 == 0 ? "CT" : "SR", i, "SCANNER");
                Thread.sleep(100);
            }
            assertThat(fired).isEmpty();
            Thread.sleep(600);
            assertThat(fired).hasSize(1);
            assertThat(fired.get(0).modalities()).containsExactlyInAnyOrder("CT", "SR");
            assertThat(fired.get(0).instanceCount()).isEqualTo(5);
            assertThat(tracker.pendingCount()).isZero();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
