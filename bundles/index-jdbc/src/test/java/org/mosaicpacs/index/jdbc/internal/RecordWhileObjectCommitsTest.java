package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mosaicpacs.index.jdbc.internal.Headers.all;
import static org.mosaicpacs.index.jdbc.internal.Headers.instance;
import static org.mosaicpacs.index.jdbc.internal.Headers.keys;
import static org.mosaicpacs.index.jdbc.internal.Headers.object;
import static org.mosaicpacs.index.jdbc.internal.GroupCommitTest.waitUntil;
import static org.mosaicpacs.index.jdbc.internal.Headers.studyQuery;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.storage.StorageFullException;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Recording while the storage still makes the object durable ({@code ArchiveIndex.record} with a
 * Future), on Derby and PostgreSQL: the rows are written first, committed only after the object,
 * and never kept for an object that failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordWhileObjectCommitsTest {

    private final Map<TestDatabase, HikariDataSource> dataSources = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, JdbcArchiveIndex> indexes = new EnumMap<>(TestDatabase.class);
    private final ExecutorService associations = Executors.newCachedThreadPool();

    @BeforeAll
    void open() throws Exception {
        for (TestDatabase db : TestDatabase.values()) {
            HikariDataSource ds = db.create("record_while_commits_test");
            dataSources.put(db, ds);
            indexes.put(db, new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true)));
        }
    }

    @AfterAll
    void close() {
        associations.shutdownNow();
        dataSources.values().forEach(HikariDataSource::close);
    }

    /** A storage commit under way: tells when the index starts waiting for it. */
    private static final class PendingCommit extends CompletableFuture<Void> {
        final CountDownLatch awaited = new CountDownLatch(1);

        @Override
        public Void get() throws InterruptedException, ExecutionException {
            awaited.countDown();
            return super.get();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void rowsAreWrittenWhileTheObjectCommitsAndCommittedOnlyAfterIt(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        DataSet header = instance("W1", "Wait^Walter", "71.1", "71.1.1", "71.1.1.1", "CT", Headers.CT);
        PendingCommit commit = new PendingCommit();
        Future<RecordOutcome> recording = associations.submit(() -> index.record(header, object("71.1.1.1"),
                UID.ExplicitVRLittleEndian, Instant.now(), false, commit));

        assertThat(commit.awaited.await(10, TimeUnit.SECONDS)).as("the index waits for the object").isTrue();
        assertThat(uncommittedInstanceRows(db, "71.1.1.1")).as("its rows are written before it waits").isEqualTo(1);
        Thread.sleep(200);
        assertThat(recording.isDone()).as("nothing is committed before the object is").isFalse();
        if (db == TestDatabase.POSTGRESQL) {
            // Derby would block this read on the row lock until the commit; PostgreSQL answers from before it
            assertThat(index.findInstance("71.1.1.1")).isEmpty();
        }

        commit.complete(null);
        RecordOutcome outcome = recording.get(10, TimeUnit.SECONDS);
        assertThat(outcome.instance().storageKey()).isEqualTo("objects/71.1.1.1.dcm");
        assertThat(index.findInstance("71.1.1.1")).contains(outcome.instance());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void nothingIsRecordedForAnObjectThatFailedToCommit(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        DataSet header = instance("W2", "Fail^Fiona", "72.1", "72.1.1", "72.1.1.1", "CT", Headers.CT);
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new StorageFullException("simulated: disk full"));

        assertThatThrownBy(() -> index.record(header, object("72.1.1.1"), UID.ExplicitVRLittleEndian, Instant.now(), false,
                failed)).isInstanceOf(IndexException.class).hasMessageContaining("objects/72.1.1.1.dcm was not stored")
                .hasCauseInstanceOf(StorageFullException.class);
        assertThat(index.findInstance("72.1.1.1")).isEmpty();
        assertThat(all(index, studyQuery(keys("StudyInstanceUID=72.1")))).as("no study row either").isEmpty();

        // stored again, successfully this time: recorded as new
        RecordOutcome outcome = index.record(header, object("72.1.1.1"), UID.ExplicitVRLittleEndian, Instant.now(), false,
                CompletableFuture.completedFuture(null));
        assertThat(outcome.studyInstanceCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFailedObjectInAGroupCommitCostsOnlyItsOwnRecording(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        PendingCommit first = new PendingCommit();
        Future<RecordOutcome> leading = associations.submit(() -> index.record(
                instance("W3", "Group^Greta", "73.1", "73.1.1", "73.1.1.1", "CT", Headers.CT), object("73.1.1.1"),
                UID.ExplicitVRLittleEndian, Instant.now(), false, first));
        assertThat(first.awaited.await(10, TimeUnit.SECONDS)).isTrue();
        // two more of the study queue behind the first's open transaction and then share one
        Future<RecordOutcome> failing = associations.submit(() -> index.record(
                instance("W3", "Group^Greta", "73.1", "73.1.1", "73.1.1.2", "CT", Headers.CT), object("73.1.1.2"),
                UID.ExplicitVRLittleEndian, Instant.now(), false,
                CompletableFuture.failedFuture(new IOException("simulated: fdatasync failed"))));
        waitUntil(() -> index.recordingsWaiting() == 1);
        Future<RecordOutcome> fine = associations.submit(() -> index.record(
                instance("W3", "Group^Greta", "73.1", "73.1.1", "73.1.1.3", "CT", Headers.CT), object("73.1.1.3"),
                UID.ExplicitVRLittleEndian, Instant.now(), false, CompletableFuture.completedFuture(null)));
        waitUntil(() -> index.recordingsWaiting() == 2);
        long batchesBefore = index.groupCommitCounts()[0];

        first.complete(null);
        assertThat(leading.get(10, TimeUnit.SECONDS).studyInstanceCount()).isEqualTo(1);
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IndexException.class)
                .hasRootCauseMessage("simulated: fdatasync failed");
        assertThat(fine.get(10, TimeUnit.SECONDS).studyInstanceCount()).isEqualTo(2);
        assertThat(index.groupCommitCounts()[0] - batchesBefore).as("the first's batch, then the shared one").isEqualTo(2);
        assertThat(index.findInstance("73.1.1.2")).isEmpty();
        assertThat(index.findInstances("73.1", null)).extracting(r -> r.sopInstanceUid())
                .containsExactly("73.1.1.1", "73.1.1.3");
        DataSet study = all(index, studyQuery(keys("StudyInstanceUID=73.1", "NumberOfStudyRelatedInstances="))).get(0);
        assertThat(study.getString(Tag.NumberOfStudyRelatedInstances)).isEqualTo("2");
    }

    /** Instance rows with this SOP Instance UID that exist, committed or not (read without waiting for locks). */
    private int uncommittedInstanceRows(TestDatabase db, String sopUid) throws SQLException {
        try (Connection c = dataSources.get(db).getConnection()) {
            if (db == TestDatabase.DERBY) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM instance WHERE sop_uid = ? WITH UR")) {
                    ps.setString(1, sopUid);
                    return count(ps);
                }
            }
            // PostgreSQL never reads uncommitted rows: the open transaction's insert shows as its lock on the table
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_locks l JOIN pg_class t ON t.oid = l.relation"
                    + " WHERE t.relname = 'instance' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()")) {
                return count(ps);
            }
        }
    }

    private static int count(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
