package org.mosaicpacs.dicomweb.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.mosaicpacs.api.archive.ArchiveEvents;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Series metadata documents, precomputed: the viewer's hot path ({@code /series/{s}/metadata})
 * answers from a gzip-compressed DICOM JSON document instead of parsing every instance.
 *
 * <p>Correctness does not depend on events: each document carries a fingerprint of the series'
 * index records (UIDs, checksums, storage keys) and is used only while the index still gives the
 * same fingerprint, so an instance stored, replaced or removed on any node of a cluster is seen
 * at once. Events only make it fast: {@link ArchiveEvents#SERIES_UPDATED} drops the document and
 * schedules a rebuild a few seconds after the series' last new instance, so the viewer's first
 * request finds it ready; {@link ArchiveEvents#SERIES_DELETED} drops it and builds nothing.
 *
 * <p>Memory is bounded by the configured size of compressed documents, least recently used
 * first out.
 */
@Component(service = {SeriesMetadataCache.class, EventHandler.class}, configurationPid = DicomWebConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {EventConstants.EVENT_TOPIC + "=" + ArchiveEvents.SERIES_UPDATED,
                EventConstants.EVENT_TOPIC + "=" + ArchiveEvents.SERIES_DELETED})
public class SeriesMetadataCache implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SeriesMetadataCache.class);

    /** A built document: the series' fingerprint and its instances as comma-separated JSON objects, gzipped. */
    record Document(long fingerprint, byte[] gzip, int instances) {
    }

    private final InstanceAccess access;
    private final long maxBytes;
    private final int bulkDataThreshold;
    private final int prebuildDelaySeconds;
    private final Map<String, Document> documents = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final Map<String, Object> buildLocks = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService prebuilder;

    @Activate
    public SeriesMetadataCache(@Reference InstanceAccess access, DicomWebConfig config) {
        this(access, config.metadataCacheMegabytes() * 1024L * 1024L, config.bulkDataThresholdBytes(),
                config.metadataPrebuildDelaySeconds());
    }

    SeriesMetadataCache(InstanceAccess access, long maxBytes, int bulkDataThreshold, int prebuildDelaySeconds) {
        this.access = access;
        this.maxBytes = maxBytes;
        this.bulkDataThreshold = bulkDataThreshold;
        this.prebuildDelaySeconds = prebuildDelaySeconds;
        this.prebuilder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mosaic-dicomweb-metadata");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        prebuilder.shutdownNow();
    }

    int bulkDataThreshold() {
        return bulkDataThreshold;
    }

    /**
     * Writes the series' instances as comma-separated metadata objects (the inside of a JSON
     * array) with marked BulkDataURIs ({@link MetadataWriter}), from the cache when it is current.
     */
    void writeSeries(String studyUid, String seriesUid, List<InstanceRecord> records, OutputStream out)
            throws IOException {
        Document doc = current(studyUid, seriesUid, records);
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(doc.gzip()), 65536)) {
            in.transferTo(out);
        }
    }

    private Document current(String studyUid, String seriesUid, List<InstanceRecord> records) throws IOException {
        String key = studyUid + "/" + seriesUid;
        long fingerprint = fingerprint(records);
        Document doc = get(key);
        if (doc != null && doc.fingerprint() == fingerprint) {
            return doc;
        }
        // one build per series at a time; others wait for it rather than parse the same files
        Object lock = buildLocks.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                doc = get(key);
                if (doc != null && doc.fingerprint() == fingerprint) {
                    return doc;
                }
                doc = build(records, fingerprint);
                put(key, doc);
                return doc;
            }
        } finally {
            buildLocks.remove(key, lock);
        }
    }

    private Document build(List<InstanceRecord> records, long fingerprint) throws IOException {
        long start = System.nanoTime();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer, 65536)) {
            DicomJsonWriter writer = MetadataWriter.objectsWriter(gzip);
            for (InstanceRecord r : records) {
                DataSet metadata;
                try (InputStream in = access.openStream(r)) {
                    metadata = MetadataWriter.readMetadata(in, r, bulkDataThreshold);
                }
                MetadataWriter.writeInstance(writer, metadata, r);
            }
            writer.close();
        }
        LOG.debug("series metadata of {} instances built in {} ms ({} bytes compressed)", records.size(),
                (System.nanoTime() - start) / 1_000_000, buffer.size());
        return new Document(fingerprint, buffer.toByteArray(), records.size());
    }

    /** Identifies the series' content: which instances, and which bytes each is. */
    static long fingerprint(List<InstanceRecord> records) {
        long h = 1125899906842597L;
        for (InstanceRecord r : records) {
            h = mix(h, r.sopInstanceUid());
            h = mix(h, r.storageId());
            h = mix(h, r.storageKey());
            h = mix(h, r.checksum());
            h = 31 * h + r.size();
        }
        return h;
    }

    private static long mix(long h, String s) {
        if (s == null) {
            return 31 * h;
        }
        for (int i = 0; i < s.length(); i++) {
            h = 1099511628211L * (h ^ s.charAt(i));
        }
        return h;
    }

    private synchronized Document get(String key) {
        return documents.get(key);
    }

    private synchronized void put(String key, Document doc) {
        if (maxBytes <= 0 || doc.gzip().length > maxBytes) {
            return;
        }
        Document old = documents.put(key, doc);
        bytes += doc.gzip().length - (old != null ? old.gzip().length : 0);
        for (Iterator<Document> it = documents.values().iterator(); bytes > maxBytes && it.hasNext(); ) {
            bytes -= it.next().gzip().length;
            it.remove();
        }
    }

    private synchronized void invalidate(String key) {
        Document old = documents.remove(key);
        if (old != null) {
            bytes -= old.gzip().length;
        }
    }

    synchronized int size() {
        return documents.size();
    }

    @Override
    public void handleEvent(Event event) {
        Object study = event.getProperty(ArchiveEvents.STUDY_INSTANCE_UID);
        Object series = event.getProperty(ArchiveEvents.SERIES_INSTANCE_UID);
        if (study == null || series == null) {
            return;
        }
        String key = study + "/" + series;
        invalidate(key);
        if (ArchiveEvents.SERIES_DELETED.equals(event.getTopic())) {
            // nothing to prepare: a rebuild would only find what may be left of the series
            ScheduledFuture<?> previous = pending.remove(key);
            if (previous != null) {
                previous.cancel(false);
            }
            return;
        }
        if (prebuildDelaySeconds < 0 || maxBytes <= 0) {
            return;
        }
        // debounced: a series arriving instance by instance is built once, after its last one
        ScheduledFuture<?> next = prebuilder.schedule(() -> prebuild(study.toString(), series.toString()),
                prebuildDelaySeconds, TimeUnit.SECONDS);
        ScheduledFuture<?> previous = pending.put(key, next);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void prebuild(String studyUid, String seriesUid) {
        pending.remove(studyUid + "/" + seriesUid);
        try {
            current(studyUid, seriesUid, access.instances(studyUid, seriesUid));
        } catch (IOException | IndexException | RuntimeException e) {
            LOG.info("series metadata not prebuilt, built on first request instead: {}", e.toString());
        }
    }
}
