package org.mosaicpacs.archive.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.ArchiveException.Reason;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicateInstanceException;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.api.storage.ObjectDescriptor;
import org.mosaicpacs.api.storage.ObjectWriter;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.api.storage.StorageException;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UidRegistry;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.BulkDataMode;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.support.io.Spool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One object's way into the archive.
 *
 * <ol>
 * <li>The identification part of the data set (everything up to the end of group 0020; large
 *     binary values in it are located, not parsed) is read while its raw bytes are kept in
 *     memory, up to the header memory limit.</li>
 * <li>The UIDs are checked against what the sender announced, the duplicate policy decides,
 *     coercion rules apply, and a storage object is opened: File Meta Information, then the
 *     identification part (re-encoded only if coerced), then the raw bytes already read.</li>
 * <li>The rest of the data set is parsed for its structure while every byte flows unchanged
 *     into storage; bulk values are never held in memory. A truncated or malformed data set
 *     fails here, and nothing of it is kept.</li>
 * <li>The storage object is committed (made durable and visible) while the index writes its rows;
 *     the index commits them only once the object is committed, and only then does the caller
 *     learn of success.</li>
 * </ol>
 *
 * <p>With compression on ingest ({@link CompressionPolicy}), an uncompressed object of a chosen
 * modality goes to an {@link Spool} instead (memory, then a temporary file) until it is
 * complete and parsed; {@link IngestCompressor} then produces its compressed form, and whichever
 * form it chose is copied into storage and committed as above. Memory stays bounded: the spool
 * limit, and about one frame in the transcoder.
 */
final class Ingest {

    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);
    /** Values larger than this are bulk data: streamed through, never kept in memory. */
    private static final long BULK_THRESHOLD = 16 * 1024;
    private static final URI RECEIVED = URI.create("urn:mosaic:received");
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    /** What {@link #store} returns: the index outcome (null for an ignored duplicate) and the sender's context. */
    record Stored(RecordOutcome outcome, InstanceRecord existing, DataSet header, List<String> warnings) {
    }

    private final ArchiveIndex index;
    private final Function<String, StorageBackend> storages;
    private final ArchiveSettings settings;
    private final IngestCompressor compressor;
    private final Clock clock;
    private final Executor committer;

    /**
     * @param committer runs storage commits (fdatasync, rename) while the index writes its rows; a
     *                  commit it refuses runs on the ingesting thread
     */
    Ingest(ArchiveIndex index, Function<String, StorageBackend> storages, ArchiveSettings settings,
           IngestCompressor compressor, Clock clock, Executor committer) {
        this.index = index;
        this.storages = storages;
        this.settings = settings;
        this.compressor = compressor;
        this.clock = clock;
        this.committer = committer;
    }

    Stored store(StoreRequest request, InputStream source) throws ArchiveException {
        Instant received = clock.instant();
        TeeInputStream tee = new TeeInputStream(source, settings.headerLimitBytes());
        ObjectWriter writer = null;
        try (DicomReader reader = request.part10()
                ? DicomReader.open(tee, readOptions())
                : DicomReader.open(tee, transferSyntax(request.transferSyntaxUid()), readOptions())) {
            DataSet header = new DataSet();
            // Up to the end of group 0020, large binary values included (a vendor's private blob in
            // group 0009 or 0019): they are located, not parsed, and the UIDs come after them.
            reader.readInto(header, (tag, vr, length) -> Integer.compareUnsigned(tag, CoercionRule.LAST_COERCIBLE_TAG) > 0);
            TransferSyntax ts = reader.transferSyntax();
            Identity id = identify(header, request);

            refuseIfRejected(id.sopInstanceUid, request, source);
            Optional<InstanceRecord> existing = index.findInstance(id.sopInstanceUid);
            if (existing.isPresent() && settings.duplicatePolicy() != DuplicatePolicy.REPLACE) {
                drain(source);
                if (settings.duplicatePolicy() == DuplicatePolicy.REJECT) {
                    throw new ArchiveException(Reason.DUPLICATE_REJECTED, "SOP Instance already stored");
                }
                return new Stored(null, existing.get(), header, List.of());
            }

            List<String> warnings = new ArrayList<>();
            Received rest = new Received(reader, tee, header, id, ts, request.callingAeTitle(),
                    coerce(header, request, ts, tee, warnings));

            StorageBackend storage = storages.apply(settings.storageId());
            if (storage == null) {
                throw new ArchiveException(Reason.PROCESSING_FAILURE, "storage " + settings.storageId() + " not available");
            }
            ObjectDescriptor descriptor = new ObjectDescriptor(id.studyInstanceUid, id.seriesInstanceUid,
                    id.sopInstanceUid, received);
            Transcoder transcoder = compressor.transcoderFor(header, ts);
            if (transcoder == null) {
                // Stored as received, streaming: nothing but the identification part is held in memory.
                writer = storage.create(descriptor, -1);
                rest.into(writer.stream());
                Optional<StoredObject> finished = writer.finish();
                if (finished.isEmpty()) {
                    StoredObject stored = writer.commit();
                    writer = null;
                    return new Stored(record(header, stored, CompletableFuture.completedFuture(stored), ts.uid(), received,
                            storage), null, header, warnings);
                }
                // The storage makes the object durable while the index writes its rows; the index
                // commits them only after that (ArchiveIndex.record with a Future).
                CompletableFuture<StoredObject> durable = commitMeanwhile(writer);
                writer = null;
                return new Stored(record(header, finished.get(), durable, ts.uid(), received, storage), null, header,
                        warnings);
            }
            // A compression candidate is received completely before anything is stored, so that it can
            // still be stored exactly as received if compression fails.
            try (Spool spool = compressor.newSpool()) {
                rest.into(spool.stream());
                String sender = request.callingAeTitle() == null || request.callingAeTitle().isBlank()
                        ? request.source() : request.callingAeTitle().trim();
                String what = UidRegistry.nameOf(id.sopClassUid) + " from " + sender;
                try (IngestCompressor.Compressed compressed = compressor.compress(transcoder, spool, header, ts,
                        (out, tsUid) -> writeFileMetaInformation(out, id, tsUid, request.callingAeTitle()), what)) {
                    Spool bytes = compressed != null ? compressed.bytes() : spool;
                    writer = storage.create(descriptor, bytes.size());
                    StoredObject stored = commit(bytes, writer);
                    writer = null;
                    DataSet indexed = compressed != null ? compressed.header() : header;
                    String storedTs = compressed != null ? compressed.transferSyntaxUid() : ts.uid();
                    return new Stored(record(indexed, stored, CompletableFuture.completedFuture(stored), storedTs, received,
                            storage), null, indexed, warnings);
                }
            }
        } catch (ArchiveException e) {
            drain(source);
            throw e;
        } catch (StorageFullException e) {
            drain(source);
            throw new ArchiveException(Reason.OUT_OF_RESOURCES, "storage full", e);
        } catch (StorageException e) {
            drain(source);
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "storage failure: " + e.getMessage(), e);
        } catch (IndexException e) {
            drain(source);
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "index failure: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            drain(source);
            IOException sinkFailure = tee.sinkFailure();
            if (sinkFailure instanceof StorageFullException) {
                throw new ArchiveException(Reason.OUT_OF_RESOURCES, "storage full", sinkFailure);
            }
            if (sinkFailure != null) {
                throw new ArchiveException(Reason.PROCESSING_FAILURE, "storage write failed: " + sinkFailure.getMessage(),
                        sinkFailure);
            }
            if (e instanceof RuntimeException && !(e instanceof IllegalArgumentException)) {
                LOG.error("Unexpected failure while storing an object from {}", request.source(), e);
                throw new ArchiveException(Reason.PROCESSING_FAILURE, "internal error: " + e, e);
            }
            throw new ArchiveException(Reason.CANNOT_UNDERSTAND, "cannot parse data set: " + e.getMessage(), e);
        } finally {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    LOG.warn("Could not discard an incomplete object: {}", e.toString());
                }
            }
        }
    }

    /** How the data sets of the archive are parsed: bulk values are located, never read into memory. */
    static ReadOptions readOptions() {
        return ReadOptions.defaults()
                // Bulk values are not read: skipping them still copies them through the tee.
                .withBulkDataHandler((header, value) -> new BulkData(RECEIVED, header.position(), header.length(),
                        header.bigEndian()))
                .withBulkDataMode(BulkDataMode.HANDLER)
                .withBulkDataThreshold(BULK_THRESHOLD);
    }

    /**
     * The rest of an object once its destination is decided: File Meta Information, the
     * identification part (re-encoded if coerced, else as received), then every further byte as
     * it arrives, parsed for its structure on the way. A truncated or malformed data set fails here.
     */
    private record Received(DicomReader reader, TeeInputStream tee, DataSet header, Identity id, TransferSyntax ts,
                            String callingAe, byte[] coercedPrefix) {

        void into(OutputStream out) throws IOException {
            boolean ended = reader.event() == DicomReader.Event.END;
            long split = ended ? Long.MAX_VALUE : reader.headerPosition();
            writeFileMetaInformation(out, id, ts.uid(), callingAe);
            byte[] buffered = tee.buffered();
            if (coercedPrefix != null) {
                out.write(coercedPrefix);
                int from = (int) Math.min(split, buffered.length);
                out.write(buffered, from, buffered.length - from);
            } else {
                int start = (int) reader.dataSetPosition();
                out.write(buffered, start, buffered.length - start);
            }
            tee.switchTo(out);
            if (!ended) {
                reader.readInto(header, StopCondition.NEVER);
            }
        }
    }

    /**
     * Copies a spooled object into storage and commits it. A failure is the storage's, never the
     * sender's (the object was already parsed completely).
     */
    private static StoredObject commit(Spool bytes, ObjectWriter writer) throws ArchiveException {
        try {
            bytes.copyTo(writer.stream());
            return writer.commit();
        } catch (StorageFullException e) {
            throw new ArchiveException(Reason.OUT_OF_RESOURCES, "storage full", e);
        } catch (IOException e) {
            throw new ArchiveException(Reason.PROCESSING_FAILURE, "storage write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Commits a finished object on the committer, and discards it if that fails. The future fails
     * with the storage's exception.
     */
    private CompletableFuture<StoredObject> commitMeanwhile(ObjectWriter writer) {
        CompletableFuture<StoredObject> durable = new CompletableFuture<>();
        Runnable commit = () -> {
            try {
                durable.complete(writer.commit());
            } catch (IOException | RuntimeException e) {
                try {
                    writer.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                durable.completeExceptionally(e);
            }
        };
        try {
            committer.execute(commit);
        } catch (RejectedExecutionException e) {
            commit.run(); // the archive is stopping
        }
        return durable;
    }

    /** Waits for an object's commit; its failure is thrown as the storage's. */
    private static StoredObject awaitCommitted(CompletableFuture<StoredObject> durable) throws IOException {
        try {
            return durable.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StorageException se) {
                throw se;
            }
            if (e.getCause() instanceof IOException io) {
                // a backend breaking the contract: still the storage's failure, not the sender's data
                throw new StorageException("storage commit failed: " + io.getMessage(), io);
            }
            throw e;
        }
    }

    /**
     * Records an object in the index once {@code durable} completes (the index may write its rows
     * meanwhile). If the object failed to commit, that storage failure is what is thrown.
     */
    private RecordOutcome record(DataSet header, StoredObject stored, CompletableFuture<StoredObject> durable, String tsUid,
                                 Instant received, StorageBackend storage) throws IndexException, IOException {
        boolean replace = settings.duplicatePolicy() == DuplicatePolicy.REPLACE;
        RecordOutcome outcome;
        try {
            outcome = index.record(header, stored, tsUid, received, replace, durable);
        } catch (DuplicateInstanceException e) {
            // Another association stored the same instance between our check and now: the same
            // object, so keep one copy under the key both wrote to.
            awaitCommitted(durable);
            return new RecordOutcome(e.existing(), null, 0, 0);
        } catch (IndexException | RuntimeException e) {
            awaitCommitted(durable);
            // The object is committed but not indexed: remove it so that storage holds nothing the
            // index does not know (unless it replaced an object under the same key).
            if (!replace) {
                storage.delete(stored.key());
            }
            throw e;
        }
        InstanceRecord old = outcome.replaced();
        if (old != null && !(old.storageId().equals(stored.storageId()) && old.storageKey().equals(stored.key()))) {
            StorageBackend oldStorage = storages.apply(old.storageId());
            if (oldStorage != null) {
                oldStorage.delete(old.storageKey());
            } else {
                LOG.warn("Replaced instance's old object stays in storage {} (not available): {}", old.storageId(),
                        old.storageKey());
            }
        }
        return outcome;
    }

    /** The identifying UIDs, checked against what the sender announced (PS3.4 B.2.3 statuses). */
    private static Identity identify(DataSet header, StoreRequest request) throws ArchiveException {
        String cuid = required(header, Tag.SOPClassUID, "SOP Class UID");
        String iuid = required(header, Tag.SOPInstanceUID, "SOP Instance UID");
        String study = required(header, Tag.StudyInstanceUID, "Study Instance UID");
        String series = required(header, Tag.SeriesInstanceUID, "Series Instance UID");
        if (request.expectedSopInstanceUid() != null && !request.expectedSopInstanceUid().equals(iuid)) {
            throw new ArchiveException(Reason.DATA_SET_MISMATCH, "SOP Instance UID differs from the command's");
        }
        if (request.expectedSopClassUid() != null && !request.expectedSopClassUid().equals(cuid)) {
            throw new ArchiveException(Reason.DATA_SET_MISMATCH, "SOP Class UID differs from the command's");
        }
        return new Identity(cuid, iuid, study, series);
    }

    private static String required(DataSet header, int tag, String name) throws ArchiveException {
        String value = header.getString(tag);
        if (value == null || value.isBlank()) {
            throw new ArchiveException(Reason.MISSING_ATTRIBUTE, name + " missing");
        }
        value = value.trim();
        if (value.length() > 64 || !UID.matcher(value).matches()) {
            throw new ArchiveException(Reason.MISSING_ATTRIBUTE, name + " is not a valid UID");
        }
        return value;
    }

    private record Identity(String sopClassUid, String sopInstanceUid, String studyInstanceUid,
                            String seriesInstanceUid) {
    }

    /**
     * Applies the coercion rules to the identification part and re-encodes it if anything changed.
     *
     * @return the re-encoded identification part, or null when it is stored as received
     */
    private byte[] coerce(DataSet header, StoreRequest request, TransferSyntax ts, TeeInputStream tee,
                          List<String> warnings) {
        if (settings.coercions().isEmpty()) {
            return null;
        }
        DataSet coerced = header.deepCopy();
        List<String> changes = new ArrayList<>();
        for (CoercionRule rule : settings.coercions()) {
            String change = rule.apply(coerced, request.callingAeTitle());
            if (change != null) {
                changes.add(change);
            }
        }
        if (changes.isEmpty()) {
            return null;
        }
        if (ts.deflated()) {
            // The deflated stream cannot be split at an element: it is stored as received.
            warnings.add("coercion not applied to a deflated data set");
            return null;
        }
        try {
            ByteArrayOutputStream prefix = new ByteArrayOutputStream();
            // Large values of the identification part are still in the buffered bytes they were read from.
            byte[] received = tee.buffered();
            DicomWriter w = DicomWriter.create(prefix, ts, WriteOptions.defaults().withBulkDataResolver(bulk -> {
                if (!RECEIVED.equals(bulk.uri()) || bulk.offset() + bulk.length() > received.length) {
                    throw new IOException("bulk data " + bulk.toUriString() + " is not in the received identification part");
                }
                return new ByteArrayInputStream(received, (int) bulk.offset(), (int) bulk.length());
            }));
            w.writeDataSet(coerced);
            w.flush();
            header.removeRange(0, -1);
            header.addAll(coerced);
            warnings.addAll(changes);
            return prefix.toByteArray();
        } catch (IOException | IllegalArgumentException e) {
            warnings.add("coercion not applied: " + e.getMessage());
            return null;
        }
    }

    private static void writeFileMetaInformation(OutputStream out, Identity id, String tsUid, String callingAe)
            throws IOException {
        DataSet fmi = FileMetaInformation.create(id.sopClassUid, id.sopInstanceUid, tsUid);
        if (callingAe != null && !callingAe.isBlank()) {
            fmi.setString(Tag.SourceApplicationEntityTitle, VR.AE, callingAe.trim());
        }
        // Only the preamble and meta information are written through the writer; the data set
        // bytes follow raw, as received (for a deflated syntax, still deflated).
        DicomWriter.createPart10(out, fmi, WriteOptions.defaults());
    }

    private static TransferSyntax transferSyntax(String uid) throws ArchiveException {
        try {
            return TransferSyntax.of(uid);
        } catch (IllegalArgumentException e) {
            throw new ArchiveException(Reason.CANNOT_UNDERSTAND, "unknown transfer syntax " + uid, e);
        }
    }

    /**
     * An instance an IOCM rejection note rejected stays out (IHE RAD-66: the archive no longer
     * offers it), unless the policy accepts it again; then its rejection is forgotten first, so a
     * later copy is an ordinary duplicate.
     */
    private void refuseIfRejected(String sopInstanceUid, StoreRequest request, InputStream source)
            throws ArchiveException, IndexException {
        RejectedInstancePolicy policy = settings.rejectedInstances();
        if (policy == null) {
            return;
        }
        Optional<Rejection> rejection = index.findRejection(sopInstanceUid);
        if (rejection.isEmpty()) {
            return;
        }
        Rejection r = rejection.get();
        String sender = request.callingAeTitle() != null ? request.callingAeTitle() : request.source();
        if (policy == RejectedInstancePolicy.REJECT) {
            drain(source); // before the reader closes it: the sender's data set is read to its end
            LOG.info("Instance {} from {} refused: rejected by rejection note {}, {}, on {}", sopInstanceUid, sender,
                    r.noteUid(), r.title(), r.rejected());
            throw new ArchiveException(Reason.REJECTED_INSTANCE, refusal(r));
        }
        index.forgetRejection(sopInstanceUid);
        LOG.info("Instance {} from {}, rejected by rejection note {}, {}, on {}, is stored again (rejectedInstances ="
                + " ACCEPT)", sopInstanceUid, sender, r.noteUid(), r.title(), r.rejected());
    }

    /** Why a rejected instance is refused, in at most 64 characters for every IOCM title: a C-STORE Error Comment is LO. */
    static String refusal(Rejection r) {
        return "Rejected earlier: " + r.title();
    }

    /** Reads what the sender still sends, so that the association stays in step. */
    private static void drain(InputStream source) {
        try {
            source.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            LOG.debug("Could not drain the rest of a refused object: {}", e.toString());
        }
    }
}
