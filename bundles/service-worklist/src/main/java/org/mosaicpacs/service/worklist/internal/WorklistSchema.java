package org.mosaicpacs.service.worklist.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
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
 * The worklist's own versioned schema in the index database: ordered scripts per database
 * ({@code sql/<derby|postgresql>/V<n>.sql}) applied in one transaction and recorded in
 * {@value #VERSION_TABLE}, apart from the archive index's tables. The transaction holds an
 * exclusive lock on the version table, so nodes starting at once against one PostgreSQL database
 * apply each script once (the same scheme as the index, kept separate so that either bundle can
 * be installed and upgraded alone).
 */
final class WorklistSchema {

    /** The databases the worklist runs on. */
    enum Dialect {
        DERBY("derby", Set.of("X0Y32")),
        POSTGRESQL("postgresql", Set.of("42P07", "23505"));

        private final String folder;
        private final Set<String> existsStates;

        Dialect(String folder, Set<String> existsStates) {
            this.folder = folder;
            this.existsStates = existsStates;
        }

        static Dialect of(Connection c) throws SQLException {
            DatabaseMetaData meta = c.getMetaData();
            String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("derby")) {
                return DERBY;
            }
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            throw new SQLException("the worklist supports Apache Derby and PostgreSQL, not "
                    + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
        }

        /** True if a CREATE failed because the object exists (or PostgreSQL lost a race on its catalog). */
        boolean isAlreadyExists(SQLException e) {
            for (SQLException s = e; s != null; s = s.getNextException()) {
                if (s.getSQLState() != null && existsStates.contains(s.getSQLState())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Every schema version, in order. A new version is a new script; existing ones never change. */
    static final List<String> VERSIONS = List.of("mwl_item");

    static final String VERSION_TABLE = "mwl_schema_version";

    private static final Logger LOG = LoggerFactory.getLogger(WorklistSchema.class);

    private WorklistSchema() {
    }

    /**
     * Brings the schema up to the latest version.
     *
     * @return the schema version now in place
     * @throws SQLException if a script fails (rolled back) or the database holds a newer schema
     */
    static int migrate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Dialect dialect = Dialect.of(c);
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE " + VERSION_TABLE + " (version INTEGER NOT NULL PRIMARY KEY,"
                        + " description VARCHAR(200) NOT NULL, applied TIMESTAMP NOT NULL)");
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
                if (version > VERSIONS.size()) {
                    throw new SQLException("the worklist schema is at version " + version + ", newer than this bundle's "
                            + VERSIONS.size() + ": install the newer worklist bundle");
                }
                while (version < VERSIONS.size()) {
                    version++;
                    apply(c, dialect, version, VERSIONS.get(version - 1));
                }
                c.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void apply(Connection c, Dialect dialect, int version, String description) throws SQLException {
        LOG.info("Applying worklist schema version {} ({}) on {}", version, description, dialect);
        try (Statement st = c.createStatement()) {
            for (String sql : statements(dialect, version)) {
                st.execute(sql);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + VERSION_TABLE
                + " (version, description, applied) VALUES (?, ?, ?)")) {
            ps.setInt(1, version);
            ps.setString(2, description);
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** The statements of a script: separated by ";" at a line end, "--" comment lines dropped. */
    static List<String> statements(Dialect dialect, int version) {
        String resource = "sql/" + dialect.folder + "/V" + version + ".sql";
        String script;
        try (InputStream in = WorklistSchema.class.getResourceAsStream(resource)) {
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
                statements.add(current.append(trimmed, 0, trimmed.length() - 1).toString());
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
