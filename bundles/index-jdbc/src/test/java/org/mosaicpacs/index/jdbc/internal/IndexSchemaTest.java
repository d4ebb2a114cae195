package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import org.mosaicpacs.support.jdbc.SchemaMigrations.Database;
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
