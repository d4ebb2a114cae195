package org.mosaicpacs.ai.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.testing.TestDatabase;

/** The queue's SQL on Derby and PostgreSQL: migration, de-duplication, claiming, leases, retries. */
class JobStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void queueClaimLeaseAndFinish(TestDatabase db) throws Exception {
        DataSource ds = db.unpooled("jobstore_" + db.name().toLowerCase(), true);
        JobStore store = new JobStore(ds);
        store.migrate();
        store.migrate(); // idempotent: a second node or a restart finds nothing to do

        long id = store.insert("seg", "default", "1.2.3", "k1", List.of("1.2.3.1", "1.2.3.2"), Map.of("model", "v2"),
                "SCANNER", 3, T0).orElseThrow();
        assertThat(store.insert("seg", "default", "1.2.3", "k1", List.of("1.2.3.1"), Map.of(), null, 3, T0))
                .as("same connector, study and input: not queued twice").isEmpty();
        assertThat(store.insert("other", "r", "1.2.3", "k1", List.of("1.2.3.1"), Map.of(), null, 3, T0)).isPresent();

        assertThat(store.claim(Set.of("seg"), "nodeA", T0.minusSeconds(1), T0.plusSeconds(60), 5))
                .as("not due before its time").isEmpty();
        List<Job> claimed = store.claim(Set.of("seg"), "nodeA", T0, T0.plusSeconds(60), 5);
        assertThat(claimed).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(id);
            assertThat(j.state()).isEqualTo(JobState.RUNNING);
            assertThat(j.attempts()).isEqualTo(1);
            assertThat(j.parameters()).containsEntry("model", "v2");
            assertThat(j.callingAeTitle()).isEqualTo("SCANNER");
        });
        assertThat(store.inputs(id)).containsExactly("1.2.3.1", "1.2.3.2");
        assertThat(store.claim(Set.of("seg"), "nodeB", T0.plusSeconds(30), T0.plusSeconds(90), 5))
                .as("held under lease").isEmpty();

        // node A dies: after the lease, node B takes the job over as its second attempt
        List<Job> takenOver = store.claim(Set.of("seg"), "nodeB", T0.plusSeconds(61), T0.plusSeconds(120), 5);
        assertThat(takenOver).singleElement().extracting(Job::attempts).isEqualTo(2);
        store.complete(id, "nodeA", "late", T0.plusSeconds(62)); // A's late answer does not count
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);

        store.retryLater(id, "nodeB", "HTTP 503", T0.plusSeconds(100), T0.plusSeconds(70));
        Job waiting = store.find(id).orElseThrow();
        assertThat(waiting.state()).isEqualTo(JobState.RETRY_WAIT);
        assertThat(waiting.lastError()).isEqualTo("HTTP 503");
        assertThat(store.claim(Set.of("seg"), "nodeB", T0.plusSeconds(99), T0.plusSeconds(200), 5)).isEmpty();
        assertThat(store.claim(Set.of("seg"), "nodeB", T0.plusSeconds(100), T0.plusSeconds(200), 5)).hasSize(1);

        store.addResult(id, "9.1", "9", "1.2.840.10008.5.1.4.1.1.66.4");
        store.addResult(id, "9.1", "9", "1.2.840.10008.5.1.4.1.1.66.4"); // idempotent
        store.complete(id, "nodeB", "2 segments", T0.plusSeconds(101));
        Job done = store.find(id).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.summary()).isEqualTo("2 segments");
        assertThat(done.results()).containsExactly("9.1");
        assertThat(store.resultSeries("1.2.3")).containsExactly("9");

        assertThat(store.requeue(id, T0.plusSeconds(200))).isTrue();
        assertThat(store.requeue(id, T0.plusSeconds(200))).as("already queued").isFalse();
        assertThat(store.find(id).orElseThrow().attempts()).isZero();
        assertThat(store.list(JobState.QUEUED, "1.2.3", null, 10)).extracting(Job::connector)
                .containsExactlyInAnyOrder("seg", "other");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLastAttemptWhoseNodeDiedFailsAndAStoppingNodeGivesItsJobsBack(TestDatabase db) throws Exception {
        JobStore store = new JobStore(db.unpooled("jobstore_lease_" + db.name().toLowerCase(), true));
        store.migrate();
        long lost = store.insert("seg", "default", "1.2.4", "k", List.of("a"), Map.of(), null, 1, T0).orElseThrow();
        long kept = store.insert("seg", "default", "1.2.5", "k", List.of("b"), Map.of(), null, 1, T0).orElseThrow();
        assertThat(store.claim(Set.of("seg"), "dead", T0, T0.plusSeconds(10), 1)).hasSize(1);
        assertThat(store.claim(Set.of("seg"), "alive", T0, T0.plusSeconds(10), 1)).hasSize(1);

        assertThat(store.release("alive", T0.plusSeconds(1))).isEqualTo(1);
        Job released = store.find(kept).orElseThrow();
        assertThat(released.state()).isEqualTo(JobState.QUEUED);
        assertThat(released.attempts()).as("a stop does not use up an attempt").isZero();

        assertThat(store.failAbandoned(T0.plusSeconds(5))).isEmpty();
        assertThat(store.failAbandoned(T0.plus(Duration.of(11, ChronoUnit.SECONDS)))).singleElement()
                .satisfies(j -> {
                    assertThat(j.id()).isEqualTo(lost);
                    assertThat(j.state()).isEqualTo(JobState.FAILED);
                    assertThat(j.lastError()).contains("stopped before it finished");
                });
    }
}
