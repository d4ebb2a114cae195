package org.mosaicpacs.service.mpps.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.support.jdbc.SchemaMigrations.Migration;
import org.mosaicpacs.support.jdbc.SchemaMigrations;

/**
 * The performed procedure steps in the database (tables of {@link #SCHEMA}). Thread-safe:
 * every method uses its own connection and transaction. An update locks the step's row first, so
 * two N-SETs of one step (two associations, or two nodes on one PostgreSQL) apply one after the
 * other and the second sees the first's result, e.g. a COMPLETED it may no longer change.
 */
final class MppsRepository {

    /** The MPPS tables (this bundle's own) and their versions: scripts in {@code sql/<database>/V<n>.sql} beside this class. */
    static final SchemaMigrations SCHEMA = new SchemaMigrations("MPPS tables", "mpps_schema_version",
            List.of(new Migration(1, "mpps, mpps_study, mpps_series, mpps_worklist")), MppsRepository.class, "MPPS bundle");

    /** REST list filters; null or blank means "not used". Dates are DICOM DA (YYYYMMDD), inclusive. */
    record Filter(MppsStatus status, String fromDate, String toDate, String studyInstanceUid,
                  String stationAeTitle, int limit, int offset) {
    }

    /** The change an update makes to the current step; may refuse it with a DIMSE status. */
    @FunctionalInterface
    interface Change {
        PerformedProcedureStep apply(PerformedProcedureStep current) throws DimseStatusException;
    }

    private static final String COLUMNS = "pk, sop_iuid, status, calling_aet, attrs, created, updated";

    private final DataSource dataSource;

    /** Opens the repository, migrating the MPPS tables to the current version first. */
    MppsRepository(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        SCHEMA.migrate(dataSource);
    }

    /**
     * Stores a new step with its links.
     *
     * @return false if a step with this SOP Instance UID exists already (nothing stored)
     */
    boolean insert(PerformedProcedureStep step) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (findPk(c, step.sopInstanceUid(), false) != null) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO mpps (sop_iuid, status, station_aet, calling_aet, "
                        + "modality, pps_id, start_date, start_time, end_date, end_time, attrs, created, updated) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, step.sopInstanceUid());
                    ps.setString(2, step.status().value());
                    ps.setString(4, step.callingAeTitle());
                    setDerivedColumns(ps, step.attributes(), 3, 5);
                    ps.setBytes(11, StoredAttributes.encode(step.attributes()));
                    ps.setTimestamp(12, Timestamp.from(step.created()));
                    ps.setTimestamp(13, Timestamp.from(step.updated()));
                    ps.executeUpdate();
                }
                // read back by the unique UID: generated keys are asked for differently by Derby and PostgreSQL
                writeLinks(c, findPk(c, step.sopInstanceUid(), false), step, false);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState())) {
                    return false; // another association created the same UID between our check and insert
                }
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The step with this SOP Instance UID. */
    Optional<PerformedProcedureStep> find(String sopInstanceUid) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mpps WHERE sop_iuid = ?")) {
            ps.setString(1, sopInstanceUid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long pk = rs.getLong(1);
                return Optional.of(step(rs, worklistLinks(c, List.of(pk)).getOrDefault(pk, List.of())));
            }
        }
    }

    /**
     * Changes a step under a row lock, in one transaction with its links.
     *
     * @return the step as changed, or empty if there is no step with this UID
     * @throws DimseStatusException what {@code change} threw (nothing is changed)
     */
    Optional<PerformedProcedureStep> update(String sopInstanceUid, Change change) throws SQLException, DimseStatusException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Long pk = findPk(c, sopInstanceUid, true);
                if (pk == null) {
                    c.rollback();
                    return Optional.empty();
                }
                PerformedProcedureStep current;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mpps WHERE pk = ?")) {
                    ps.setLong(1, pk);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        current = step(rs, worklistLinks(c, List.of(pk)).getOrDefault(pk, List.of()));
                    }
                }
                PerformedProcedureStep changed = change.apply(current);
                try (PreparedStatement ps = c.prepareStatement("UPDATE mpps SET status = ?, station_aet = ?, modality = ?, "
                        + "pps_id = ?, start_date = ?, start_time = ?, end_date = ?, end_time = ?, attrs = ?, updated = ? "
                        + "WHERE pk = ?")) {
                    ps.setString(1, changed.status().value());
                    setDerivedColumns(ps, changed.attributes(), 2, 3);
                    ps.setBytes(9, StoredAttributes.encode(changed.attributes()));
                    ps.setTimestamp(10, Timestamp.from(changed.updated()));
                    ps.setLong(11, pk);
                    ps.executeUpdate();
                }
                writeLinks(c, pk, changed, true);
                c.commit();
                return Optional.of(changed);
            } catch (SQLException | DimseStatusException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The steps matching a filter, the most recently created first. */
    List<PerformedProcedureStep> list(Filter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM mpps m WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status().value());
        }
        if (notBlank(filter.fromDate())) {
            sql.append(" AND start_date >= ?");
            args.add(filter.fromDate());
        }
        if (notBlank(filter.toDate())) {
            sql.append(" AND start_date <= ?");
            args.add(filter.toDate());
        }
        if (notBlank(filter.stationAeTitle())) {
            sql.append(" AND station_aet = ?");
            args.add(filter.stationAeTitle());
        }
        if (notBlank(filter.studyInstanceUid())) {
            sql.append(" AND EXISTS (SELECT 1 FROM mpps_study s WHERE s.mpps_fk = m.pk AND s.study_iuid = ?)");
            args.add(filter.studyInstanceUid());
        }
        sql.append(" ORDER BY pk DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String arg : args) {
                ps.setString(i++, arg);
            }
            ps.setInt(i++, filter.offset());
            ps.setInt(i, filter.limit());
            Map<Long, Row> rows = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new Row(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                            rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()));
                }
            }
            Map<Long, List<String>> links = worklistLinks(c, rows.keySet());
            List<PerformedProcedureStep> steps = new ArrayList<>(rows.size());
            rows.forEach((pk, r) -> steps.add(r.toStep(links.getOrDefault(pk, List.of()))));
            return steps;
        }
    }

    /** A row read before its links. */
    private record Row(String uid, String status, String callingAet, byte[] attrs, Instant created, Instant updated) {
        PerformedProcedureStep toStep(List<String> worklistItemIds) {
            MppsStatus s = MppsStatus.of(status);
            if (s == null) {
                throw new IllegalStateException("MPPS " + uid + " has an unknown stored status " + status);
            }
            return new PerformedProcedureStep(uid, s, StoredAttributes.decode(attrs), callingAet, created, updated,
                    worklistItemIds);
        }
    }

    private static PerformedProcedureStep step(ResultSet rs, List<String> worklistItemIds) throws SQLException {
        return new Row(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()).toStep(worklistItemIds);
    }

    /** The row's key; with {@code lock}, after taking the row's write lock (an UPDATE, portable to both databases). */
    private static Long findPk(Connection c, String uid, boolean lock) throws SQLException {
        if (lock) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mpps SET updated = updated WHERE sop_iuid = ?")) {
                ps.setString(1, uid);
                if (ps.executeUpdate() == 0) {
                    return null;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pk FROM mpps WHERE sop_iuid = ?")) {
            ps.setString(1, uid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Station AE, Modality, PPS ID, start and end date/time: the columns derived from the data set. */
    private static void setDerivedColumns(PreparedStatement ps, DataSet ds, int stationIndex, int modalityIndex)
            throws SQLException {
        ps.setString(stationIndex, cut(ds.getString(Tag.PerformedStationAETitle), 64));
        int i = modalityIndex;
        ps.setString(i++, cut(ds.getString(Tag.Modality), 16));
        ps.setString(i++, cut(ds.getString(Tag.PerformedProcedureStepID), 64));
        ps.setString(i++, date(ds.getString(Tag.PerformedProcedureStepStartDate)));
        ps.setString(i++, cut(ds.getString(Tag.PerformedProcedureStepStartTime), 16));
        ps.setString(i++, date(ds.getString(Tag.PerformedProcedureStepEndDate)));
        ps.setString(i, cut(ds.getString(Tag.PerformedProcedureStepEndTime), 16));
    }

    private static void writeLinks(Connection c, long pk, PerformedProcedureStep step, boolean replace) throws SQLException {
        writeLinks(c, "mpps_study", "study_iuid", pk, step.studyInstanceUids(), replace);
        writeLinks(c, "mpps_series", "series_iuid", pk, step.seriesInstanceUids(), replace);
        writeLinks(c, "mpps_worklist", "item_id", pk, step.worklistItemIds(), replace);
    }

    private static void writeLinks(Connection c, String table, String column, long pk, List<String> values,
                                   boolean replace) throws SQLException {
        if (replace) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE mpps_fk = ?")) {
                ps.setLong(1, pk);
                ps.executeUpdate();
            }
        }
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (mpps_fk, " + column + ") VALUES (?, ?)")) {
            for (String v : values) {
                ps.setLong(1, pk);
                ps.setString(2, v);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Map<Long, List<String>> worklistLinks(Connection c, Collection<Long> pks) throws SQLException {
        Map<Long, List<String>> links = new LinkedHashMap<>();
        if (pks.isEmpty()) {
            return links;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(pks.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT mpps_fk, item_id FROM mpps_worklist WHERE mpps_fk IN ("
                + marks + ") ORDER BY mpps_fk, item_id")) {
            int i = 1;
            for (long pk : pks) {
                ps.setLong(i++, pk);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    links.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return links;
    }

    /** A DA value as the 8 digits the date filters compare, or null when it is not one. */
    private static String date(String da) {
        if (da == null) {
            return null;
        }
        String d = da.strip();
        return d.matches("\\d{8}") ? d : null;
    }

    private static String cut(String s, int max) {
        return s == null ? null : s.length() > max ? s.substring(0, max) : s;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
