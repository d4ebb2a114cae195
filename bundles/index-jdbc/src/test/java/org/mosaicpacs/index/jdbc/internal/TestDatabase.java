package org.mosaicpacs.index.jdbc.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.mosaicpacs.testing.PostgresServer;
import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The databases the index runs on, as tests see them: Derby embedded in the test JVM (database
 * under target/derby) and PostgreSQL from Debian, started by {@link PostgresServer}. Both behind a
 * connection pool, as pax-jdbc gives them in Karaf.
 */
enum TestDatabase {
    DERBY, POSTGRESQL;

    static {
        System.setProperty("derby.stream.error.file", Path.of("target", "derby.log").toAbsolutePath().toString());
    }

    /** A fresh, empty database of this kind; close it (a {@link HikariDataSource}) when done. */
    HikariDataSource create(String name) {
        return open(name, true);
    }

    /** The Derby database left by an earlier run, if there is one. */
    static boolean derbyExists(String name) {
        return Files.isDirectory(Path.of("target", "derby", name, "seg0"));
    }

    /** A database of this kind, emptied first if {@code fresh} (PostgreSQL's always is: its server lives as long as the JVM). */
    HikariDataSource open(String name, boolean fresh) {
        DataSource raw = switch (this) {
            case DERBY -> {
                Path dir = Path.of("target", "derby", name).toAbsolutePath();
                if (fresh) {
                    deleteRecursively(dir);
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
        HikariConfig config = new HikariConfig();
        config.setDataSource(raw);
        config.setMaximumPoolSize(12);
        config.setPoolName(name + "-" + this);
        return new HikariDataSource(config);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
