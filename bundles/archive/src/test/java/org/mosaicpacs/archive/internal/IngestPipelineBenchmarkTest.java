package org.mosaicpacs.archive.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.storage.ObjectChecksum;
import org.mosaicpacs.api.storage.StorageBackend;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.index.jdbc.internal.JdbcArchiveIndexComponent;
import org.mosaicpacs.storage.fs.internal.ReactorStorage;
import org.mosaicpacs.testing.ComponentConfig;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestDatabase;
import org.mosaicpacs.testing.TestFiles;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The archive's ingest path as the Storage SCP drives it, in one JVM without the network: real
 * filesystem storage (fdatasync, rename, folder sync) and the real index on embedded Derby with
 * durable commits, one CT image after the other per "association" thread, each round on a fresh
 * storage folder and database. What the server adds on top (DIMSE, PDUs, events) is the
 * difference to the loopback benchmark in bench/. Round 0 warms the JIT up; the JIT keeps
 * compiling for thousands of instances, so later rounds are faster. Not part of the suite: run
 * with {@code mvn -pl bundles/archive surefire:test@default-test -Dtest=IngestPipelineBenchmarkTest
 * -Dmosaic.bench=true [-Dmosaic.bench.instances=1000] [-Dmosaic.bench.rounds=5]
 * [-Dmosaic.bench.threads=1] [-Dmosaic.bench.checksum=CRC32C] [-Dmosaic.bench.dir=target/bench/ingest]
 * [-Dmosaic.bench.file=A_CT.dcm]}; figures on stdout and in target/bench/ingest-pipeline.txt.
 */
@EnabledIfSystemProperty(named = "mosaic.bench", matches = "true")
class IngestPipelineBenchmarkTest {

    private static final int INSTANCES = Integer.getInteger("mosaic.bench.instances", 1000);
    private static final int ROUNDS = Integer.getInteger("mosaic.bench.rounds", 5);
    private static final int THREADS = Integer.getInteger("mosaic.bench.threads", 1);
    /** The storage's default unless told. */
    private static final String CHECKSUM = System.getProperty("mosaic.bench.checksum", ObjectChecksum.CRC32C);
    private static final int SERIES_SIZE = 100;
    /** Same-length placeholders, patched per instance in the encoded template. */
    private static final String STUDY = "2.25.9", SERIES = "2.25.8", SOP = "2.25.7";
    private static final int DIGITS = 12;

    @Test
    void storeCtImagesDurably() throws Exception {
        Path dir = Path.of(System.getProperty("mosaic.bench.dir", "target/bench/ingest"));
        Files.createDirectories(dir);
        byte[] template = template(dir);
        List<double[]> measured = new ArrayList<>();
        for (int round = 0; round <= ROUNDS; round++) {
            double[] r = run(dir.resolve("round" + round), template, round);
            if (round > 0) {
                measured.add(r);
            }
            System.out.printf("round %d: %6.2f ms/instance wall, %5.2f ms CPU, %4.0f instances/s%n", round, r[0], r[1],
                    1000 * THREADS / r[0]);
        }
        double wall = median(measured, 0);
        String report = String.format("%d thread(s) x %d CT images (%d KB) per round, %s, median of rounds 1-%d: "
                        + "%.2f ms/instance wall (%.0f instances/s), %.2f ms CPU per instance%n", THREADS, INSTANCES,
                template.length / 1024, CHECKSUM, ROUNDS, wall, 1000 * THREADS / wall, median(measured, 1));
        System.out.print(report);
        Files.writeString(Path.of("target", "bench", "ingest-pipeline.txt"), report);
    }

    /** Stores INSTANCES per thread; returns wall ms per instance (per thread) and process CPU ms per instance. */
    private static double[] run(Path root, byte[] template, int round) throws Exception {
        TestFiles.deleteTree(root);
        // the previous round's dirty pages would be written back during this one's fdatasyncs
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        StorageBackend storage = ReactorStorage.fileSystem(root.resolve("objects"), CHECKSUM);
        // pooled, as pax-jdbc does in the distribution
        String database = "bench-ingest";
        HikariDataSource dataSource = TestDatabase.DERBY.open(database, true, TestDatabase.DEFAULT_POOL_SIZE);
        ArchiveIndex index = new JdbcArchiveIndexComponent(dataSource,
                ComponentConfig.of(JdbcArchiveIndexComponent.Config.class, Map.of()));
        ArchiveSettings settings = new ArchiveSettings("fs", DuplicatePolicy.REJECT, List.of(), 0, 64L << 20,
                CompressionPolicy.OFF);
        ExecutorService associations = Executors.newFixedThreadPool(THREADS);
        ExecutorService commits = Executors.newCachedThreadPool();
        try {
            Ingest ingest = new Ingest(index, id -> storage, settings,
                    new IngestCompressor(CompressionPolicy.OFF, () -> null, 1 << 20, root.resolve("spool")),
                    Clock.systemUTC(), commits);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                running.add(associations.submit(() -> {
                    byte[] object = template.clone();
                    int[] study = offsets(object, STUDY), series = offsets(object, SERIES), sop = offsets(object, SOP);
                    for (int i = 0; i < INSTANCES; i++) {
                        // the threads take turns through the same series, as storescu runs splitting one study do
                        long n = ((long) round * INSTANCES + i) * THREADS + thread;
                        patch(object, study, STUDY, n / SERIES_SIZE);
                        patch(object, series, SERIES, n / SERIES_SIZE);
                        patch(object, sop, SOP, n);
                        ingest.store(StoreRequest.part10("BENCH"), new ByteArrayInputStream(object));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(30, TimeUnit.MINUTES);
            }
            double wall = (System.nanoTime() - t0) / 1e6 / INSTANCES;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e6 / INSTANCES / THREADS;
            return new double[] {wall, cpu};
        } finally {
            associations.shutdownNow();
            commits.shutdownNow();
            dataSource.close();
            shutDown(database);
        }
    }

    /** Stops the embedded database, so that rounds do not pile up booted databases and their caches. */
    private static void shutDown(String database) {
        try {
            java.sql.DriverManager.getConnection("jdbc:derby:" + TestDatabase.derbyDirectory(database) + ";shutdown=true").close();
        } catch (java.sql.SQLException e) {
            if (!"08006".equals(e.getSQLState())) { // 08006: shut down, as asked
                throw new IllegalStateException(e);
            }
        }
    }

    /** A CT image of the corpus (or -Dmosaic.bench.file) with placeholder UIDs, encoded once. */
    private static byte[] template(Path dir) throws IOException {
        String given = System.getProperty("mosaic.bench.file");
        Path source = given != null ? Path.of(given) : TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native"))
                .stream().filter(p -> p.toString().contains("/ST01/")).filter(IngestTest::isCt)
                .findFirst().orElseThrow();
        DataSet ds;
        try (DicomReader reader = DicomReader.open(source)) {
            ds = reader.readDataSet();
        }
        ds.setString(Tag.StudyInstanceUID, VR.UI, placeholder(STUDY, 0));
        ds.setString(Tag.SeriesInstanceUID, VR.UI, placeholder(SERIES, 0));
        ds.setString(Tag.SOPInstanceUID, VR.UI, placeholder(SOP, 0));
        Path file = dir.resolve("template.dcm");
        DicomWriter.writeFile(file, ds, "1.2.840.10008.1.2.1", WriteOptions.defaults());
        return Files.readAllBytes(file);
    }

    private static String placeholder(String prefix, long n) {
        return prefix + String.format("%0" + DIGITS + "d", n);
    }

    /** Where the placeholder UIDs with this prefix are in the encoded bytes (searched once). */
    private static int[] offsets(byte[] object, String prefix) {
        byte[] uid = placeholder(prefix, 0).getBytes(StandardCharsets.US_ASCII);
        List<Integer> found = new ArrayList<>();
        outer:
        for (int i = 0; i + uid.length <= object.length; i++) {
            for (int k = 0; k < uid.length; k++) {
                if (object[i + k] != uid[k]) {
                    continue outer;
                }
            }
            found.add(i);
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void patch(byte[] object, int[] offsets, String prefix, long n) {
        byte[] uid = placeholder(prefix, n).getBytes(StandardCharsets.US_ASCII);
        for (int offset : offsets) {
            System.arraycopy(uid, 0, object, offset, uid.length);
        }
    }

    private static double median(List<double[]> runs, int column) {
        double[] v = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
