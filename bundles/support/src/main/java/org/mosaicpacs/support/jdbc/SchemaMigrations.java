package org.mosaicpacs.support.jdbc;

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
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versioned tables of one bundle in the shared index database: ordered SQL scripts
 * ({@code sql/<derby|postgresql>/V<n>.sql}, or {@code sql/V<n>.sql} for both, in the package of
 * the owner class), applied in one transaction and recorded in the bundle's own version table.
 * The transaction holds an exclusive lock on that table, so nodes (or components of one node)
 * starting at once against one database apply each script once: the second waits, then finds
 * nothing left to do. Each bundle keeps its own version table, so each installs and upgrades alone.
 *
 * <p>Not a bundle: every bundle that keeps tables copies this package in, privately, with bnd's
 * {@code -conditionalpackage}. Flyway and Liquibase were not used: both find scripts by scanning
 * the class path, which a bundle's class loader does not offer in the form they expect.
 */
public final class SchemaMigrations {

    /** The databases the product runs on. */
    public enum Database {
        DERBY("derby", Set.of("X0Y32")),
        // 23505: PostgreSQL reports a lost race to create a table as a unique violation in its catalog
        POSTGRESQL("postgresql", Set.of("42P07", "23505"));

        private final String folder;
        private final Set<String> alreadyExistsStates;

        Database(String folder, Set<String> alreadyExistsStates) {
            this.folder = folder;
            this.alreadyExistsStates = alreadyExistsStates;
        }

        /** The database behind a connection. */
        public static Database of(Connection c) throws SQLException {
            DatabaseMetaData meta = c.getMetaData();
            String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("derby")) {
                return DERBY;
            }
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            throw new SQLException("Mosaic PACS runs on Apache Derby and PostgreSQL, not "
                    + meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion());
        }

        /** The folder of this database's scripts. */
        public String folder() {
            return folder;
        }

        /** True if a CREATE failed because the object exists (or PostgreSQL lost a race on its catalog). */
        public boolean isAlreadyExists(SQLException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException s) {
                    for (SQLException n = s; n != null; n = n.getNextException()) {
                        if (n.getSQLState() != null && alreadyExistsStates.contains(n.getSQLState())) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    /** A schema version: its number names the script. A new version is a new script; scripts never change. */
    public record Migration(int version, String description) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private final String subject;
    private final String versionTable;
    private final List<Migration> migrations;
    private final Class<?> owner;
    private final String newerBundle;

    /**
     * @param subject      what the tables are, for messages ("MPPS tables")
     * @param versionTable the bundle's own version table
     * @param migrations   every version, numbered 1, 2, ... in order
     * @param owner        a class whose package holds the {@code sql/} folder
     * @param newerBundle  the bundle to install when the database is ahead of this code ("MPPS bundle")
     */
    public SchemaMigrations(String subject, String versionTable, List<Migration> migrations, Class<?> owner,
                            String newerBundle) {
        this.subject = Objects.requireNonNull(subject);
        this.versionTable = Objects.requireNonNull(versionTable);
        this.migrations = List.copyOf(migrations);
        this.owner = Objects.requireNonNull(owner);
        this.newerBundle = Objects.requireNonNull(newerBundle);
        for (int i = 0; i < this.migrations.size(); i++) {
            if (this.migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations must be numbered 1, 2, ... in order: " + migrations);
            }
        }
    }

    /** The version this code brings the tables to. */
    public int latestVersion() {
        return migrations.size();
    }

    /** The version table's name. */
    public String versionTable() {
        return versionTable;
    }

    /**
     * Brings the tables up to the latest version.
     *
     * @return the version now in place
     * @throws SQLException if a script fails (the transaction is rolled back: nothing is applied) or
     *                      the database holds a newer version than this code knows
     */
    public int migrate(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Database database = Database.of(c);
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TABLE " + versionTable + " (version INTEGER NOT NULL PRIMARY KEY,"
                        + " description VARCHAR(200) NOT NULL, applied TIMESTAMP NOT NULL)");
            } catch (SQLException e) {
                if (!database.isAlreadyExists(e)) {
                    throw e;
                }
            }
            c.setAutoCommit(false);
            try {
                int version = lockAndReadVersion(c);
                if (version > latestVersion()) {
                    throw new SQLException("the " + subject + " are at version " + version + ", newer than this bundle's "
                            + latestVersion() + ": install the newer " + newerBundle);
                }
                for (Migration m : migrations.subList(version, migrations.size())) {
                    apply(c, database, m);
                    version = m.version();
                }
                c.commit();
                return version;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int lockAndReadVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE " + versionTable + " IN EXCLUSIVE MODE");
            try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + versionTable)) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void apply(Connection c, Database database, Migration m) throws SQLException {
        LOG.info("Applying {} version {} ({}) on {}", subject, m.version(), m.description(), database);
        try (Statement st = c.createStatement()) {
            for (String sql : statements(database, m.version())) {
                st.execute(sql);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + versionTable
                + " (version, description, applied) VALUES (?, ?, ?)")) {
            ps.setInt(1, m.version());
            ps.setString(2, m.description());
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /**
     * The statements of a version's script: the database's own ({@code sql/<folder>/V<n>.sql}) or
     * else the common one ({@code sql/V<n>.sql}); separated by ";" at a line end, "--" comment
     * lines dropped.
     */
    public List<String> statements(Database database, int version) {
        String specific = "sql/" + database.folder() + "/V" + version + ".sql";
        String common = "sql/V" + version + ".sql";
        String script;
        try (InputStream in = open(specific, common)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + specific + " of " + subject, e);
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

    private InputStream open(String specific, String common) {
        InputStream in = owner.getResourceAsStream(specific);
        if (in == null) {
            in = owner.getResourceAsStream(common);
        }
        if (in == null) {
            throw new IllegalStateException("missing migration script " + specific + " (or " + common + ") of " + subject);
        }
        return in;
    }
}
