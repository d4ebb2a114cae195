package org.mosaicpacs.service.mpps.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MPPS tables in the index database and their versioned migrations: ordered SQL scripts per
 * database ({@code sql/<dialect>/V<n>.sql}), applied in one transaction and recorded in
 * {@value #VERSION_TABLE}. The transaction locks that table exclusively, so several nodes (or
 * the SCP and the REST component of one node) starting at once against one database apply each
 * script once. The tables are this bundle's own: the index bundle's schema is never touched.
 */
final class MppsSchema {

    /** The databases the tables are written for. */
    enum Dialect {
        DERBY("derby", Set.of("X0Y32")),
        POSTGRESQL("postgresql", Set.of("42P07", "23505"));

        private final String folder;
        private final Set<String> alreadyExistsStates;

        Dialect(String folder, Set<String> alreadyExistsStates) {
            this.folder = folder;
            this.alreadyExistsStates = alreadyExistsStates;
        }

        static Dialect of(Connection c) throws SQLException {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("derby")) {
                return DERBY;
            }
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            throw new SQLException("the MPPS tables support Apache Derby and PostgreSQL, not "
                    + c.getMetaData().getDatabaseProductName());
        }

        boolean isAlreadyExists(SQLException e) {
            return alreadyExistsStates.contains(e.getSQLState());
        }
    }

    /** A schema version; its number names the script. A new version is a new script; scripts never change. */
    record Migration(int version, String description) {
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "mpps, mpps_study, mpps_series, mpps_worklist"));

    static final String VERSION_TABLE = "mpps_schema_version";

    private static final Logger LOG = LoggerFactory.getLogger(MppsSchema.class);

    private MppsSchema() {
    }

    /**
     * Brings the MPPS tables up to the latest version.
     *
     * @return the version now in place
     * @throws SQLException if a script fails (nothing is applied) or the database holds a newer
     *         version than this bundle knows
     */
    static int migrate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = Dialect.of(c);
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE " + VERSION_TABLE
                        + " (version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL, applied TIMESTAMP NOT NULL)");
            } catch (SQLException e) {
                if (!dialect.isAlreadyExists(e)) {
                    throw e;
                }
            }
            c.setAutoCommit(false);
            try {
                int version;
                try (Statement st = c.createStatement()) {
                    st.execute("LOCK TABLE " + VERSION_TABLE + " IN EXCLUSIVE MODE");
                    try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
                        rs.next();
                        version = rs.getInt(1);
                    }
                }
                Migration latest = MIGRATIONS.get(MIGRATIONS.size() - 1);
                if (version > latest.version()) {
                    throw new SQLException("the MPPS tables are at version " + version + ", newer than this bundle's "
                            + latest.version() + ": install the newer MPPS bundle");
                }
                for (Migration m : MIGRATIONS) {
                    if (m.version() > version) {
                        apply(c, dialect, m);
                        version = m.version();
                    }
                }
                c.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void apply(Connection c, Dialect dialect, Migration m) throws SQLException {
        LOG.info("Applying MPPS schema version {} ({}) on {}", m.version(), m.description(), dialect);
        try (Statement st = c.createStatement()) {
            for (String sql : statements(dialect, m.version())) {
                st.execute(sql);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + VERSION_TABLE
                + " (version, description, applied) VALUES (?, ?, ?)")) {
            ps.setInt(1, m.version());
            ps.setString(2, m.description());
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** The statements of a script: separated by ";" at a line end; "--" comment lines dropped. */
    static List<String> statements(Dialect dialect, int version) {
        String resource = "sql/" + dialect.folder + "/V" + version + ".sql";
        String script;
        try (InputStream in = MppsSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration script " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + resource, e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                statements.add(current.toString());
                current.setLength(0);
            } else {
                current.append(trimmed).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString());
        }
        return statements;
    }
}
