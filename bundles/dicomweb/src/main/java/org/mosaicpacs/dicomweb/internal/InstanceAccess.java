package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Finds stored instances through the index and opens their bytes in the storage backend that
 * holds them, sequentially (whole-instance retrieval) or by random access (frames, bulk data).
 * Unknown UIDs, and UIDs that do not belong to the study or series of the URL, are 404.
 */
@Component(service = InstanceAccess.class)
public class InstanceAccess {

    private final ArchiveIndex index;
    private final Map<String, StorageBackend> storages = new ConcurrentHashMap<>();

    @Activate
    public InstanceAccess(@Reference ArchiveIndex index) {
        this.index = index;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStorage(StorageBackend backend, Map<String, Object> properties) {
        storages.put(String.valueOf(properties.getOrDefault(StorageBackend.ID_PROPERTY, backend.id())), backend);
    }

    void removeStorage(StorageBackend backend) {
        storages.values().removeIf(b -> b == backend);
    }

    QueryResults query(IndexQuery query) throws IndexException {
        return index.query(query);
    }

    /** The instances of a study, or of one of its series; 404 if there are none. */
    List<InstanceRecord> instances(String studyUid, String seriesUid) throws IndexException {
        List<InstanceRecord> records = index.findInstances(studyUid, seriesUid);
        if (records.isEmpty()) {
            throw DicomWebException.notFound(seriesUid == null ? "no study " + studyUid
                    : "no series " + seriesUid + " in study " + studyUid);
        }
        return records;
    }

    /** One instance, which must belong to the study and series named (null: not checked). */
    InstanceRecord instance(String studyUid, String seriesUid, String sopInstanceUid) throws IndexException {
        InstanceRecord record = index.findInstance(sopInstanceUid).orElse(null);
        if (record == null || studyUid != null && !record.studyInstanceUid().equals(studyUid)
                || seriesUid != null && !record.seriesInstanceUid().equals(seriesUid)) {
            throw DicomWebException.notFound("no instance " + sopInstanceUid
                    + (seriesUid != null ? " in series " + seriesUid : "")
                    + (studyUid != null ? " of study " + studyUid : ""));
        }
        return record;
    }

    InputStream openStream(InstanceRecord record) throws IOException {
        try {
            return storage(record).open(record.storageKey());
        } catch (NoSuchFileException e) {
            throw missing(record, e);
        }
    }

    SeekableByteChannel openChannel(InstanceRecord record) throws IOException {
        try {
            return storage(record).openChannel(record.storageKey());
        } catch (NoSuchFileException e) {
            throw missing(record, e);
        }
    }

    private StorageBackend storage(InstanceRecord record) {
        StorageBackend storage = storages.get(record.storageId());
        if (storage == null) {
            throw new DicomWebException(503, "storage " + record.storageId() + " holding instance "
                    + record.sopInstanceUid() + " is not available now");
        }
        return storage;
    }

    private static DicomWebException missing(InstanceRecord record, IOException e) {
        return new DicomWebException(500, "instance " + record.sopInstanceUid() + " is indexed but its object "
                + record.storageKey() + " is missing from storage " + record.storageId(), e);
    }
}
