package org.mosaicpacs.ai.pipeline.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.mosaicpacs.support.jdbc.SchemaMigrations;
import org.mosaicpacs.support.jdbc.SchemaMigrations.Migration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable job queue, in the archive's database (Derby or PostgreSQL) next to the index: a
 * job acknowledged here survives a crash, and several nodes sharing the database share the queue.
 * A node takes a job with a conditional UPDATE (the row is claimed by whoever changes it first)
 * and holds it under a lease; a job whose node died is taken again once its lease has run out.
 *
 * <p>The schema is versioned in {@code ai_schema_version} like the index's, with scripts
 * {@code sql/V<n>.sql} that are the same for both databases.
 */
final class JobStore {

    private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);

    /** The job tables and their versions: scripts {@code sql/V<n>.sql} beside this class, the same for both databases. */
    static final SchemaMigrations SCHEMA = new SchemaMigrations("AI job tables", "ai_schema_version",
            List.of(new Migration(1, "ai_job, ai_job_input, ai_job_result")), JobStore.class, "AI pipeline bundle");

    private static final String COLUMNS = "id, connector, rule_name, study_uid, input_count, parameters, calling_aet, "
            + "state, attempts, max_attempts, next_attempt_at, created_at, updated_at, summary, last_error";

    private final DataSource dataSource;

    JobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or upgrades the tables. */
    void migrate() throws SQLException {
        SCHEMA.migrate(dataSource);
    }

    /**
     * Queues a job unless one exists for the same connector, study and input.
     *
     * @return the new job's id, or empty if it was there already
     */
    Optional<Long> insert(String connector, String rule, String studyUid, String inputKey, Collection<String> inputs,
                          Map<String, String> parameters, String callingAe, int maxAttempts, Instant now)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ai_job (connector, rule_name, study_uid, "
                        + "input_key, input_count, parameters, calling_aet, state, attempts, max_attempts, "
                        + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, connector);
                    ps.setString(2, truncate(rule, 128));
                    ps.setString(3, studyUid);
                    ps.setString(4, inputKey);
                    ps.setInt(5, inputs.size());
                    ps.setString(6, truncate(encode(parameters), 4000));
                    ps.setString(7, callingAe == null ? null : truncate(callingAe.trim(), 16));
                    ps.setString(8, JobState.QUEUED.name());
                    ps.setInt(9, maxAttempts);
                    Timestamp t = Timestamp.from(now);
                    ps.setTimestamp(10, t);
                    ps.setTimestamp(11, t);
                    ps.setTimestamp(12, t);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO ai_job_input (job_id, sop_instance_uid) VALUES (?, ?)")) {
                    for (String uid : inputs) {
                        ps.setLong(1, id);
                        ps.setString(2, uid);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return Optional.of(id);
            } catch (SQLException e) {
                c.rollback();
                if (isUniqueViolation(e)) {
                    return Optional.empty();
                }
                throw e;
            }
        }
    }

    /**
     * Claims up to {@code max} due jobs of the given connectors for this node: QUEUED or RETRY_WAIT
     * jobs whose time has come, and RUNNING jobs whose lease ran out (their node died). Each claim
     * starts an attempt.
     */
    List<Job> claim(Set<String> connectors, String owner, Instant now, Instant leaseUntil, int max) throws SQLException {
        List<Job> claimed = new ArrayList<>();
        if (connectors.isEmpty() || max <= 0) {
            return claimed;
        }
        List<Long> candidates = new ArrayList<>();
        String in = String.join(", ", connectors.stream().map(x -> "?").toList());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ai_job WHERE connector IN (" + in + ") AND "
                    + "attempts < max_attempts AND ((state IN ('QUEUED', 'RETRY_WAIT') AND next_attempt_at <= ?) "
                    + "OR (state = 'RUNNING' AND lease_until < ?)) ORDER BY next_attempt_at, id "
                    + "FETCH FIRST " + (max * 4) + " ROWS ONLY")) {
                int i = 1;
                for (String name : connectors) {
                    ps.setString(i++, name);
                }
                ps.setTimestamp(i++, Timestamp.from(now));
                ps.setTimestamp(i, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(rs.getLong(1));
                    }
                }
            }
            for (long id : candidates) {
                if (claimed.size() == max) {
                    break;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE ai_job SET state = 'RUNNING', "
                        + "attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ? AND "
                        + "attempts < max_attempts AND ((state IN ('QUEUED', 'RETRY_WAIT') AND next_attempt_at <= ?) "
                        + "OR (state = 'RUNNING' AND lease_until < ?))")) {
                    ps.setString(1, owner);
                    ps.setTimestamp(2, Timestamp.from(leaseUntil));
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setLong(4, id);
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.setTimestamp(6, Timestamp.from(now));
                    if (ps.executeUpdate() == 1) {
                        find(c, id).ifPresent(claimed::add);
                    }
                }
            }
        }
        return claimed;
    }

    /**
     * Fails RUNNING jobs whose lease ran out on their last attempt: their node died while running
     * them, and no attempt is left to take them again.
     *
     * @return the jobs failed now
     */
    List<Job> failAbandoned(Instant now) throws SQLException {
        List<Job> failed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ai_job WHERE state = 'RUNNING' AND "
                    + "lease_until < ? AND attempts >= max_attempts")) {
                ps.setTimestamp(1, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            for (long id : ids) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE ai_job SET state = 'FAILED', lease_owner = NULL, "
                        + "lease_until = NULL, updated_at = ?, last_error = ? WHERE id = ? AND state = 'RUNNING' AND "
                        + "lease_until < ?")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, "the node running the last attempt stopped before it finished");
                    ps.setLong(3, id);
                    ps.setTimestamp(4, Timestamp.from(now));
                    if (ps.executeUpdate() == 1) {
                        find(c, id).ifPresent(failed::add);
                    }
                }
            }
        }
        return failed;
    }

    /** The SOP Instance UIDs a job was queued for. */
    Set<String> inputs(long id) throws SQLException {
        Set<String> uids = new java.util.TreeSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT sop_instance_uid FROM ai_job_input WHERE job_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uids.add(rs.getString(1));
                }
            }
        }
        return uids;
    }

    /** Records a stored result object of a job (idempotent). */
    void addResult(long id, String sopInstanceUid, String seriesInstanceUid, String sopClassUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ai_job_result (job_id, sop_instance_uid, "
                     + "series_instance_uid, sop_class_uid) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, sopInstanceUid);
            ps.setString(3, seriesInstanceUid);
            ps.setString(4, sopClassUid);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
        }
    }

    /** Whether AI jobs stored objects in this series (such series are never AI input). */
    Set<String> resultSeries(String studyUid) throws SQLException {
        Set<String> series = new java.util.HashSet<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT r.series_instance_uid FROM ai_job_result r "
                     + "JOIN ai_job j ON j.id = r.job_id WHERE j.study_uid = ?")) {
            ps.setString(1, studyUid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    series.add(rs.getString(1));
                }
            }
        }
        return series;
    }

    /** Marks a job this node runs as completed. */
    void complete(long id, String owner, String summary, Instant now) throws SQLException {
        update(id, owner, "UPDATE ai_job SET state = 'COMPLETED', lease_owner = NULL, lease_until = NULL, updated_at = ?, "
                + "summary = ?, last_error = NULL WHERE id = ? AND lease_owner = ?", now, truncate(summary, 1000));
    }

    /** Puts a job this node runs back to RETRY_WAIT until {@code retryAt}, with the error. */
    void retryLater(long id, String owner, String error, Instant retryAt, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ai_job SET state = 'RETRY_WAIT', lease_owner = NULL, "
                     + "lease_until = NULL, updated_at = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND lease_owner = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(retryAt));
            ps.setString(3, truncate(error, 1000));
            ps.setLong(4, id);
            ps.setString(5, owner);
            ps.executeUpdate();
        }
    }

    /** Marks a job this node runs as failed for good. */
    void fail(long id, String owner, String error, Instant now) throws SQLException {
        update(id, owner, "UPDATE ai_job SET state = 'FAILED', lease_owner = NULL, lease_until = NULL, updated_at = ?, "
                + "last_error = ? WHERE id = ? AND lease_owner = ?", now, truncate(error, 1000));
    }

    /**
     * Gives back the jobs this node holds without counting their attempt (the pipeline is stopping).
     */
    int release(String owner, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ai_job SET state = 'QUEUED', attempts = attempts - 1, "
                     + "lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE state = 'RUNNING' AND lease_owner = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, owner);
            return ps.executeUpdate();
        }
    }

    /**
     * Queues a COMPLETED or FAILED job again with a fresh set of attempts (an admin's retry).
     *
     * @return false if the job does not exist or is queued or running
     */
    boolean requeue(long id, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE ai_job SET state = 'QUEUED', attempts = 0, "
                     + "next_attempt_at = ?, updated_at = ? WHERE id = ? AND state IN ('COMPLETED', 'FAILED')")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** One job. */
    Optional<Job> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, id);
        }
    }

    /** Jobs, newest first, optionally of one state, study or connector. */
    List<Job> list(JobState state, String studyUid, String connector, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM ai_job WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.name());
        }
        if (studyUid != null) {
            sql.append(" AND study_uid = ?");
            args.add(studyUid);
        }
        if (connector != null) {
            sql.append(" AND connector = ?");
            args.add(connector);
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(Math.max(1, limit)).append(" ROWS ONLY");
        List<Job> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(job(rs, results(c, rs.getLong("id"))));
                }
            }
        }
        return jobs;
    }

    private void update(long id, String owner, String sql, Instant now, String text) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, text);
            ps.setLong(3, id);
            ps.setString(4, owner);
            if (ps.executeUpdate() != 1) {
                LOG.warn("AI job {} was no longer held by this node when it ended (lease expired?)", id);
            }
        }
    }

    private static Optional<Job> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ai_job WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(job(rs, results(c, id))) : Optional.empty();
            }
        }
    }

    private static List<String> results(Connection c, long id) throws SQLException {
        List<String> uids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT sop_instance_uid FROM ai_job_result WHERE job_id = ? ORDER BY sop_instance_uid")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uids.add(rs.getString(1));
                }
            }
        }
        return uids;
    }

    private static Job job(ResultSet rs, List<String> results) throws SQLException {
        return new Job(rs.getLong("id"), rs.getString("connector"), rs.getString("rule_name"), rs.getString("study_uid"),
                rs.getInt("input_count"), decode(rs.getString("parameters")), rs.getString("calling_aet"),
                JobState.valueOf(rs.getString("state").trim()), rs.getInt("attempts"), rs.getInt("max_attempts"),
                instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")), rs.getString("summary"), rs.getString("last_error"), results);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** Parameters as {@code key=value} lines. */
    static String encode(Map<String, String> parameters) {
        StringBuilder sb = new StringBuilder();
        parameters.forEach((k, v) -> sb.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        return sb.toString();
    }

    static Map<String, String> decode(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return out;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** SQLState class 23, unique constraint: 23505 on both Derby and PostgreSQL. */
    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
