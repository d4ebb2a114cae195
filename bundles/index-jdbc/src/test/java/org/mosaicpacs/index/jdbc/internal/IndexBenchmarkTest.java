package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * STUDY-level C-FIND latency at 100,000 studies (the aim: p95 under 50 ms on Derby). Not part of
 * the normal suite: run with
 * {@code mvn -pl bundles/index-jdbc test -Dtest=IndexBenchmarkTest -Dmosaic.bench=true [-Dmosaic.bench.studies=N]
 * [-Dmosaic.bench.postgresql=true] [-Dmosaic.bench.reuse=true]}.
 *
 * <p>Records N synthetic studies through {@link JdbcArchiveIndex#record} with 4 writers (50,000
 * patients with two studies each, one CT or MR series of one instance per study, 900 family names,
 * study dates over 15 years), then times queries as the peers were timed (shared/bench/PEERS.md):
 * 13 return keys, the whole answer read. Figures go to stdout and target/bench/index-bench-DB.txt.
 */
@EnabledIfSystemProperty(named = "mosaic.bench", matches = "true")
class IndexBenchmarkTest {

    private static final String[] SYLLABLES = {"KA", "MO", "SU", "TA", "RI", "NE", "LO", "BE", "DA", "FI", "GU", "HA",
        "JO", "KE", "LI", "MA", "NO", "PE", "RA", "SO", "TU", "VA", "WE", "YO", "ZA", "CHI", "SHA", "TRO", "BRA", "KLE"};
    private static final String[] GIVEN = {"ANNA", "BORIS", "CARLA", "DAVID", "EMMA", "FELIX", "GRETA", "HUGO", "IDA",
        "JONAS", "KARIN", "LUKAS", "MIRA", "NILS", "OLGA", "PAUL"};
    private static final String[] RETURN_KEYS = {"PatientName", "PatientID", "PatientBirthDate", "PatientSex",
        "StudyDate", "StudyTime", "AccessionNumber", "StudyDescription", "StudyInstanceUID", "ModalitiesInStudy",
        "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances", "ReferringPhysicianName"};

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void studyLevelFindAtScale(TestDatabase db) throws Exception {
        if (db == TestDatabase.POSTGRESQL && !Boolean.getBoolean("mosaic.bench.postgresql")) {
            return; // the aim is set for Derby; -Dmosaic.bench.postgresql=true measures PostgreSQL too
        }
        int studies = Integer.getInteger("mosaic.bench.studies", 100_000);
        StringBuilder report = new StringBuilder();
        // -Dmosaic.bench.reuse=true times the queries again on the Derby database of the last run
        boolean reuse = db == TestDatabase.DERBY && Boolean.getBoolean("mosaic.bench.reuse")
                && TestDatabase.derbyExists("index_bench");
        try (HikariDataSource ds = db.open("index_bench", !reuse, TestDatabase.DEFAULT_POOL_SIZE)) {
            JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true));
            if (reuse) {
                line(report, "%s: the %,d studies of the last run (derby.storage.pageCacheSize=%s)", db, studies,
                        System.getProperty("derby.storage.pageCacheSize", "default"));
            } else {
                long t0 = System.nanoTime();
                ingest(index, studies);
                double seconds = (System.nanoTime() - t0) / 1e9;
                line(report, "%s: recorded %,d studies (one instance each) with 4 writers in %.1f s: %.0f instances/s",
                        db, studies, seconds, studies / seconds);
                steadyState(ds, db);
            }

            Random random = new Random(7);
            time(report, index, "PatientName=<family name>* (prefix, ~110 matches)", i -> keys(
                    "PatientName", SYLLABLES[(i * 7) % SYLLABLES.length] + SYLLABLES[(i * 11 + 3) % SYLLABLES.length] + "*"));
            time(report, index, "PatientName=<2 letters>* (wide prefix, capped at 1000)", i -> keys(
                    "PatientName", SYLLABLES[i % SYLLABLES.length] + "*"));
            time(report, index, "StudyDate=<one week> (~130 matches)", i -> {
                LocalDate from = LocalDate.of(2010, 1, 1).plusDays(random.nextInt(365 * 15 - 7));
                return keys("StudyDate", Columns.date(from) + "-" + Columns.date(from.plusDays(6)));
            });
            time(report, index, "StudyDate=<one day> and PatientName=<prefix>", i -> {
                LocalDate day = LocalDate.of(2010, 1, 1).plusDays(random.nextInt(365 * 15));
                DataSet k = keys("StudyDate", Columns.date(day));
                k.setString(Tag.PatientName, VR.PN, SYLLABLES[i % SYLLABLES.length] + "*");
                return k;
            });
            time(report, index, "PatientID=<exact> (2 matches)", i -> keys("PatientID",
                    String.format(Locale.ROOT, "B%07d", random.nextInt(studies / 2))));
            time(report, index, "PatientName=ZZZ* (no match)", i -> keys("PatientName", "ZZZ*"));
        }
        System.out.print(report);
        Path out = Path.of("target", "bench", "index-bench-" + db.name().toLowerCase(Locale.ROOT) + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** Statistics up to date and the log checkpointed, as a while after a bulk load: the state queries normally meet. */
    private static void steadyState(HikariDataSource ds, TestDatabase db) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            if (db == TestDatabase.DERBY) {
                for (String table : new String[] {"PATIENT", "STUDY", "SERIES", "INSTANCE", "PERSON_NAME"}) {
                    st.execute("CALL SYSCS_UTIL.SYSCS_UPDATE_STATISTICS('APP', '" + table + "', NULL)");
                }
                st.execute("CALL SYSCS_UTIL.SYSCS_CHECKPOINT_DATABASE()");
            } else {
                st.execute("ANALYZE");
            }
        }
        System.gc();
    }

    private static DataSet keys(String keyword, String value) {
        DataSet keys = Headers.keys(Arrays.stream(RETURN_KEYS).map(k -> k + "=").toArray(String[]::new));
        int tag = ElementDictionary.tagOf(keyword);
        keys.setString(tag, ElementDictionary.vrOf(tag), value);
        return keys;
    }

    private static void ingest(JdbcArchiveIndex index, int studies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(pool.submit(() -> {
                    for (int s = next.getAndIncrement(); s < studies; s = next.getAndIncrement()) {
                        Headers.record(index, study(s));
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(2, TimeUnit.HOURS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Study s: patient s/2, so every patient has two studies. */
    private static DataSet study(int s) {
        int patient = s / 2;
        Random r = new Random(patient);
        String family = SYLLABLES[r.nextInt(SYLLABLES.length)] + SYLLABLES[r.nextInt(SYLLABLES.length)];
        String name = family + "^" + GIVEN[r.nextInt(GIVEN.length)];
        String studyUid = "2.25.1." + s;
        DataSet ds = Headers.instance(String.format(Locale.ROOT, "B%07d", patient), name, studyUid, studyUid + ".1",
                studyUid + ".1.1", s % 3 == 0 ? "MR" : "CT", Headers.CT);
        Random sr = new Random(s);
        ds.setString(Tag.StudyDate, VR.DA, Columns.date(LocalDate.of(2010, 1, 1).plusDays(sr.nextInt(365 * 15))));
        ds.setString(Tag.StudyTime, VR.TM, String.format(Locale.ROOT, "%02d%02d%02d", 7 + sr.nextInt(12), sr.nextInt(60),
                sr.nextInt(60)));
        ds.setString(Tag.PatientBirthDate, VR.DA, Columns.date(LocalDate.of(1930, 1, 1).plusDays(r.nextInt(365 * 80))));
        ds.setString(Tag.PatientSex, VR.CS, r.nextBoolean() ? "F" : "M");
        ds.setString(Tag.AccessionNumber, VR.SH, String.format(Locale.ROOT, "A%09d", s));
        ds.setString(Tag.ReferringPhysicianName, VR.PN, GIVEN[sr.nextInt(GIVEN.length)] + "^DR");
        return ds;
    }

    /**
     * Wall-clock percentiles, and the CPU time of the querying thread: Derby runs in that thread,
     * so on a busy machine the CPU figure is what an idle one would show (I/O waits aside).
     */
    private static void time(StringBuilder report, JdbcArchiveIndex index, String what, IntFunction<DataSet> keys)
            throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int warmup = 50;
        int runs = 200;
        long[] nanos = new long[runs];
        long[] cpu = new long[runs];
        long matches = 0;
        for (int i = 0; i < warmup + runs; i++) {
            IndexQuery q = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys.apply(i), false, false,
                    false, 0, 0);
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            int n = 0;
            try (QueryResults results = index.query(q)) {
                while (results.hasNext()) {
                    results.next();
                    n++;
                }
            }
            if (i >= warmup) {
                nanos[i - warmup] = System.nanoTime() - t;
                cpu[i - warmup] = threads.getCurrentThreadCpuTime() - c;
                matches += n;
            }
        }
        Arrays.sort(nanos);
        Arrays.sort(cpu);
        line(report, "  %-55s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (CPU p50 %5.1f p95 %5.1f ms)  %.0f matches/query",
                what, nanos[runs / 2] / 1e6, nanos[runs * 95 / 100] / 1e6, nanos[runs - 1] / 1e6, cpu[runs / 2] / 1e6,
                cpu[runs * 95 / 100] / 1e6, matches / (double) runs);
        assertThat(matches).isGreaterThanOrEqualTo(0);
    }

    private static void line(StringBuilder report, String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
