package org.mosaicpacs.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The databases our tables run on, as tests see them: Derby embedded in the test JVM (database
 * under {@code target/derby/<name>} of the module) and PostgreSQL from Debian, started by
 * {@link PostgresServer}. {@link #create} and {@link #open} put them behind a connection pool, as
 * pax-jdbc gives them in Karaf.
 *
 * <p>The module declares the drivers and the pool at test scope (this library only compiles
 * against them): Derby ({@code derby}, {@code derbytools}, {@code derbyshared}) for {@link #DERBY},
 * {@code postgresql} for {@link #POSTGRESQL}, {@code HikariCP} for the pooled data sources.
 */
public enum TestDatabase {
    DERBY, POSTGRESQL;

    /** Connections a pool from {@link #create} holds at most. */
    public static final int DEFAULT_POOL_SIZE = 8;

    static {
        System.setProperty("derby.stream.error.file", Path.of("target", "derby.log").toAbsolutePath().toString());
    }

    /** A fresh, empty database of this kind behind a pool of {@link #DEFAULT_POOL_SIZE}; close it when done. */
    public HikariDataSource create(String name) {
        return open(name, true, DEFAULT_POOL_SIZE);
    }

    /**
     * A database of this kind behind a pool; close it when done.
     *
     * @param fresh           empty it first; PostgreSQL's always is (its server lives as long as the JVM)
     * @param maximumPoolSize connections the pool holds at most
     */
    public HikariDataSource open(String name, boolean fresh, int maximumPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(unpooled(name, fresh));
        config.setMaximumPoolSize(maximumPoolSize);
        config.setPoolName(name + "-" + this);
        return new HikariDataSource(config);
    }

    /**
     * The database without a pool (a new connection per call), for code under test that keeps its
     * own; needs only this kind's driver on the class path.
     *
     * @param fresh empty it first; PostgreSQL's always is
     */
    public DataSource unpooled(String name, boolean fresh) {
        return switch (this) {
            case DERBY -> {
                Path dir = derbyDirectory(name);
                if (fresh) {
                    TestFiles.deleteTree(dir);
                }
                EmbeddedDataSource ds = new EmbeddedDataSource();
                ds.setDatabaseName(dir.toString());
                ds.setCreateDatabase("create");
                yield ds;
            }
            case POSTGRESQL -> {
                PostgresServer server = PostgresServer.shared();
                PGSimpleDataSource ds = new PGSimpleDataSource();
                ds.setUrl(server.createDatabase(name));
                ds.setUser(server.user());
                yield ds;
            }
        };
    }

    /** Where the Derby database {@code name} lives: {@code target/derby/<name>} of the module under test. */
    public static Path derbyDirectory(String name) {
        return Path.of("target", "derby", name).toAbsolutePath();
    }

    /** The Derby database left by an earlier run, if there is one. */
    public static boolean derbyExists(String name) {
        return Files.isDirectory(derbyDirectory(name).resolve("seg0"));
    }
}
