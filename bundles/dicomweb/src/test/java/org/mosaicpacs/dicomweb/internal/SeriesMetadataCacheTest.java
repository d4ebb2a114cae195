package org.mosaicpacs.dicomweb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.archive.ArchiveEvents;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.osgi.service.event.Event;

/** The events that keep the metadata cache ahead of the viewer: a rebuild after an update, none after a deletion. */
class SeriesMetadataCacheTest {

    /** An index with no instances that counts how often a series is listed (each prebuild lists it once). */
    private static final class CountingIndex implements ArchiveIndex {
        final AtomicInteger listed = new AtomicInteger();

        @Override
        public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                                    boolean replaceExisting) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<InstanceRecord> findInstance(String sopInstanceUid) {
            return Optional.empty();
        }

        @Override
        public List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) {
            listed.incrementAndGet();
            return List.of();
        }

        @Override
        public QueryResults query(IndexQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<InstanceRecord> removeInstance(String sopInstanceUid) {
            return Optional.empty();
        }
    }

    private static Event event(String topic) {
        return new Event(topic, Map.of(ArchiveEvents.STUDY_INSTANCE_UID, "1.2", ArchiveEvents.SERIES_INSTANCE_UID, "1.2.3"));
    }

    @Test
    void anUpdatedSeriesIsRebuiltAndADeletedOneIsNot() throws Exception {
        CountingIndex index = new CountingIndex();
        SeriesMetadataCache cache = new SeriesMetadataCache(new InstanceAccess(index), 1 << 20, 1024, 1);
        try {
            cache.handleEvent(event(ArchiveEvents.SERIES_UPDATED));
            Thread.sleep(1600);
            assertThat(index.listed).hasValue(1);

            // deleted before its rebuild was due: the rebuild is cancelled
            cache.handleEvent(event(ArchiveEvents.SERIES_UPDATED));
            cache.handleEvent(event(ArchiveEvents.SERIES_DELETED));
            Thread.sleep(1600);
            assertThat(index.listed).hasValue(1);
            assertThat(cache.size()).isZero();
        } finally {
            cache.deactivate();
        }
    }
}
