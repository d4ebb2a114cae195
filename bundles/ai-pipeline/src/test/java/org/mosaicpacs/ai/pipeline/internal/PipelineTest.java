package org.mosaicpacs.ai.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.mosaicpacs.api.ai.AiConnector;
import org.mosaicpacs.api.ai.AiEvents;
import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.AiRequest;
import org.mosaicpacs.api.ai.AiResult;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.testing.TestDatabase;
import org.osgi.service.event.Event;

/** The pipeline end to end on Derby with an in-memory index and archive and scripted connectors. */
class PipelineTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String STUDY = "1.2.826.0.1.3680043.10.99.1";

    private final Fakes.Index index = new Fakes.Index();
    private final Fakes.Store archive = new Fakes.Store(index);
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<AiRequest> requests = new CopyOnWriteArrayList<>();
    private Pipeline pipeline;
    private JobStore store;

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        store = new JobStore(TestDatabase.DERBY.unpooled("pipeline_" + info.getTestMethod().orElseThrow().getName(), true));
        store.migrate();
        for (int i = 1; i <= 3; i++) {
            index.add(STUDY, STUDY + ".1", STUDY + ".1." + i, CT, "CT", "CHEST");
        }
        index.add(STUDY, STUDY + ".2", STUDY + ".2.1", UID.SecondaryCaptureImageStorage, "OT", null);
        // 300 ms per attempt, retries after 50, 100 ms
        pipeline = new Pipeline(store, index, archive, events::add, new PipelineSettings(2, 100, 300, 3, 50, 400, true),
                Clock.systemUTC());
        pipeline.start();
    }

    @AfterEach
    void tearDown() {
        pipeline.stop();
    }

    @Test
    void aStableCtStudyRunsTheConnectorOnceAndStoresItsResultsInTheStudy() throws Exception {
        connector("seg", request -> AiResult.of("1 finding", result(request)), Map.of(AiConnector.MODALITY_PROPERTY, "CT"));

        List<Long> ids = pipeline.enqueue(STUDY, List.of("CT", "OT"), "SCANNER");
        assertThat(ids).hasSize(1);
        Job job = awaitJob(ids.get(0), j -> j.state() == JobState.COMPLETED);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.summary()).isEqualTo("1 finding");
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.instances()).extracting(i -> i.sopInstanceUid())
                    .containsExactly(STUDY + ".1.1", STUDY + ".1.2", STUDY + ".1.3");
            assertThat(r.callingAeTitle()).isEqualTo("SCANNER");
        });
        assertThat(archive.stored).hasSize(1);
        assertThat(archive.sources).containsExactly("AI seg");
        assertThat(job.results()).containsExactlyElementsOf(Fakes.sopUids(archive.stored));
        Event completed = awaitEvent(AiEvents.JOB_COMPLETED);
        assertThat((String[]) completed.getProperty(AiEvents.RESULT_SOP_INSTANCE_UIDS)).containsExactlyElementsOf(job.results());

        // the result makes the study stable again: neither the same input nor the result series queue a job
        assertThat(pipeline.enqueue(STUDY, List.of("CT", "OT", "SR"), "SCANNER")).isEmpty();
        // a new CT instance is new input: a new job
        index.add(STUDY, STUDY + ".1", STUDY + ".1.4", CT, "CT", "CHEST");
        assertThat(pipeline.enqueue(STUDY, List.of("CT"), "SCANNER")).hasSize(1);
    }

    @Test
    void transientFailuresAreRetriedWithBackOffUntilTheyWork() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        connector("flaky", request -> {
            if (calls.incrementAndGet() < 3) {
                throw AiException.transientFailure("HTTP 503 from the inference server", null);
            }
            return AiResult.nothingFound("nothing");
        }, Map.of(AiConnector.MODALITY_PROPERTY, "CT"));
        long id = pipeline.enqueue(STUDY, List.of("CT"), null).get(0);
        Job job = awaitJob(id, j -> j.state() == JobState.COMPLETED);
        assertThat(job.attempts()).isEqualTo(3);
        assertThat(requests).extracting(AiRequest::attempt).containsExactly(1, 2, 3);
        assertThat(job.lastError()).isNull();
    }

    @Test
    void aJobThatKeepsFailingOrTimingOutEndsFailedWithItsReason() throws Exception {
        connector("slow", request -> {
            Thread.sleep(5_000);
            return AiResult.nothingFound("never");
        }, Map.of(AiConnector.MODALITY_PROPERTY, "CT"));
        long id = pipeline.enqueue(STUDY, List.of("CT"), null).get(0);
        Job job = awaitJob(id, j -> j.state() == JobState.FAILED);
        assertThat(job.attempts()).isEqualTo(3);
        assertThat(job.lastError()).isEqualTo("timed out after 0.3 s");
        Event failed = awaitEvent(AiEvents.JOB_FAILED);
        assertThat(failed.getProperty(AiEvents.JOB_ID)).isEqualTo(id);
        assertThat(failed.getProperty(AiEvents.ATTEMPTS)).isEqualTo(3);

        // an admin retries it: fresh attempts
        assertThat(pipeline.retry(id)).isTrue();
        assertThat(pipeline.job(id).orElseThrow().state()).isIn(JobState.QUEUED, JobState.RUNNING, JobState.RETRY_WAIT);
    }

    @Test
    void permanentFailuresAndRefusedResultsFailAtOnce() throws Exception {
        connector("picky", request -> {
            throw AiException.permanentFailure("series has 3 slices, the model needs 20");
        }, Map.of(AiConnector.MODALITY_PROPERTY, "CT"));
        long id = pipeline.enqueue(STUDY, List.of("CT"), null).get(0);
        Job job = awaitJob(id, j -> j.state() == JobState.FAILED);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.lastError()).isEqualTo("series has 3 slices, the model needs 20");

        archive.refuse = new ArchiveException(ArchiveException.Reason.MISSING_ATTRIBUTE, "no Study Instance UID");
        connector("bad-output", request -> AiResult.of("x", result(request)), Map.of(AiConnector.MODALITY_PROPERTY, "CT"));
        long bad = pipeline.enqueue(STUDY, List.of("CT"), null).get(0);
        assertThat(awaitJob(bad, j -> j.state() == JobState.FAILED).lastError())
                .isEqualTo("the archive refused a result (MISSING_ATTRIBUTE): no Study Instance UID");
    }

    @Test
    void adminRulesSelectByBodyPartSopClassAndCallingAeAndPassParameters() throws Exception {
        connector("external", request -> AiResult.nothingFound("ok"), Map.of());
        assertThat(pipeline.enqueue(STUDY, List.of("CT"), "SCANNER")).as("no rule, no default rule").isEmpty();

        pipeline.addRule("r1", new Rule("chest-from-scanner", "external", java.util.Set.of("CT"), java.util.Set.of("chest"),
                java.util.Set.of(CT), java.util.Set.of("SCANNER"), Map.of("model", "lung-v3")));
        assertThat(pipeline.enqueue(STUDY, List.of("CT"), "OTHER_AE")).as("other sender").isEmpty();
        long id = pipeline.enqueue(STUDY, List.of("CT"), "SCANNER").get(0);
        Job job = awaitJob(id, j -> j.state() == JobState.COMPLETED);
        assertThat(job.rule()).isEqualTo("chest-from-scanner");
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.parameter("model", null)).isEqualTo("lung-v3");
            assertThat(r.instances()).hasSize(3);
        });

        pipeline.addRule("r2", new Rule("head", "external", java.util.Set.of("CT"), java.util.Set.of("HEAD"),
                java.util.Set.of(), java.util.Set.of(), Map.of()));
        index.add(STUDY, STUDY + ".1", STUDY + ".1.9", CT, "CT", "CHEST");
        assertThat(pipeline.enqueue(STUDY, List.of("CT"), "ELSEWHERE")).as("no HEAD series").isEmpty();
    }

    @Test
    void jobsWaitForTheirConnectorToBeInstalled() throws Exception {
        pipeline.addRule("r", new Rule("later", "not-yet", java.util.Set.of("CT"), java.util.Set.of(), java.util.Set.of(),
                java.util.Set.of(), Map.of()));
        long id = pipeline.enqueue(STUDY, List.of("CT"), null).get(0);
        Thread.sleep(300);
        assertThat(pipeline.job(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        connector("not-yet", request -> AiResult.nothingFound("finally"), Map.of());
        assertThat(awaitJob(id, j -> j.state() == JobState.COMPLETED).summary()).isEqualTo("finally");
    }

    // ---- helpers

    interface Behaviour {
        AiResult run(AiRequest request) throws AiException, InterruptedException;
    }

    private void connector(String name, Behaviour behaviour, Map<String, Object> properties) {
        AiConnector c = request -> {
            requests.add(request);
            return behaviour.run(request);
        };
        pipeline.addConnector(name, new Pipeline.ConnectorEntry(name, c, 0, name.hashCode(),
                Rule.ofConnector(name, properties)));
    }

    /** A minimal Basic Text SR in the request's study. */
    private static DataSet result(AiRequest request) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.BasicTextSRStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.StudyInstanceUID, VR.UI, request.studyInstanceUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, UidGenerator.newUid());
        ds.setString(Tag.Modality, VR.CS, "SR");
        return ds;
    }

    private Job awaitJob(long id, Predicate<Job> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Optional<Job> job;
        do {
            job = pipeline.job(id);
            if (job.isPresent() && condition.test(job.get())) {
                return job.get();
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("job " + id + " did not reach the expected state: " + job);
    }

    private Event awaitEvent(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (Event e : events) {
                if (e.getTopic().equals(topic)) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no event " + topic + " among " + events);
    }
}
