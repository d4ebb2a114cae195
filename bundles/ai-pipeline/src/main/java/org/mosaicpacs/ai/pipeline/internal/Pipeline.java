package org.mosaicpacs.ai.pipeline.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.mosaicpacs.api.ai.AiConnector;
import org.mosaicpacs.api.ai.AiEvents;
import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.AiRequest;
import org.mosaicpacs.api.ai.AiResult;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.osgi.service.event.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI pipeline without OSGi: turns stable studies into jobs by the rules, runs due jobs on a
 * bounded pool of workers, stores what connectors return, and decides retries.
 *
 * <p>Threads: one intake thread (rule matching and index queries for study-stable events, so
 * EventAdmin's thread is never blocked), one dispatcher thread (claims due jobs whenever a job is
 * queued or ends, and every poll interval), and {@code workers} worker threads that call the
 * connectors. Connectors and rules come and go at any time; a job running when its connector
 * disappears finishes with the connector object it started with.
 */
final class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** A registered connector. */
    record ConnectorEntry(String name, AiConnector connector, int ranking, long serviceId, Optional<Rule> defaultRule) {
    }

    private final JobStore store;
    private final ArchiveIndex index;
    private final Archive archive;
    private final InputSelector selector;
    private final Consumer<Event> events;
    private final PipelineSettings settings;
    private final Clock clock;
    private final String owner;
    private final Map<Object, ConnectorEntry> connectors = new ConcurrentHashMap<>();
    private final Map<Object, Rule> rules = new ConcurrentHashMap<>();
    private final ExecutorService intake;
    private final ScheduledExecutorService dispatcher;
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean stopping;

    Pipeline(JobStore store, ArchiveIndex index, Archive archive, Consumer<Event> events, PipelineSettings settings,
             Clock clock) {
        this.store = store;
        this.index = index;
        this.archive = archive;
        this.selector = new InputSelector(index);
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.owner = nodeName() + "/" + UUID.randomUUID();
        this.intake = Executors.newSingleThreadExecutor(threads("mosaic-ai-intake"));
        this.dispatcher = Executors.newSingleThreadScheduledExecutor(threads("mosaic-ai-dispatch"));
        this.workers = Executors.newFixedThreadPool(settings.workers(), threads("mosaic-ai-worker"));
    }

    /** Starts polling the queue. */
    void start() {
        dispatcher.scheduleWithFixedDelay(this::dispatch, 0, settings.pollMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops: running connector calls are interrupted and their jobs given back to the queue
     * without counting the attempt, so another node (or this one after a restart) runs them.
     */
    void stop() {
        stopping = true;
        intake.shutdownNow();
        dispatcher.shutdownNow();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("AI connectors still running 10 s after the pipeline stopped; their jobs are retried after the lease");
            }
            intake.awaitTermination(5, TimeUnit.SECONDS);
            dispatcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int released = store.release(owner, clock.instant());
            if (released > 0) {
                LOG.info("Gave {} running AI job(s) back to the queue", released);
            }
        } catch (SQLException e) {
            LOG.warn("Could not give running AI jobs back ({}); they are retried when their lease ends", e.getMessage());
        }
    }

    void addConnector(Object key, ConnectorEntry entry) {
        connectors.put(key, entry);
        wake();
    }

    void removeConnector(Object key) {
        connectors.remove(key);
    }

    void addRule(Object key, Rule rule) {
        rules.put(key, rule);
    }

    void removeRule(Object key) {
        rules.remove(key);
    }

    /** A study became stable: queue the jobs its rules call for (on the intake thread). */
    void studyStable(String studyUid, Collection<String> modalities, String callingAe) {
        if (!stopping) {
            intake.execute(() -> enqueue(studyUid, modalities, callingAe));
        }
    }

    /** Queues the jobs the rules call for; returns the new jobs' ids. */
    List<Long> enqueue(String studyUid, Collection<String> modalities, String callingAe) {
        List<Long> queued = new ArrayList<>();
        for (Rule rule : activeRules()) {
            if (!rule.matchesStudy(modalities, callingAe)) {
                continue;
            }
            try {
                List<InstanceRecord> inputs = selector.select(rule, studyUid, store.resultSeries(studyUid));
                if (inputs.isEmpty()) {
                    continue;
                }
                List<String> uids = inputs.stream().map(InstanceRecord::sopInstanceUid).toList();
                Optional<Long> id = store.insert(rule.connector(), rule.name(), studyUid, InputSelector.inputKey(inputs),
                        uids, rule.parameters(), callingAe, settings.maxAttempts(), clock.instant());
                if (id.isPresent()) {
                    LOG.info("AI job {} queued: connector {} (rule {}) on {} instance(s)", id.get(), rule.connector(),
                            rule.name(), uids.size());
                    queued.add(id.get());
                }
            } catch (IndexException | SQLException | RuntimeException e) {
                // The study stays stable-announced only once: log loudly so the admin can queue it by hand.
                LOG.error("Could not queue AI jobs of rule {} for a stable study: {}", rule.name(), e.toString(), e);
            }
        }
        if (!queued.isEmpty()) {
            wake();
        }
        return queued;
    }

    /** The rules in force: admin rules, and connectors' default rules if enabled. */
    List<Rule> activeRules() {
        List<Rule> all = new ArrayList<>(rules.values());
        if (settings.connectorRules()) {
            connectors.values().forEach(c -> c.defaultRule().ifPresent(all::add));
        }
        all.sort(Comparator.comparing(Rule::connector).thenComparing(Rule::name));
        return all;
    }

    /** The registered connectors, by name (the highest ranking one for a name used twice). */
    List<ConnectorEntry> connectors() {
        Map<String, ConnectorEntry> byName = new HashMap<>();
        for (ConnectorEntry e : connectors.values()) {
            byName.merge(e.name(), e, (a, b) -> better(a, b) ? a : b);
        }
        List<ConnectorEntry> list = new ArrayList<>(byName.values());
        list.sort(Comparator.comparing(ConnectorEntry::name));
        return list;
    }

    private static boolean better(ConnectorEntry a, ConnectorEntry b) {
        return a.ranking() != b.ranking() ? a.ranking() > b.ranking() : a.serviceId() < b.serviceId();
    }

    /** Makes the dispatcher look at the queue now. */
    void wake() {
        if (!stopping) {
            try {
                dispatcher.execute(this::dispatch);
            } catch (java.util.concurrent.RejectedExecutionException stoppedMeanwhile) {
                // stop() won the race: nothing to dispatch any more
            }
        }
    }

    /** Claims as many due jobs as there are idle workers and starts them. Dispatcher thread only. */
    void dispatch() {
        if (stopping) {
            return;
        }
        try {
            Instant now = clock.instant();
            for (Job failed : store.failAbandoned(now)) {
                LOG.warn("AI job {} failed: {}", failed.id(), failed.lastError());
                postFailed(failed, failed.lastError());
            }
            int idle = settings.workers() - running.get();
            Set<String> names = new TreeSet<>();
            connectors().forEach(c -> names.add(c.name()));
            for (Job job : store.claim(names, owner, now, now.plusMillis(settings.leaseMillis()), idle)) {
                running.incrementAndGet();
                workers.execute(() -> {
                    try {
                        run(job);
                    } finally {
                        running.decrementAndGet();
                        wake();
                    }
                });
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("AI job dispatch failed, next try in {} ms: {}", settings.pollMillis(), e.toString());
        }
    }

    /** One attempt of a claimed job, to its end state. Worker thread. */
    void run(Job job) {
        Optional<ConnectorEntry> connector = connectors().stream().filter(c -> c.name().equals(job.connector())).findFirst();
        try {
            if (connector.isEmpty()) {
                throw AiException.transientFailure("connector " + job.connector() + " was removed", null);
            }
            List<InstanceRecord> inputs = inputs(job);
            AiRequest request = new AiRequest(job.id(), job.connector(), job.rule(), job.studyUid(), inputs,
                    job.parameters(), job.callingAeTitle(), job.attempts());
            LOG.info("AI job {} attempt {}/{}: {} on {} instance(s)", job.id(), job.attempts(), job.maxAttempts(),
                    job.connector(), inputs.size());
            AiResult result = callWithTimeout(connector.get().connector(), request);
            List<String> stored = storeResults(job, result);
            store.complete(job.id(), owner, result.summary(), clock.instant());
            LOG.info("AI job {} completed: {} object(s) stored; {}", job.id(), stored.size(), result.summary());
            Map<String, Object> props = eventProperties(job);
            props.put(AiEvents.RESULT_SOP_INSTANCE_UIDS, stored.toArray(String[]::new));
            props.put(AiEvents.SUMMARY, result.summary());
            events.accept(new Event(AiEvents.JOB_COMPLETED, props));
        } catch (InterruptedException e) {
            if (!stopping) {
                failed(job, "interrupted", true);
            }
        } catch (AiException e) {
            failed(job, e.getMessage(), e.retryable());
        } catch (ArchiveException e) {
            boolean badObject = switch (e.reason()) {
                case CANNOT_UNDERSTAND, MISSING_ATTRIBUTE, DATA_SET_MISMATCH -> true;
                default -> false;
            };
            failed(job, "the archive refused a result (" + e.reason() + "): " + e.getMessage(), !badObject);
        } catch (IndexException | SQLException | IOException | RuntimeException e) {
            failed(job, e.toString(), true);
        }
    }

    private List<InstanceRecord> inputs(Job job) throws SQLException, IndexException, AiException {
        Set<String> wanted = store.inputs(job.id());
        List<InstanceRecord> inputs = index.findInstances(job.studyUid(), null).stream()
                .filter(i -> wanted.contains(i.sopInstanceUid())).toList();
        if (inputs.isEmpty()) {
            throw AiException.permanentFailure("none of the job's " + wanted.size() + " input instances is in the archive any more");
        }
        return inputs;
    }

    /**
     * Calls the connector on this worker thread, interrupting it when the job time-out passes. The
     * lock makes sure the interrupt never lands after the call returned (on the next job).
     */
    private AiResult callWithTimeout(AiConnector connector, AiRequest request) throws AiException, InterruptedException {
        Thread worker = Thread.currentThread();
        Object lock = new Object();
        boolean[] state = new boolean[2]; // [0] call finished, [1] timed out
        ScheduledFuture<?> watchdog = dispatcher.schedule(() -> {
            synchronized (lock) {
                if (!state[0]) {
                    state[1] = true;
                    worker.interrupt();
                }
            }
        }, settings.jobTimeoutMillis(), TimeUnit.MILLISECONDS);
        try {
            AiResult result = connector.process(request);
            if (result == null) {
                throw AiException.permanentFailure("connector " + request.connector() + " returned no result");
            }
            return result;
        } catch (InterruptedException e) {
            if (timedOut(lock, state)) {
                throw AiException.transientFailure("timed out after " + settings.jobTimeoutMillis() / 1000.0 + " s", e);
            }
            throw e;
        } catch (RuntimeException e) {
            throw AiException.transientFailure("connector failed: " + e, e);
        } finally {
            synchronized (lock) {
                state[0] = true;
            }
            watchdog.cancel(false);
            if (timedOut(lock, state)) {
                Thread.interrupted(); // clear the watchdog's interrupt: it was for this call only
            }
        }
    }

    private static boolean timedOut(Object lock, boolean[] state) {
        synchronized (lock) {
            return state[1];
        }
    }

    private List<String> storeResults(Job job, AiResult result) throws ArchiveException, SQLException, IOException,
            AiException {
        List<String> stored = new ArrayList<>();
        for (DataSet object : result.objects()) {
            String study = object.getString(Tag.StudyInstanceUID);
            String sopClass = object.getString(Tag.SOPClassUID);
            String sopInstance = object.getString(Tag.SOPInstanceUID);
            String series = object.getString(Tag.SeriesInstanceUID);
            if (!job.studyUid().equals(study) || sopClass == null || sopInstance == null || series == null) {
                throw AiException.permanentFailure("connector " + job.connector() + " returned an object without SOP "
                        + "Class, SOP Instance and Series Instance UIDs or of another study");
            }
            try (InputStream in = new ByteArrayInputStream(part10(object))) {
                StoreResult r = archive.store(StoreRequest.part10("AI " + job.connector()), in);
                LOG.debug("AI job {} stored {} ({})", job.id(), r.instance().sopInstanceUid(), r.outcome());
            }
            // Recorded at once: the study-stable event this object causes comes a stable time later and
            // must find its series marked as AI output, so that results never become input.
            store.addResult(job.id(), sopInstance, series, sopClass);
            stored.add(sopInstance);
        }
        return stored;
    }

    /** The object as a Part 10 file in Explicit VR Little Endian. */
    static byte[] part10(DataSet object) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (DicomWriter w = DicomWriter.createPart10(out,
                FileMetaInformation.forDataSet(object, UID.ExplicitVRLittleEndian), WriteOptions.defaults())) {
            w.writeDataSet(object);
        }
        return out.toByteArray();
    }

    private void failed(Job job, String error, boolean retryable) {
        Instant now = clock.instant();
        try {
            if (retryable && job.attempts() < job.maxAttempts()) {
                Instant retryAt = now.plusMillis(settings.backoffMillis(job.attempts()));
                store.retryLater(job.id(), owner, error, retryAt, now);
                LOG.warn("AI job {} attempt {}/{} failed, retry at {}: {}", job.id(), job.attempts(), job.maxAttempts(),
                        retryAt, error);
                dispatcher.schedule(this::dispatch, Math.max(0, retryAt.toEpochMilli() - now.toEpochMilli()),
                        TimeUnit.MILLISECONDS);
            } else {
                store.fail(job.id(), owner, error, now);
                LOG.error("AI job {} failed after {} attempt(s): {}", job.id(), job.attempts(), error);
                postFailed(job, error);
            }
        } catch (SQLException | java.util.concurrent.RejectedExecutionException e) {
            LOG.error("AI job {}: could not record its failure ({}); it is retried when its lease ends: {}", job.id(),
                    e.toString(), error);
        }
    }

    private void postFailed(Job job, String error) {
        Map<String, Object> props = eventProperties(job);
        props.put(AiEvents.ERROR, error == null ? "" : error);
        events.accept(new Event(AiEvents.JOB_FAILED, props));
    }

    private static Map<String, Object> eventProperties(Job job) {
        Map<String, Object> props = new HashMap<>();
        props.put(AiEvents.JOB_ID, job.id());
        props.put(AiEvents.CONNECTOR, job.connector());
        props.put(AiEvents.STUDY_INSTANCE_UID, job.studyUid());
        props.put(AiEvents.ATTEMPTS, job.attempts());
        return props;
    }

    // ---- what the REST resource and the shell see

    List<Job> jobs(JobState state, String studyUid, String connector, int limit) throws SQLException {
        return store.list(state, studyUid, connector, limit);
    }

    Optional<Job> job(long id) throws SQLException {
        return store.find(id);
    }

    /** Queues a completed or failed job again; false if it is queued or running, or unknown. */
    boolean retry(long id) throws SQLException {
        boolean requeued = store.requeue(id, clock.instant());
        if (requeued) {
            LOG.info("AI job {} queued again by an admin", id);
            wake();
        }
        return requeued;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String nodeName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "node";
        }
    }
}
