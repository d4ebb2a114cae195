package org.mosaicpacs.archive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveEvents;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.ArchiveException.Reason;
import org.mosaicpacs.api.archive.Deletion;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Archive} service: ingest, read-back and events. Storage backends are collected from
 * the whiteboard by their {@value StorageBackend#ID_PROPERTY}; configuration names the one that
 * receives new objects, and every backend an indexed object lives in stays readable. The
 * {@link Transcoder} is optional: only compression on ingest ({@link CompressionPolicy}) uses it.
 */
@Component(service = Archive.class, configurationPid = ArchiveComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ArchiveComponent.Config.class)
public class ArchiveComponent implements Archive {

    static final String PID = "org.mosaicpacs.archive";
    /** Bytes of an object being compressed that are held in memory (a CT or MR image fits; a CR goes to a file). */
    private static final int SPOOL_MEMORY_LIMIT = 4 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveComponent.class);

    @ObjectClassDefinition(name = "Mosaic archive", description = "How objects are stored: backend, duplicates, coercion, "
            + "compression on ingest.")
    public @interface Config {

        @AttributeDefinition(name = "Storage backend", description = "The mosaic.storage.id of the backend new objects go to.")
        String storageId() default "fs";

        @AttributeDefinition(name = "Duplicate policy", description = "An instance already stored is REJECTed "
                + "(C-STORE failure), IGNOREd (success, the stored copy stays) or REPLACEd.")
        DuplicatePolicy duplicatePolicy() default DuplicatePolicy.IGNORE;

        @AttributeDefinition(name = "Coercion rules", description = "[AE|]Keyword=value, [AE|]Keyword?=value (only if "
                + "absent), [AE|]-Keyword (remove); groups 0008-0020 only.")
        String[] coercions() default {};

        @AttributeDefinition(name = "Study stable time (s)", description = "A study is announced stable after this "
                + "long without a new instance.")
        long studyStableSeconds() default 60;

        @AttributeDefinition(name = "Header memory limit (MB)", description = "The most bytes of a data set's "
                + "identification part held in memory while its destination is decided.")
        long headerLimitMB() default 64;

        @AttributeDefinition(name = "Compress on ingest", description = "Transfer syntax UID or keyword that "
                + "uncompressed images are stored in, e.g. 1.2.840.10008.1.2.4.80 (JPEG-LS Lossless), 1.2.840.10008.1.2.5 "
                + "(RLE Lossless), 1.2.840.10008.1.2.4.90 (JPEG 2000 Lossless), 1.2.840.10008.1.2.4.70 (JPEG Lossless "
                + "SV1). Empty: every object is stored as received. Needs the transcoder and the codec; without them, "
                + "or if an image cannot be compressed, it is stored as received.")
        String compressOnIngest() default "";

        @AttributeDefinition(name = "Compress on ingest: modalities", description = "Modality (0008,0060) values "
                + "whose images are compressed, e.g. CT, MR; empty: every modality.")
        String[] compressOnIngestModalities() default {};

        @AttributeDefinition(name = "Compress on ingest: minimum size (KiB)", description = "Images whose Pixel Data "
                + "is smaller are stored as received.", min = "0")
        long compressOnIngestMinimumKiB() default 0;

        @AttributeDefinition(name = "Compress on ingest: allow lossy", description = "Accept a lossy syntax in "
                + "Compress on ingest (the archive then keeps only the lossy copy, marked Lossy Image Compression 01 "
                + "under the same SOP Instance UID). Off: a lossy syntax is refused when the archive starts.")
        boolean compressOnIngestAllowLossy() default false;

        @AttributeDefinition(name = "Compress on ingest: verify", description = "Decode every compressed frame and "
                + "compare it with the received pixels before storing the compressed form (lossless syntaxes); "
                + "any difference stores the object as received.")
        boolean compressOnIngestVerify() default true;

        @AttributeDefinition(name = "Act on rejection notes", description = "IHE IOCM: a Key Object Selection "
                + "document titled (113001, DCM, \"Rejected for Quality Reasons\"), 113037 (Patient Safety), 113038 "
                + "(Incorrect Modality Worklist Entry) or 113039 (Data Retention Policy Expired) deletes the instances "
                + "it references from the archive once it is stored; the note itself is kept. Off: such notes are "
                + "stored like any other object and delete nothing.")
        boolean rejectionNotes() default false;

        @AttributeDefinition(name = "Rejected instances sent again", description = "With rejection notes on, the "
                + "archive remembers every instance a note rejected (also one it never received). When such an "
                + "instance arrives again it is REJECTed (C-STORE 0124 Refused: Not authorized, HTTP 409; the log "
                + "names the note) or ACCEPTed: stored again and its rejection forgotten.")
        RejectedInstancePolicy rejectedInstances() default RejectedInstancePolicy.REJECT;
    }

    private final ArchiveIndex index;
    private final EventAdmin events;
    private final Map<String, StorageBackend> storages = new ConcurrentHashMap<>();
    private final AtomicReference<Transcoder> transcoder = new AtomicReference<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService committer;
    private final Ingest ingest;
    private final StudyStableTracker stable;
    private final boolean rejectionNotes;

    @Activate
    public ArchiveComponent(@Reference ArchiveIndex index, @Reference EventAdmin events, Config config) {
        this.index = index;
        this.events = events;
        ArchiveSettings settings = ArchiveSettings.of(config);
        this.rejectionNotes = config.rejectionNotes();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mosaic-archive-study-stable");
            t.setDaemon(true);
            return t;
        });
        IngestCompressor compressor = new IngestCompressor(settings.compression(), transcoder::get, SPOOL_MEMORY_LIMIT,
                Path.of(System.getProperty("java.io.tmpdir")));
        AtomicInteger committers = new AtomicInteger();
        this.committer = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mosaic-object-commit-" + committers.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.ingest = new Ingest(index, storages::get, settings, compressor, Clock.systemUTC(), committer);
        this.stable = new StudyStableTracker(scheduler, settings.studyStableMillis(), this::postStable);
        LOG.info("Archive storing to '{}', duplicates {}, {} coercion rule(s), study stable after {} s, "
                + "compress on ingest {}", settings.storageId(), settings.duplicatePolicy(), settings.coercions().size(),
                config.studyStableSeconds(), settings.compression().describe());
        if (settings.compression().lossy()) {
            LOG.warn("Compress on ingest is LOSSY ({}): only the degraded copy of each image is kept",
                    settings.compression().describe());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        scheduler.shutdownNow();
        // commits under way finish: each ingest waits for its own; later ones run on the ingesting thread
        committer.shutdown();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        committer.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStorage(StorageBackend backend, Map<String, Object> properties) {
        String id = String.valueOf(properties.getOrDefault(StorageBackend.ID_PROPERTY, backend.id()));
        storages.put(id, backend);
    }

    void removeStorage(StorageBackend backend, Map<String, Object> properties) {
        storages.values().removeIf(b -> b == backend);
    }

    /** Optional: compression on ingest uses it while one is registered; an ingest keeps the one it started with. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTranscoder(Transcoder t) {
        transcoder.set(t);
    }

    void unbindTranscoder(Transcoder t) {
        transcoder.compareAndSet(t, null);
    }

    @Override
    public StoreResult store(StoreRequest request, InputStream stream) throws ArchiveException {
        Ingest.Stored stored = ingest.store(request, stream);
        if (stored.outcome() == null) {
            if (rejectionNotes && UID.KeyObjectSelectionDocumentStorage.equals(stored.header().getString(Tag.SOPClassUID))) {
                // A note sent again is applied again, so what a crash interrupted gets finished. Only the
                // identification part of a duplicate was read: the note's content comes from the copy stored.
                storedRejectionNote(stored.existing()).ifPresent(note -> reject(note, request.callingAeTitle()));
            }
            return new StoreResult(StoreResult.Outcome.DUPLICATE_IGNORED, stored.existing(), stored.warnings());
        }
        RecordOutcome outcome = stored.outcome();
        InstanceRecord record = outcome.instance();
        String modality = stored.header().getString(Tag.Modality);
        postStored(request, record, stored, outcome, modality);
        stable.instanceStored(record.studyInstanceUid(), modality, outcome.studyInstanceCount(), request.callingAeTitle());
        if (rejectionNotes) {
            // Applied before the note's C-STORE is answered: whoever sent it may query next.
            RejectionNote.of(stored.header()).ifPresent(note -> reject(note, request.callingAeTitle()));
        }
        return new StoreResult(outcome.replaced() != null ? StoreResult.Outcome.REPLACED : StoreResult.Outcome.STORED,
                record, stored.warnings());
    }

    private void postStored(StoreRequest request, InstanceRecord record, Ingest.Stored stored, RecordOutcome outcome,
                            String modality) {
        Map<String, Object> props = new HashMap<>();
        props.put(ArchiveEvents.STUDY_INSTANCE_UID, record.studyInstanceUid());
        props.put(ArchiveEvents.SERIES_INSTANCE_UID, record.seriesInstanceUid());
        props.put(ArchiveEvents.SOP_INSTANCE_UID, record.sopInstanceUid());
        props.put(ArchiveEvents.SOP_CLASS_UID, record.sopClassUid());
        props.put(ArchiveEvents.SOURCE, request.source());
        putIfPresent(props, ArchiveEvents.MODALITY, modality);
        putIfPresent(props, ArchiveEvents.BODY_PART, stored.header().getString(Tag.BodyPartExamined));
        putIfPresent(props, ArchiveEvents.CALLING_AE_TITLE, request.callingAeTitle());
        events.postEvent(new Event(ArchiveEvents.INSTANCE_STORED, props));

        Map<String, Object> series = new HashMap<>();
        series.put(ArchiveEvents.STUDY_INSTANCE_UID, record.studyInstanceUid());
        series.put(ArchiveEvents.SERIES_INSTANCE_UID, record.seriesInstanceUid());
        series.put(ArchiveEvents.INSTANCE_COUNT, outcome.seriesInstanceCount());
        putIfPresent(series, ArchiveEvents.MODALITY, modality);
        events.postEvent(new Event(ArchiveEvents.SERIES_UPDATED, series));

        Map<String, Object> study = new HashMap<>();
        study.put(ArchiveEvents.STUDY_INSTANCE_UID, record.studyInstanceUid());
        study.put(ArchiveEvents.INSTANCE_COUNT, outcome.studyInstanceCount());
        events.postEvent(new Event(ArchiveEvents.STUDY_UPDATED, study));
    }

    private void postStable(StudyStableTracker.StableStudy s) {
        Map<String, Object> props = new HashMap<>();
        props.put(ArchiveEvents.STUDY_INSTANCE_UID, s.studyInstanceUid());
        props.put(ArchiveEvents.MODALITIES, s.modalities().toArray(String[]::new));
        props.put(ArchiveEvents.INSTANCE_COUNT, s.instanceCount());
        putIfPresent(props, ArchiveEvents.CALLING_AE_TITLE, s.lastCallingAe());
        events.postEvent(new Event(ArchiveEvents.STUDY_STABLE, props));
    }

    private static void putIfPresent(Map<String, Object> props, String key, String value) {
        if (value != null && !value.isBlank()) {
            props.put(key, value);
        }
    }

    @Override
    public StoredInstance open(String sopInstanceUid) throws ArchiveException {
        InstanceRecord record;
        try {
            record = index.findInstance(sopInstanceUid)
                    .orElseThrow(() -> new ArchiveException(Reason.NOT_FOUND, "no instance " + sopInstanceUid));
        } catch (IndexException e) {
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "index failure: " + e.getMessage(), e);
        }
        StorageBackend storage = storages.get(record.storageId());
        if (storage == null) {
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "storage " + record.storageId() + " not available");
        }
        try {
            InputStream in = storage.open(record.storageKey());
            return new StoredInstance() {
                @Override
                public InstanceRecord record() {
                    return record;
                }

                @Override
                public InputStream stream() {
                    return in;
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        } catch (IOException e) {
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "cannot read " + record.storageKey() + " from storage "
                    + record.storageId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Deletion delete(String studyInstanceUid, String seriesInstanceUid) throws ArchiveException {
        if (studyInstanceUid == null || studyInstanceUid.isBlank()) {
            throw new ArchiveException(Reason.MISSING_ATTRIBUTE, "no Study Instance UID given");
        }
        String what = seriesInstanceUid == null ? "study " + studyInstanceUid
                : "series " + seriesInstanceUid + " of study " + studyInstanceUid;
        List<InstanceRecord> records;
        try {
            records = index.findInstances(studyInstanceUid, seriesInstanceUid);
        } catch (IndexException e) {
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "index failure: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new ArchiveException(Reason.NOT_FOUND, "no " + what);
        }
        Removals removals = new Removals();
        try {
            for (InstanceRecord listed : records) {
                removals.remove(listed.sopInstanceUid()); // false: deleted meanwhile by someone else
            }
        } catch (IndexException e) {
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "index failure after deleting " + removals.removed
                    + " of " + records.size() + " instances of " + what + ": " + e.getMessage(), e);
        } finally {
            removals.announce();
        }
        LOG.info("Deleted {}: {} instance(s){}", what, removals.removed, removals.leftInStorage());
        return new Deletion(studyInstanceUid, seriesInstanceUid, removals.removed, removals.series(),
                removals.notDeleted);
    }

    /**
     * Deletes the instances a rejection note lists (IHE RAD-66, 4.66.4.1.3: an archive that hides
     * rejected instances offers them no more; this one deletes them at once) and remembers them as
     * rejected, those it does not hold too, so that a copy sent later is refused
     * ({@link RejectedInstancePolicy}). Each is remembered before it is deleted: a crash in between
     * leaves it rejected and still stored, and the note sent again (an ignored or replaced
     * duplicate) finishes the job. A reference whose study or series disagrees with what the
     * archive holds under that SOP Instance UID is left alone and logged: the note may be wrong,
     * and a deletion cannot be undone. The note has been stored already, so a failure here is
     * logged, not answered.
     */
    private void reject(RejectionNote note, String callingAe) {
        Removals removals = new Removals();
        Instant now = Instant.now();
        int absent = 0;
        int mismatched = 0;
        int remembered = 0;
        try {
            for (RejectionNote.Reference ref : note.references()) {
                if (ref.sopInstanceUid() == null || ref.sopInstanceUid().equals(note.sopInstanceUid())) {
                    continue;
                }
                Optional<InstanceRecord> held = index.findInstance(ref.sopInstanceUid());
                if (held.isPresent() && (!held.get().studyInstanceUid().equals(ref.studyInstanceUid())
                        || !held.get().seriesInstanceUid().equals(ref.seriesInstanceUid()))) {
                    mismatched++;
                    LOG.warn("Rejection note {} lists instance {} under study {} series {}, but the archive holds it in"
                            + " study {} series {}: not deleted", note.sopInstanceUid(), ref.sopInstanceUid(),
                            ref.studyInstanceUid(), ref.seriesInstanceUid(), held.get().studyInstanceUid(),
                            held.get().seriesInstanceUid());
                    continue;
                }
                index.recordRejection(new Rejection(ref.sopInstanceUid(), ref.studyInstanceUid(),
                        ref.seriesInstanceUid(), note.code(), note.sopInstanceUid(), now));
                remembered++;
                if (held.isEmpty() || !removals.remove(ref.sopInstanceUid())) {
                    absent++;
                }
            }
        } catch (IndexException e) {
            LOG.error("Rejection note {} ({}) from {}: index failure after deleting {} of {} instance(s); the rest"
                    + " stay: {}", note.sopInstanceUid(), note.meaning(), callingAe, removals.removed,
                    note.references().size(), e.getMessage());
        } finally {
            removals.announce();
        }
        LOG.info("Rejection note {} ({} {}) from {}: deleted {} of {} referenced instance(s){}{}{}; {} remembered as"
                + " rejected", note.sopInstanceUid(), note.code(), note.meaning(), callingAe, removals.removed,
                note.references().size(), absent == 0 ? "" : ", " + absent + " not held",
                mismatched == 0 ? "" : ", " + mismatched + " held under another study or series (kept)",
                removals.leftInStorage(), remembered);
    }

    private Optional<RejectionNote> storedRejectionNote(InstanceRecord note) {
        try (StoredInstance stored = open(note.sopInstanceUid());
             DicomReader reader = DicomReader.open(stored.stream(), ReadOptions.defaults())) {
            return RejectionNote.of(reader.readDataSet());
        } catch (ArchiveException | IOException e) {
            LOG.warn("Rejection note {} was sent again, but its stored copy cannot be read, so it is not applied again: {}",
                    note.sopInstanceUid(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Instances leaving the archive, one by one: index first, storage second, so that a crash in
     * between leaves an unreferenced object (space), never an index row without its object. The
     * events follow once all are gone ({@link #announce()}).
     */
    private final class Removals {
        /** study, then series, then the number of instances removed from it */
        final Map<String, Map<String, Integer>> perStudy = new LinkedHashMap<>();
        final List<String> notDeleted = new ArrayList<>();
        int removed;

        /**
         * Removes one instance; false when the index no longer has it. The object deleted is the
         * one the index removed, which a replacement may have changed since it was listed.
         */
        boolean remove(String sopInstanceUid) throws IndexException {
            Optional<InstanceRecord> gone = index.removeInstance(sopInstanceUid);
            if (gone.isEmpty()) {
                return false;
            }
            removed++;
            perStudy.computeIfAbsent(gone.get().studyInstanceUid(), k -> new LinkedHashMap<>())
                    .merge(gone.get().seriesInstanceUid(), 1, Integer::sum);
            deleteObject(gone.get(), notDeleted);
            return true;
        }

        List<String> series() {
            return perStudy.values().stream().flatMap(s -> s.keySet().stream()).distinct().toList();
        }

        String leftInStorage() {
            return notDeleted.isEmpty() ? "" : ", " + notDeleted.size() + " object(s) left in storage (see warnings)";
        }

        void announce() {
            perStudy.forEach((study, perSeries) -> postDeleted(study, perSeries,
                    perSeries.values().stream().mapToInt(Integer::intValue).sum()));
        }
    }

    private void deleteObject(InstanceRecord record, List<String> notDeleted) {
        String location = record.storageId() + ":" + record.storageKey();
        StorageBackend storage = storages.get(record.storageId());
        try {
            if (storage == null) {
                throw new IOException("storage " + record.storageId() + " is not available");
            }
            storage.delete(record.storageKey());
        } catch (IOException e) {
            notDeleted.add(location);
            LOG.warn("Instance {} left the index, but its object {} could not be deleted: {}", record.sopInstanceUid(),
                    location, e.getMessage());
        }
    }

    private void postDeleted(String studyUid, Map<String, Integer> perSeries, int removed) {
        if (removed == 0) {
            return;
        }
        for (Map.Entry<String, Integer> e : perSeries.entrySet()) {
            Map<String, Object> series = new HashMap<>();
            series.put(ArchiveEvents.STUDY_INSTANCE_UID, studyUid);
            series.put(ArchiveEvents.SERIES_INSTANCE_UID, e.getKey());
            series.put(ArchiveEvents.INSTANCE_COUNT, e.getValue());
            events.postEvent(new Event(ArchiveEvents.SERIES_DELETED, series));
        }
        boolean studyGone;
        try {
            studyGone = index.findInstances(studyUid, null).isEmpty();
        } catch (IndexException e) {
            LOG.warn("Cannot tell whether study {} has instances left, so no STUDY_DELETED event: {}", studyUid,
                    e.getMessage());
            return;
        }
        if (studyGone) {
            stable.forget(studyUid);
            Map<String, Object> study = new HashMap<>();
            study.put(ArchiveEvents.STUDY_INSTANCE_UID, studyUid);
            study.put(ArchiveEvents.INSTANCE_COUNT, removed);
            events.postEvent(new Event(ArchiveEvents.STUDY_DELETED, study));
        }
    }
}
