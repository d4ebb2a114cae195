package org.mosaicpacs.ai.pipeline.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;


import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;

/** Test doubles: an index and an archive in memory. */
final class Fakes {

    private Fakes() {
    }

    /** One indexed instance with the series attributes rules look at. */
    record Instance(String study, String series, String sop, String sopClass, String modality, String bodyPart) {
        InstanceRecord record() {
            return new InstanceRecord(study, series, sop, sopClass, "1.2.840.10008.1.2.1", "fs", sop, 100, "MD5", "00",
                    Instant.EPOCH);
        }
    }

    /** An index over a list of instances: series-level queries by study, and findInstances. */
    static final class Index implements ArchiveIndex {
        final List<Instance> instances = new CopyOnWriteArrayList<>();

        void add(String study, String series, String sop, String sopClass, String modality, String bodyPart) {
            instances.add(new Instance(study, series, sop, sopClass, modality, bodyPart));
        }

        @Override
        public RecordOutcome record(DataSet header, StoredObject object, String ts, Instant received, boolean replace) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<InstanceRecord> findInstance(String sop) {
            return instances.stream().filter(i -> i.sop().equals(sop)).map(Instance::record).findFirst();
        }

        @Override
        public List<InstanceRecord> findInstances(String study, String series) {
            return instances.stream().filter(i -> i.study().equals(study) && (series == null || i.series().equals(series)))
                    .map(Instance::record).toList();
        }

        @Override
        public QueryResults query(IndexQuery query) {
            if (query.level() != QueryLevel.SERIES) {
                throw new UnsupportedOperationException("only series queries");
            }
            String study = query.keys().getString(Tag.StudyInstanceUID);
            Map<String, DataSet> series = new LinkedHashMap<>();
            for (Instance i : instances) {
                if (i.study().equals(study)) {
                    DataSet ds = new DataSet();
                    ds.setString(Tag.SeriesInstanceUID, VR.UI, i.series());
                    ds.setString(Tag.Modality, VR.CS, i.modality());
                    if (i.bodyPart() != null) {
                        ds.setString(Tag.BodyPartExamined, VR.CS, i.bodyPart());
                    }
                    series.putIfAbsent(i.series(), ds);
                }
            }
            Iterator<DataSet> it = series.values().iterator();
            return new QueryResults() {
                @Override
                public boolean limitReached() {
                    return false;
                }

                @Override
                public void close() {
                }

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public DataSet next() {
                    return it.next();
                }
            };
        }

        @Override
        public Optional<InstanceRecord> removeInstance(String sop) {
            throw new UnsupportedOperationException();
        }
    }

    /** An archive that parses what it is given and indexes it; it can be told to refuse. */
    static final class Store implements Archive {
        final Index index;
        final List<DataSet> stored = new CopyOnWriteArrayList<>();
        final List<String> sources = new CopyOnWriteArrayList<>();
        volatile ArchiveException refuse;

        Store(Index index) {
            this.index = index;
        }

        @Override
        public StoreResult store(StoreRequest request, InputStream stream) throws ArchiveException {
            if (refuse != null) {
                throw refuse;
            }
            try (DicomReader r = DicomReader.open(stream, ReadOptions.loadAll())) {
                DataSet ds = r.readDataSet();
                stored.add(ds);
                sources.add(request.source());
                index.add(ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SeriesInstanceUID),
                        ds.getString(Tag.SOPInstanceUID), ds.getString(Tag.SOPClassUID), ds.getString(Tag.Modality), null);
                Instance i = index.instances.get(index.instances.size() - 1);
                return new StoreResult(StoreResult.Outcome.STORED, i.record(), List.of());
            } catch (IOException e) {
                throw new ArchiveException(ArchiveException.Reason.CANNOT_UNDERSTAND, e.getMessage(), e);
            }
        }

        @Override
        public StoredInstance open(String sopInstanceUid) {
            throw new UnsupportedOperationException();
        }
    }

    static List<String> sopUids(List<DataSet> objects) {
        List<String> out = new ArrayList<>();
        objects.forEach(o -> out.add(o.getString(Tag.SOPInstanceUID)));
        return out;
    }
}
