package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mosaicpacs.index.jdbc.internal.Headers.instance;
import static org.mosaicpacs.index.jdbc.internal.Headers.record;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Reads of the index beside writers of the same study, on Derby, whose readers lock the rows they
 * are on (PostgreSQL's readers take no row locks, so none of this can happen there).
 */
class ReadsBesideWritersTest {

    /**
     * The cycle first seen in IngestCrashIT's last pass (instances sent again while their study was
     * being written): the duplicate lookup on the series row waiting for the study row, a writer
     * on the study row waiting for the series row. Played here step by step with a writer of our
     * own; Derby looks for deadlocks after 1 s instead of 20.
     */
    @Test
    void theDuplicateLookupWaitsForAWriterOfItsStudyWithoutDeadlock() throws Exception {
        try (HikariDataSource ds = TestDatabase.DERBY.create("reads_beside_writers")) {
            JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true));
            record(index, instance("P1", "Doe^Jane", "1.1", "1.1.1", "1.1.1.1", "CT", Headers.CT));
            try (Connection admin = ds.getConnection(); Statement s = admin.createStatement()) {
                s.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.deadlockTimeout', '1')");
            }
            try (Connection writer = ds.getConnection(); Connection reader = ds.getConnection()) {
                writer.setAutoCommit(false);
                writer.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                execute(writer, "UPDATE study SET updated = updated WHERE study_uid = '1.1'");

                // IndexWriter.findInstance itself: the index would run a deadlocked read again
                CompletableFuture<Optional<IndexWriter.InstanceRow>> lookup = CompletableFuture.supplyAsync(() -> {
                    try {
                        return IndexWriter.findInstance(reader, "1.1.1.1");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(500); // the lookup now waits for the study row
                execute(writer, "UPDATE series SET updated = updated WHERE series_uid = '1.1.1'");
                writer.commit();

                Optional<IndexWriter.InstanceRow> found = lookup.get(30, TimeUnit.SECONDS);
                assertThat(found).map(r -> r.record().sopInstanceUid()).contains("1.1.1.1");
                assertThat(found.get().record().studyInstanceUid()).isEqualTo("1.1");
                assertThat(found.get().record().seriesInstanceUid()).isEqualTo("1.1.1");
            }
        }
    }

    /** A read the database ended as a deadlock's victim is run again, not failed. */
    @Test
    void aReadEndedByADeadlockIsRunAgain() throws Exception {
        try (HikariDataSource ds = TestDatabase.DERBY.create("reads_run_again")) {
            JdbcArchiveIndex seed = new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true));
            record(seed, instance("P1", "Doe^Jane", "2.1", "2.1.1", "2.1.1.1", "CT", Headers.CT));
            record(seed, instance("P1", "Doe^Jane", "2.1", "2.1.1", "2.1.1.2", "CT", Headers.CT));

            AtomicBoolean failedOnce = new AtomicBoolean();
            JdbcArchiveIndex index = new JdbcArchiveIndex(failingFirstStatement(ds, failedOnce),
                    new IndexSettings(1000, false, true));
            List<InstanceRecord> study = index.findInstances("2.1", null);
            assertThat(failedOnce).isTrue();
            assertThat(study).extracting(InstanceRecord::sopInstanceUid).containsExactly("2.1.1.1", "2.1.1.2");

            failedOnce.set(false);
            assertThat(index.findInstance("2.1.1.2")).isPresent();
            assertThat(failedOnce).isTrue();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(30);
            s.executeUpdate(sql);
        }
    }

    /**
     * The data source, except that the first statement prepared after {@code failed} was cleared
     * fails as Derby fails a deadlock's victim (SQLState 40001).
     */
    private static DataSource failingFirstStatement(DataSource ds, AtomicBoolean failed) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = method.invoke(ds, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection real = (Connection) result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (p, m, a) -> {
                                if (m.getName().equals("prepareStatement") && failed.compareAndSet(false, true)) {
                                    throw new SQLTransactionRollbackException("A lock could not be obtained due to a deadlock",
                                            "40001");
                                }
                                try {
                                    return m.invoke(real, a);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }
}
