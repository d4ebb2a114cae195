package org.mosaicpacs.index.jdbc.internal;

import java.lang.management.ClassLoadingMXBean;
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
import org.mosaicpacs.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What recording one instance costs on the C-STORE path: one writer (one association), CT-like
 * series of 100 instances, durable commits, each instance looked up first as the archive's ingest
 * does (duplicate policy). The CPU time of the recording thread is Derby's work too (embedded); wall
 * time adds the log sync; "classes loaded" during the measurement counts Derby's statement
 * compilations (each loads a generated class) among others. Not part of the suite: run with
 * {@code mvn -pl bundles/index-jdbc test -Dtest=RecordCostBenchmarkTest -Dmosaic.bench=true
 * [-Dmosaic.bench.postgresql=true] [-Dmosaic.bench.header=FILE]}; the shape with
 * {@code -Dmosaic.bench.warmUpSeries=10 -Dmosaic.bench.series=30 -Dmosaic.bench.seriesPerStudy=4
 * -Dmosaic.bench.studiesPerPatient=2} (the defaults); figures on stdout and in
 * target/bench/record-cost-DB.txt.
 */
@EnabledIfSystemProperty(named = "mosaic.bench", matches = "true")
class RecordCostBenchmarkTest {

    private static final int SERIES_SIZE = 100;
    private static final int WARM_UP_SERIES = Integer.getInteger("mosaic.bench.warmUpSeries", 10);
    private static final int MEASURED_SERIES = Integer.getInteger("mosaic.bench.series", 30);
    private static final int SERIES_PER_STUDY = Integer.getInteger("mosaic.bench.seriesPerStudy", 4);
    private static final int STUDIES_PER_PATIENT = Integer.getInteger("mosaic.bench.studiesPerPatient", 2);
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
        try (HikariDataSource ds = db.create("record_cost")) {
            JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true));
            for (int s = 0; s < WARM_UP_SERIES; s++) {
                series(index, s);
            }
            ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
            long classes0 = classes.getTotalLoadedClassCount();
            long[] wall = new long[MEASURED_SERIES * SERIES_SIZE];
            long[] cpu = new long[wall.length];
            int n = 0;
            for (int s = WARM_UP_SERIES; s < WARM_UP_SERIES + MEASURED_SERIES; s++) {
                for (int i = 0; i < SERIES_SIZE; i++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    ingest(index, instance(s, i));
                    wall[n] = System.nanoTime() - t0;
                    cpu[n++] = threads.getCurrentThreadCpuTime() - c0;
                }
            }
            String report = String.format(Locale.ROOT,
                    "%s: %d instances in series of %d, one writer: wall p50 %.2f ms, p95 %.2f ms, mean %.2f ms;"
                            + " CPU p50 %.2f ms, mean %.2f ms per instance; classes loaded %d%n",
                    db, n, SERIES_SIZE, pct(wall, 50), pct(wall, 95), mean(wall), pct(cpu, 50), mean(cpu),
                    classes.getTotalLoadedClassCount() - classes0);
            System.out.print(report);
            Path out = Path.of("target", "bench", "record-cost-" + db.name().toLowerCase(Locale.ROOT) + ".txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        }
    }

    /** Series s of its study and patient: several series per study and studies per patient, as sent by a modality. */
    private static void series(JdbcArchiveIndex index, int s) throws Exception {
        for (int i = 0; i < SERIES_SIZE; i++) {
            ingest(index, instance(s, i));
        }
    }

    /** What the archive's ingest does: look the instance up (duplicate policy), then record it. */
    private static void ingest(JdbcArchiveIndex index, DataSet header) throws Exception {
        index.findInstance(header.getString(Tag.SOPInstanceUID));
        Headers.record(index, header);
    }

    private static DataSet instance(int s, int i) {
        String study = "2.25.7." + (s / SERIES_PER_STUDY);
        int patient = s / SERIES_PER_STUDY / STUDIES_PER_PATIENT;
        if (REAL_HEADER != null) {
            // a real CT header (make-corpus.py's, with its private and sequence attributes) under new UIDs
            DataSet ds = REAL_HEADER.deepCopy();
            ds.setString(Tag.PatientID, VR.LO, String.format(Locale.ROOT, "R%06d", patient));
            ds.setString(Tag.StudyInstanceUID, VR.UI, study);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, study + "." + s);
            ds.setString(Tag.SOPInstanceUID, VR.UI, study + "." + s + "." + i);
            ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
            return ds;
        }
        return Headers.instance(String.format(Locale.ROOT, "R%06d", patient), "COST^PATIENT" + patient, study,
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
