package org.mosaicpacs.index.jdbc.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What recording one instance costs on the C-STORE path: one writer (one association), CT-like
 * series of 100 instances, durable commits. The CPU time of the recording thread is Derby's work
 * too (embedded); wall time adds the log sync. Not part of the suite: run with
 * {@code mvn -pl bundles/index-jdbc test -Dtest=RecordCostBenchmarkTest -Dmosaic.bench=true
 * [-Dmosaic.bench.postgresql=true]}; figures on stdout and in target/bench/record-cost-DB.txt.
 */
@EnabledIfSystemProperty(named = "mosaic.bench", matches = "true")
class RecordCostBenchmarkTest {

    private static final int SERIES_SIZE = 100;
    private static final int WARM_UP_SERIES = 10;
    private static final int MEASURED_SERIES = 30;
    /** -Dmosaic.bench.header=FILE: record the header of that DICOM file (new UIDs each time) instead of a minimal one. */
    private static final DataSet REAL_HEADER = readHeader(System.getProperty("mosaic.bench.header"));

    private static DataSet readHeader(String file) {
        if (file == null) {
            return null;
        }
        try (DicomReader reader = DicomReader.open(Path.of(file))) {
            return reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void recordOneInstanceAtATime(TestDatabase db) throws Exception {
        if (db == TestDatabase.POSTGRESQL && !Boolean.getBoolean("mosaic.bench.postgresql")) {
            return;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (HikariDataSource ds = db.open("record_cost", true)) {
            JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true));
            for (int s = 0; s < WARM_UP_SERIES; s++) {
                series(index, s);
            }
            long[] wall = new long[MEASURED_SERIES * SERIES_SIZE];
            long[] cpu = new long[wall.length];
            int n = 0;
            for (int s = WARM_UP_SERIES; s < WARM_UP_SERIES + MEASURED_SERIES; s++) {
                for (int i = 0; i < SERIES_SIZE; i++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    Headers.record(index, instance(s, i));
                    wall[n] = System.nanoTime() - t0;
                    cpu[n++] = threads.getCurrentThreadCpuTime() - c0;
                }
            }
            String report = String.format(Locale.ROOT,
                    "%s: %d instances in series of %d, one writer: wall p50 %.2f ms, p95 %.2f ms, mean %.2f ms;"
                            + " CPU p50 %.2f ms, mean %.2f ms per instance%n",
                    db, n, SERIES_SIZE, pct(wall, 50), pct(wall, 95), mean(wall), pct(cpu, 50), mean(cpu));
            System.out.print(report);
            Path out = Path.of("target", "bench", "record-cost-" + db.name().toLowerCase(Locale.ROOT) + ".txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    /** Series s of study s/4 of patient s/8: several series per study and studies per patient, as sent by a modality. */
    private static void series(JdbcArchiveIndex index, int s) throws Exception {
        for (int i = 0; i < SERIES_SIZE; i++) {
            Headers.record(index, instance(s, i));
        }
    }

    private static DataSet instance(int s, int i) {
        String study = "2.25.7." + (s / 4);
        if (REAL_HEADER != null) {
            // a real CT header (make-corpus.py's, with its private and sequence attributes) under new UIDs
            DataSet ds = REAL_HEADER.deepCopy();
            ds.setString(Tag.PatientID, VR.LO, String.format(Locale.ROOT, "R%06d", s / 8));
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, study + "." + s);
            ds.setString(Tag.SOPInstanceUID, VR.UI, study + "." + s + "." + i);
            ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
            return ds;
        }
        return Headers.instance(String.format(Locale.ROOT, "R%06d", s / 8), "COST^PATIENT" + (s / 8), study,
                study + "." + s, study + "." + s + "." + i, "CT", Headers.CT);
    }

    private static double pct(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0) / 1e6;
    }
}
