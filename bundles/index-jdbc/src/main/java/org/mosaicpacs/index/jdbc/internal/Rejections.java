package org.mosaicpacs.index.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mosaicpacs.api.index.Rejection;

/** The rejected_instance table (schema version 2): instances an IOCM rejection note rejected. */
final class Rejections {

    private static final String SELECT = "SELECT sop_uid, study_uid, series_uid, code, note_uid, rejected"
            + " FROM rejected_instance";

    private final Dialect dialect;

    Rejections(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Inserts the rejection, or replaces the one remembered for the same instance (the latest note wins). */
    void record(Connection c, Rejection r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rejected_instance SET study_uid = ?, series_uid = ?,"
                + " code = ?, note_uid = ?, rejected = ? WHERE sop_uid = ?")) {
            bind(ps, r);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rejected_instance (study_uid, series_uid, code,"
                + " note_uid, rejected, sop_uid) VALUES (?, ?, ?, ?, ?, ?)")) {
            bind(ps, r);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                throw new IndexWriter.Retry("rejection of " + r.sopInstanceUid() + " recorded concurrently", false);
            }
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, Rejection r) throws SQLException {
        ps.setString(1, r.studyInstanceUid());
        ps.setString(2, r.seriesInstanceUid());
        ps.setString(3, r.code());
        ps.setString(4, r.noteUid());
        ps.setTimestamp(5, Timestamp.from(r.rejected()), IndexWriter.utc());
        ps.setString(6, r.sopInstanceUid());
    }

    static Optional<Rejection> find(Connection c, String sopInstanceUid) throws SQLException {
        List<Rejection> found = select(c, SELECT + " WHERE sop_uid = ?", sopInstanceUid);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** A full scan: rejections are few, and listing them is an administrator's occasional question. */
    static List<Rejection> ofStudy(Connection c, String studyInstanceUid) throws SQLException {
        return select(c, SELECT + " WHERE study_uid = ? ORDER BY sop_uid", studyInstanceUid);
    }

    private static List<Rejection> select(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            List<Rejection> rejections = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rejections.add(new Rejection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6, IndexWriter.utc()).toInstant()));
                }
            }
            return rejections;
        }
    }

    static boolean forget(Connection c, String sopInstanceUid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM rejected_instance WHERE sop_uid = ?")) {
            ps.setString(1, sopInstanceUid);
            return ps.executeUpdate() > 0;
        }
    }
}
