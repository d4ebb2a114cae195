package org.mosaicpacs.index.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.support.jdbc.SchemaMigrations;
import org.mosaicpacs.support.jdbc.SchemaMigrations.Migration;

/**
 * The {@link ArchiveIndex} on a JDBC {@link DataSource} (Derby or PostgreSQL). Plain Java: the
 * DS component {@link JdbcArchiveIndexComponent} and the tests construct it.
 *
 * <p>Every write is one READ COMMITTED transaction, run again when it loses a race or a deadlock
 * (see {@link IndexWriter}); new instances of one study that arrive together share one
 * ({@link GroupCommit}). Reads of records run again, a few times, when they lose a deadlock.
 * Queries read through a cursor that streams matches.
 */
final class JdbcArchiveIndex implements ArchiveIndex {

    private static final int MAX_ATTEMPTS = 20;
    private static final int READ_ATTEMPTS = 3;
    /** Recordings of one study committed together at most (group commit). */
    private static final int MAX_BATCH = 32;

    private final DataSource dataSource;
    private final IndexSettings settings;
    private final Dialect dialect;
    private final IndexWriter writer;
    private final Rejections rejections;
    private final QueryPlanner planner;
    private final GroupCommit<NewInstance, RecordOutcome> studyCommits = new GroupCommit<>(MAX_BATCH, this::recordBatch);

    /** The index tables and their versions: scripts in {@code sql/<database>/V<n>.sql} beside this class. */
    static final SchemaMigrations SCHEMA = new SchemaMigrations("index tables", "index_schema_version",
            List.of(new Migration(1, "patient, study, series, instance, person_name"),
                    new Migration(2, "rejected_instance")), JdbcArchiveIndex.class, "index bundle");

    /**
     * Opens the index: detects the database, applies pending schema migrations.
     *
     * @param sqlMatching false to match every key in Java (the reference the SQL is tested against)
     * @throws SQLException if the database is unreachable, unsupported, or a migration fails
     */
    JdbcArchiveIndex(DataSource dataSource, IndexSettings settings, boolean sqlMatching) throws SQLException {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.settings = Objects.requireNonNull(settings, "settings");
        try (Connection c = dataSource.getConnection()) {
            this.dialect = Dialect.of(c);
        }
        SCHEMA.migrate(dataSource);
        this.writer = new IndexWriter(dialect);
        this.rejections = new Rejections(dialect);
        this.planner = new QueryPlanner(dialect, sqlMatching);
    }

    JdbcArchiveIndex(DataSource dataSource, IndexSettings settings) throws SQLException {
        this(dataSource, settings, true);
    }

    Dialect dialect() {
        return dialect;
    }

    @Override
    public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                                boolean replaceExisting) throws IndexException {
        return record(header, object, transferSyntaxUid, received, replaceExisting, null);
    }

    /**
     * Writes the rows while the object becomes durable, and waits for it only just before the
     * commit: the transaction (with its patient lock) stays open that long, which for one CT image
     * is about the time of one fdatasync.
     */
    @Override
    public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                                boolean replaceExisting, Future<?> objectDurable) throws IndexException {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(transferSyntaxUid, "transferSyntaxUid");
        Objects.requireNonNull(received, "received");
        NewInstance instance = NewInstance.of(header, object, transferSyntaxUid, received, objectDurable);
        if (replaceExisting) {
            // may lock a second patient (the replaced instance's): never batched, see GroupCommit
            return recordAlone(instance, true);
        }
        return studyCommits.submit(instance.record.studyInstanceUid(), instance);
    }

    private RecordOutcome recordAlone(NewInstance instance, boolean replaceExisting) throws IndexException {
        return write("record " + instance.record.sopInstanceUid(),
                (c, attempt) -> {
                    RecordOutcome outcome = writer.record(c, instance, replaceExisting, attempt > 1);
                    instance.awaitObjectDurable();
                    return outcome;
                });
    }

    /**
     * Records new instances of one study in one transaction ({@link #write}, with its retries), each
     * under a savepoint: one that fails there (a duplicate, a lost race) is undone alone and recorded
     * afterwards in its own transaction, which retries and reports as usual. If the shared
     * transaction fails, nothing of it is kept and every instance is recorded alone.
     */
    private void recordBatch(List<GroupCommit.Request<NewInstance, RecordOutcome>> batch) {
        if (batch.size() > 1) {
            try {
                List<RecordOutcome> outcomes = write("record " + batch.size() + " instances of one study", (c, attempt) -> {
                    List<RecordOutcome> recorded = new ArrayList<>(); // null where the instance is left for later
                    for (GroupCommit.Request<NewInstance, RecordOutcome> r : batch) {
                        Savepoint savepoint = c.setSavepoint();
                        try {
                            recorded.add(writer.record(c, r.work, false, false));
                        } catch (SQLException | IndexException | RuntimeException e) {
                            c.rollback(savepoint);
                            recorded.add(null);
                        }
                    }
                    // one object that did not become durable fails the batch: each is then recorded alone
                    for (int i = 0; i < batch.size(); i++) {
                        if (recorded.get(i) != null) {
                            batch.get(i).work.awaitObjectDurable();
                        }
                    }
                    return recorded;
                });
                for (int i = 0; i < batch.size(); i++) {
                    if (outcomes.get(i) != null) {
                        batch.get(i).succeed(outcomes.get(i));
                    }
                }
            } catch (IndexException e) {
                // nothing of the batch was kept: each on its own below
            }
        }
        for (GroupCommit.Request<NewInstance, RecordOutcome> r : batch) {
            if (r.done()) {
                continue;
            }
            try {
                r.succeed(recordAlone(r.work, false));
            } catch (IndexException e) {
                r.fail(e);
            } catch (RuntimeException e) {
                r.fail(e);
            }
        }
    }

    /** Recordings queued behind a study's running group commit. */
    int recordingsWaiting() {
        return studyCommits.waiting();
    }

    /** Group commits since start: batches, and the recordings they held. */
    long[] groupCommitCounts() {
        return studyCommits.counts();
    }

    @Override
    public Optional<InstanceRecord> findInstance(String sopInstanceUid) throws IndexException {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        return read(c -> IndexWriter.findInstance(c, sopInstanceUid).map(IndexWriter.InstanceRow::record));
    }

    @Override
    public List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) throws IndexException {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        String sql = IndexWriter.INSTANCE_SELECT + " WHERE s.study_uid = ?" + (seriesInstanceUid != null ? " AND r.series_uid = ?" : "")
                + " ORDER BY r.series_number, r.pk, i.instance_number, i.pk";
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, studyInstanceUid);
                if (seriesInstanceUid != null) {
                    ps.setString(2, seriesInstanceUid);
                }
                List<InstanceRecord> records = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        records.add(IndexWriter.instanceRecord(rs, 5));
                    }
                }
                return records;
            }
        });
    }

    @Override
    public QueryResults query(IndexQuery query) throws IndexException {
        return query(query, query.combinedDateTime());
    }

    /**
     * Runs a query.
     *
     * @param combinedDateTime match date and time keys as one date-time (PS3.4 C.2.2.2.5, negotiated per association)
     */
    QueryResults query(IndexQuery query, boolean combinedDateTime) throws IndexException {
        Objects.requireNonNull(query, "query");
        MatchOptions options = new MatchOptions(settings.caseInsensitivePersonNames(),
                settings.fuzzyPersonNames() || query.fuzzyPersonNames(), combinedDateTime);
        int limit = settings.effectiveLimit(query.limit());
        QueryPlanner.Plan plan;
        try {
            plan = planner.plan(query, options, limit);
        } catch (IllegalArgumentException e) {
            throw new IndexException(e.getMessage(), e);
        }
        Connection c = null;
        PreparedStatement ps = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false); // PostgreSQL streams rows only inside a transaction
            c.setReadOnly(true);
            ps = c.prepareStatement(plan.sql());
            ps.setFetchSize(100);
            for (int i = 0; i < plan.params().size(); i++) {
                ps.setObject(i + 1, plan.params().get(i));
            }
            ResultSet rs = ps.executeQuery();
            return new JdbcQueryResults(c, ps, rs, plan, query, new KeyMatcher(options), limit);
        } catch (SQLException e) {
            closeQuietly(ps, c);
            throw new IndexException("index query failed: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(PreparedStatement ps, Connection c) {
        try (c; ps) {
            if (c != null) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the query failure is what the caller hears about
        }
    }

    @Override
    public Optional<InstanceRecord> removeInstance(String sopInstanceUid) throws IndexException {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        return write("remove " + sopInstanceUid, (c, attempt) -> writer.remove(c, sopInstanceUid));
    }

    @Override
    public void recordRejection(Rejection rejection) throws IndexException {
        Objects.requireNonNull(rejection, "rejection");
        write("remember the rejection of " + rejection.sopInstanceUid(), (c, attempt) -> {
            rejections.record(c, rejection);
            return null;
        });
    }

    @Override
    public Optional<Rejection> findRejection(String sopInstanceUid) throws IndexException {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        return read(c -> Rejections.find(c, sopInstanceUid));
    }

    @Override
    public List<Rejection> findRejections(String studyInstanceUid) throws IndexException {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        return read(c -> Rejections.ofStudy(c, studyInstanceUid));
    }

    @Override
    public boolean forgetRejection(String sopInstanceUid) throws IndexException {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        return write("forget the rejection of " + sopInstanceUid, (c, attempt) -> Rejections.forget(c, sopInstanceUid));
    }

    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs a read, again when the database ended it as a deadlock's victim or its lock wait timed
     * out (Derby's readers lock rows that writers hold); nothing was returned yet, so it may. Fewer
     * attempts than a write: a lock wait that timed out has already taken a minute.
     */
    private <T> T read(Read<T> read) throws IndexException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                return read.run(c);
            } catch (SQLException e) {
                if (!dialect.isRetryable(e) || attempt == READ_ATTEMPTS) {
                    throw new IndexException("cannot read the index: " + e.getMessage(), e);
                }
            }
            pause(attempt);
        }
    }

    private interface Work<T> {
        /** @param attempt 1 for the first run of the transaction */
        T run(Connection c, int attempt) throws SQLException, IndexException;
    }

    /** Runs a write transaction, again after a lost race or deadlock, with a short random pause. */
    private <T> T write(String what, Work<T> work) throws IndexException {
        SQLException lastFailure = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                try {
                    T result = work.run(c, attempt);
                    c.commit();
                    return result;
                } catch (IndexWriter.Retry e) {
                    c.rollback();
                    if (!e.pause()) {
                        continue;
                    }
                } catch (SQLException | IndexException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                if (!dialect.isRetryable(e)) {
                    throw new IndexException("cannot " + what + ": " + e.getMessage(), e);
                }
                lastFailure = e;
            }
            pause(attempt);
        }
        throw new IndexException("cannot " + what + " after " + MAX_ATTEMPTS + " attempts (contention)", lastFailure);
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 * Math.min(attempt, 10) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
