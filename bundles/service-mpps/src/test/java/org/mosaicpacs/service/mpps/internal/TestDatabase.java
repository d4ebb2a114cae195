package org.mosaicpacs.service.mpps.internal;

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
 * The databases the MPPS tables run on, as the tests see them: Derby embedded (under
 * target/derby) and PostgreSQL from Debian ({@link PostgresServer}), both behind a pool as
 * pax-jdbc gives them in Karaf.
 */
enum TestDatabase {
    DERBY, POSTGRESQL;

    static {
        System.setProperty("derby.stream.error.file", Path.of("target", "derby.log").toAbsolutePath().toString());
    }

    /** A fresh, empty database of this kind; close it when done. */
    HikariDataSource create(String name) {
        DataSource raw = switch (this) {
            case DERBY -> {
                Path dir = Path.of("target", "derby", name).toAbsolutePath();
                deleteRecursively(dir);
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
        config.setMaximumPoolSize(8);
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
