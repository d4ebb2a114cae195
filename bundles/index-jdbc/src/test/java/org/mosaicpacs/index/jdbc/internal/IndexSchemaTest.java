package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.support.jdbc.SchemaMigrations;
import org.mosaicpacs.support.jdbc.SchemaMigrations.Database;
import org.mosaicpacs.support.jdbc.SchemaMigrations.Migration;
import org.mosaicpacs.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/** The index tables' versioned migrations: applied once, also when several nodes start at the same moment. */
class IndexSchemaTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void nodesStartingTogetherApplyEachVersionOnce(TestDatabase db) throws Exception {
        try (HikariDataSource ds = db.create("schema_migrator_test")) {
            int nodes = 4;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(nodes);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    Callable<Integer> node = () -> {
                        start.await();
                        return JdbcArchiveIndex.SCHEMA.migrate(ds);
                    };
                    results.add(pool.submit(node));
                }
                start.countDown();
                for (Future<Integer> r : results) {
                    assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(JdbcArchiveIndex.SCHEMA.latestVersion());
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(JdbcArchiveIndex.SCHEMA.migrate(ds)).isEqualTo(JdbcArchiveIndex.SCHEMA.latestVersion());
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM index_schema_version")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(JdbcArchiveIndex.SCHEMA.latestVersion());
                }
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM person_name")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
                st.executeUpdate("INSERT INTO index_schema_version (version, description, applied)"
                        + " VALUES (99, 'from the future', CURRENT_TIMESTAMP)");
            }
            assertThatThrownBy(() -> JdbcArchiveIndex.SCHEMA.migrate(ds)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("newer");
        }
    }

    /** An archive made before version 2 keeps its instances and gains the rejection table. */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anIndexOfVersionOneIsUpgradedWithItsInstances(TestDatabase db) throws Exception {
        try (HikariDataSource ds = db.create("schema_upgrade_test")) {
            SchemaMigrations versionOne = new SchemaMigrations("index tables", "index_schema_version",
                    List.of(new Migration(1, "patient, study, series, instance, person_name")), JdbcArchiveIndex.class,
                    "index bundle");
            assertThat(versionOne.migrate(ds)).isEqualTo(1);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("SELECT COUNT(*) FROM rejected_instance"))
                        .isInstanceOf(SQLException.class);
            }
            // an instance recorded by the version 1 writer (a JdbcArchiveIndex would migrate first)
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                new IndexWriter(Dialect.of(c)).record(c, NewInstance.of(Headers.instance("P1", "Old^Archive", "1.2",
                        "1.2.1", "1.2.1.1", "CT", Headers.CT), Headers.object("old"), UID.ExplicitVRLittleEndian,
                        Instant.now(), null), false, true);
                c.commit();
            }

            assertThat(JdbcArchiveIndex.SCHEMA.migrate(ds)).isEqualTo(2);
            JdbcArchiveIndex upgraded = new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true));
            assertThat(upgraded.findInstance("1.2.1.1")).isPresent();
            upgraded.recordRejection(new Rejection("1.2.1.1", "1.2", "1.2.1", "113001", "1.2.9", Instant.now()));
            assertThat(upgraded.findRejection("1.2.1.1")).isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void everyScriptSplitsIntoStatements(TestDatabase db) {
        Database database = db == TestDatabase.DERBY ? Database.DERBY : Database.POSTGRESQL;
        for (int version = 1; version <= JdbcArchiveIndex.SCHEMA.latestVersion(); version++) {
            assertThat(JdbcArchiveIndex.SCHEMA.statements(database, version)).allSatisfy(sql -> {
                assertThat(sql).doesNotContain(";");
                assertThat(sql).matches("(?s)^(CREATE|ALTER|DROP|INSERT|UPDATE) .*");
            });
        }
    }
}
