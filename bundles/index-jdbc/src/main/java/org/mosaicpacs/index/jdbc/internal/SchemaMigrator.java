package org.mosaicpacs.index.jdbc.internal;

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

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: ordered SQL scripts per dialect ({@code sql/<dialect>/V<n>.sql}),
 * applied in one transaction and recorded in {@code index_schema_version}. The transaction holds
 * an exclusive lock on that table, so nodes that start at once against one PostgreSQL database
 * apply each script once: the second waits, then finds nothing left to do.
 *
 * <p>Flyway and Liquibase were not used: both find their scripts by scanning the class path,
 * which an OSGi bundle's class loader does not offer in the form they expect, and both would be
 * two more libraries to install for what fits in this class.
 */
final class SchemaMigrator {

    /** A schema version: its number names the script. */
    record Migration(int version, String description) {
    }

    /** Every schema version, in order. A new version is a new script; existing ones never change. */
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "patient, study, series, instance, person_name"));

    static final String VERSION_TABLE = "index_schema_version";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private SchemaMigrator() {
    }

    /**
     * Brings the schema up to the latest version.
     *
     * @return the schema version now in place
     * @throws SQLException if a script fails (the transaction is rolled back) or the database
     *                      holds a newer schema than this code knows
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
                int version = lockAndReadVersion(c);
                Migration latest = MIGRATIONS.get(MIGRATIONS.size() - 1);
                if (version > latest.version()) {
                    throw new SQLException("the index schema is at version " + version + ", newer than this bundle's "
                            + latest.version() + ": install the newer index bundle");
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

    private static int lockAndReadVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE " + VERSION_TABLE + " IN EXCLUSIVE MODE");
            try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + VERSION_TABLE)) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void apply(Connection c, Dialect dialect, Migration m) throws SQLException {
        LOG.info("Applying index schema version {} ({}) on {}", m.version(), m.description(), dialect);
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

    /** The statements of a script: separated by ";" at a line end, "--" comments dropped. */
    static List<String> statements(Dialect dialect, int version) {
        String resource = "sql/" + dialect.scriptFolder() + "/V" + version + ".sql";
        String script;
        try (InputStream in = SchemaMigrator.class.getResourceAsStream(resource)) {
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
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
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
