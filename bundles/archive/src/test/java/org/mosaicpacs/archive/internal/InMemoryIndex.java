package org.mosaicpacs.archive.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.DuplicateInstanceException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;

/** The instance table of an index, enough for the archive's unit tests (the real one is index-jdbc). */
final class InMemoryIndex implements ArchiveIndex {

    final Map<String, InstanceRecord> instances = new ConcurrentHashMap<>();
    final Map<String, DataSet> headers = new ConcurrentHashMap<>();
    final Map<String, Rejection> rejections = new ConcurrentHashMap<>();

    @Override
    public void recordRejection(Rejection rejection) {
        rejections.put(rejection.sopInstanceUid(), rejection);
    }

    @Override
    public Optional<Rejection> findRejection(String sopInstanceUid) {
        return Optional.ofNullable(rejections.get(sopInstanceUid));
    }

    @Override
    public boolean forgetRejection(String sopInstanceUid) {
        return rejections.remove(sopInstanceUid) != null;
    }

    @Override
    public synchronized RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid,
                                             Instant received, boolean replaceExisting) throws DuplicateInstanceException {
        InstanceRecord record = new InstanceRecord(header.getString(Tag.StudyInstanceUID),
                header.getString(Tag.SeriesInstanceUID), header.getString(Tag.SOPInstanceUID),
                header.getString(Tag.SOPClassUID), transferSyntaxUid, object.storageId(), object.key(), object.size(),
                object.checksumAlgorithm(), object.checksum(), received);
        InstanceRecord old = instances.get(record.sopInstanceUid());
        if (old != null && !replaceExisting) {
            throw new DuplicateInstanceException(old);
        }
        instances.put(record.sopInstanceUid(), record);
        headers.put(record.sopInstanceUid(), header);
        int series = (int) instances.values().stream().filter(r -> r.seriesInstanceUid().equals(record.seriesInstanceUid())).count();
        int study = (int) instances.values().stream().filter(r -> r.studyInstanceUid().equals(record.studyInstanceUid())).count();
        return new RecordOutcome(record, old, series, study);
    }

    @Override
    public Optional<InstanceRecord> findInstance(String sopInstanceUid) {
        return Optional.ofNullable(instances.get(sopInstanceUid));
    }

    @Override
    public List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) {
        return instances.values().stream().filter(r -> r.studyInstanceUid().equals(studyInstanceUid)
                && (seriesInstanceUid == null || r.seriesInstanceUid().equals(seriesInstanceUid))).toList();
    }

    @Override
    public QueryResults query(IndexQuery query) {
        throw new IllegalStateException("queries belong to index-jdbc; the archive never queries");
    }

    @Override
    public Optional<InstanceRecord> removeInstance(String sopInstanceUid) {
        headers.remove(sopInstanceUid);
        return Optional.ofNullable(instances.remove(sopInstanceUid));
    }
}
