package org.mosaicpacs.archive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;
import org.mosaicpacs.transcoder.internal.ReactorTranscoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Compression on ingest with the reactor's real transcoder and codecs. DCMTK is the oracle for
 * "this is JPEG-LS Lossless (or RLE, ...)" (dcmdump) and decodes the stored files (dcmdjpls,
 * dcmdrle, dcmdjpeg; GDCM for JPEG 2000); pydicom compares the decoded pixels and every other
 * attribute with what was sent. Whatever cannot be compressed must be stored byte for byte as
 * received.
 */
class CompressOnIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Transcoder transcoder;

    @BeforeEach
    void realTranscoder() {
        transcoder = ReactorTranscoder.withReactorCodecs(temp.resolve("transcoder-spool"));
    }

    private IngestFixture fixture(String name, CompressionPolicy policy) {
        return new IngestFixture(temp.resolve(name), policy, () -> transcoder, DuplicatePolicy.REJECT);
    }

    private static CompressionPolicy lossless(String target, String... modalities) {
        return CompressionPolicy.of(target, modalities, 0, false, true);
    }

    // ------------------------------------------------------------------ compressed, bit-exact

    @Test
    void uncompressedCtAndMrInEveryNativeSyntaxAreStoredAsJpegLsLosslessWithTheSamePixels() throws Exception {
        IngestFixture fixture = fixture("store", lossless("JPEGLSLossless"));
        List<Path> files = new ArrayList<>(corpusFiles("native", "CT", 2));
        files.addAll(corpusFiles("native", "MR", 2));
        for (String syntax : List.of("implicit-le", "explicit-be", "deflated")) {
            files.addAll(corpusFiles("syntaxes/" + syntax, "CT", 1));
            files.addAll(corpusFiles("syntaxes/" + syntax, "MR", 1));
        }
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (Path file : files) {
            // Part 10 (STOW-RS, import) and a bare data set as DIMSE delivers it take the same way.
            Ingest.Stored stored = pairs.size() % 2 == 0 ? fixture.storeFile(file) : storeAsDimse(fixture, file);
            Path copy = fixture.storedPath(stored);
            InstanceRecord record = stored.outcome().instance();
            assertThat(record.transferSyntaxUid()).as(file.toString()).isEqualTo(UID.JPEGLSLossless);
            assertThat(record.sopInstanceUid()).isEqualTo(header(file).getString(Tag.SOPInstanceUID));
            assertThat(record.size()).isEqualTo(Files.size(copy)).isLessThan(Files.size(file));
            assertIndexedAsStored(fixture, record, copy);
            String dump = dcmdump(copy);
            assertThat(dump).contains("=JPEGLSLossless").contains("(7fe0,0010) OB (PixelSequence");
            pairs.add(Map.of("original", file.toString(), "stored", copy.toString(),
                    "decoded", decodeIndependently(copy, UID.JPEGLSLossless).toString(), "ts", UID.JPEGLSLossless));
        }
        checkWithOracle(pairs);
    }

    @Test
    void rleLosslessKeepsColourAndMonochromePixelsAndSpoolsLargeObjectsToAFile() throws Exception {
        // A 64 KiB spool: every image here goes through the temporary file.
        DirectoryStorage storage = new DirectoryStorage(temp.resolve("store"));
        IngestFixture fixture = new IngestFixture(storage, lossless("1.2.840.10008.1.2.5"), () -> transcoder, 64 * 1024,
                DuplicatePolicy.REJECT);
        List<Path> files = new ArrayList<>(corpusFiles("native", "CT", 1));
        files.addAll(corpusFiles("native", "US", 1)); // RGB, 10 frames
        files.addAll(corpusFilesOfClass(UID.SecondaryCaptureImageStorage, 3));
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (Path file : files) {
            Ingest.Stored stored = fixture.storeFile(file);
            Path copy = fixture.storedPath(stored);
            assertThat(stored.outcome().instance().transferSyntaxUid()).as(file.toString()).isEqualTo(UID.RLELossless);
            assertIndexedAsStored(fixture, stored.outcome().instance(), copy);
            assertThat(dcmdump(copy)).contains("=RLELossless");
            pairs.add(Map.of("original", file.toString(), "stored", copy.toString(),
                    "decoded", decodeIndependently(copy, UID.RLELossless).toString(), "ts", UID.RLELossless));
        }
        checkWithOracle(pairs);
        try (var left = Files.list(temp.resolve("store-spool"))) {
            assertThat(left).as("spool files are deleted").isEmpty();
        }
    }

    @Test
    void jpeg2000LosslessAndJpegLosslessSv1KeepTheReceivedPixels() throws Exception {
        List<Path> files = new ArrayList<>(corpusFiles("native", "CT", 1));
        files.addAll(corpusFiles("native", "MR", 1));
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (String target : List.of(UID.JPEG2000Lossless, UID.JPEGLosslessSV1)) {
            IngestFixture fixture = fixture(target, lossless(target));
            for (Path file : files) {
                Ingest.Stored stored = fixture.storeFile(file);
                Path copy = fixture.storedPath(stored);
                assertThat(stored.outcome().instance().transferSyntaxUid()).as(file.toString()).isEqualTo(target);
                assertThat(dcmdump(copy)).contains(target.equals(UID.JPEG2000Lossless) ? "=JPEG2000LosslessOnly"
                        : "=JPEGLossless:Non-hierarchical-1stOrderPrediction");
                pairs.add(Map.of("original", file.toString(), "stored", copy.toString(),
                        "decoded", decodeIndependently(copy, target).toString(), "ts", target));
            }
        }
        checkWithOracle(pairs);
    }

    /**
     * Every real file (pydicom's) and every generated one: each is stored, either compressed with
     * exactly its pixels or byte for byte as received; the disk saving is printed.
     */
    @Test
    void everyRealAndCorpusFileIsStoredCompressedBitExactOrAsReceived() throws Exception {
        Map<String, long[]> bytesByKind = new TreeMap<>();
        List<Map<String, Object>> pairs = new ArrayList<>();
        int n = 0;
        List<Path> files = new ArrayList<>(TestData.realDicomFiles());
        files.addAll(TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")));
        for (Path file : files) {
            // A fresh archive per real file: several of pydicom's files share SOP Instance UIDs.
            IngestFixture fixture = fixture("store" + n++, lossless(UID.JPEGLSLossless));
            Ingest.Stored stored;
            try {
                stored = fixture.storeFile(file);
            } catch (ArchiveException e) {
                assertThat(fixture.storedFiles()).as(file + " refused (" + e.getMessage() + ") and left nothing").isEmpty();
                continue;
            }
            Path copy = fixture.storedPath(stored);
            String ts = stored.outcome().instance().transferSyntaxUid();
            boolean real = file.startsWith(TestData.realFilesDir());
            String kind = (real ? "real " : "corpus ") + String.valueOf(header(file).getString(Tag.Modality));
            long[] sizes = bytesByKind.computeIfAbsent(kind, k -> new long[3]);
            sizes[0] += Files.size(file);
            sizes[1] += Files.size(copy);
            if (UID.JPEGLSLossless.equals(ts) && !UID.JPEGLSLossless.equals(receivedSyntax(file))) {
                sizes[2]++;
                pairs.add(Map.of("original", file.toString(), "stored", copy.toString(),
                        "decoded", decodeIndependently(copy, ts).toString(), "ts", ts));
            } else {
                assertThat(IngestFixture.dataSetBytes(copy)).as(file + " stored as received")
                        .isEqualTo(IngestFixture.dataSetBytes(file));
            }
        }
        checkWithOracle(pairs);
        long received = 0;
        long stored = 0;
        StringBuilder report = new StringBuilder("Compress on ingest (JPEG-LS Lossless), received -> stored bytes:\n");
        for (Map.Entry<String, long[]> e : bytesByKind.entrySet()) {
            long[] s = e.getValue();
            received += s[0];
            stored += s[1];
            report.append(String.format("  %-14s %,13d -> %,13d (%5.1f%% saved, %d compressed)%n", e.getKey(), s[0], s[1],
                    100.0 * (s[0] - s[1]) / s[0], s[2]));
        }
        report.append(String.format("  %-14s %,13d -> %,13d (%5.1f%% saved)", "all", received, stored,
                100.0 * (received - stored) / received));
        System.out.println(report);
        assertThat(pairs).hasSizeGreaterThan(60);
        assertThat(stored).isLessThan(received * 3 / 4);
    }

    // ------------------------------------------------------------------ stored as received

    @Test
    void alreadyCompressedObjectsAreStoredAsReceived() throws Exception {
        IngestFixture fixture = fixture("store", lossless(UID.JPEGLSLossless));
        Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
        for (String kind : List.of("jpegls-lossless", "rle-dcmtk", "jpeg-baseline", "j2k-lossless")) {
            for (Path file : TestData.dicomFilesUnder(syntaxes.resolve(kind))) {
                Ingest.Stored stored = fixture.storeFile(file);
                assertThat(stored.outcome().instance().transferSyntaxUid()).isEqualTo(receivedSyntax(file));
                assertThat(IngestFixture.dataSetBytes(fixture.storedPath(stored))).as(file.toString())
                        .isEqualTo(IngestFixture.dataSetBytes(file));
            }
        }
        assertThat(fixture.index.instances).hasSizeGreaterThan(10);
    }

    @Test
    void objectsWithoutPixelDataAreStoredAsReceived() throws Exception {
        IngestFixture fixture = fixture("store", lossless(UID.JPEGLSLossless));
        List<Path> reports = corpusFiles("native", "SR", 3);
        assertThat(reports).isNotEmpty();
        for (Path file : reports) {
            Ingest.Stored stored = fixture.storeFile(file);
            assertThat(stored.outcome().instance().transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
            assertThat(IngestFixture.dataSetBytes(fixture.storedPath(stored))).isEqualTo(IngestFixture.dataSetBytes(file));
        }
    }

    @Test
    void withoutATranscoderObjectsAreStoredAsReceived() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), lossless(UID.JPEGLSLossless), () -> null,
                DuplicatePolicy.REJECT);
        String log = capturingStandardError(() -> {
            for (Path file : corpusFiles("native", "CT", 2)) {
                Ingest.Stored stored = fixture.storeFile(file);
                assertThat(stored.outcome().instance().transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
                assertThat(IngestFixture.dataSetBytes(fixture.storedPath(stored))).isEqualTo(IngestFixture.dataSetBytes(file));
            }
        });
        assertThat(log).containsOnlyOnce("no Transcoder service is running");
    }

    @Test
    void aFailingTranscodeStoresTheObjectAsReceivedAndWarns() throws Exception {
        IngestFixture fixture = fixture("store", lossless(UID.JPEGLSLossless));
        // Pixel Data for one frame where Number of Frames says two: the transcoder refuses it as malformed.
        DataSet ct = fullDataSet(corpusFiles("native", "CT", 1).get(0));
        ct.setString(Tag.NumberOfFrames, VR.IS, "2");
        Path malformed = write(ct, "malformed.dcm");
        // 32-bit samples: no JPEG-LS encoder takes them (ISO 14495-1 stops at 16 bits).
        DataSet wide = fullDataSet(corpusFiles("native", "MR", 1).get(0));
        wide.setString(Tag.SOPInstanceUID, VR.UI, "2.25.32");
        wide.setInt(Tag.Rows, VR.US, 64);
        wide.setInt(Tag.Columns, VR.US, 64);
        wide.setInt(Tag.BitsAllocated, VR.US, 32);
        wide.setInt(Tag.BitsStored, VR.US, 32);
        wide.setInt(Tag.HighBit, VR.US, 31);
        byte[] pixels = new byte[64 * 64 * 4];
        new Random(7).nextBytes(pixels);
        wide.setBytes(Tag.PixelData, VR.OW, pixels);
        Path unsupported = write(wide, "32-bit.dcm");

        String log = capturingStandardError(() -> {
            for (Path file : List.of(malformed, unsupported)) {
                Ingest.Stored stored = fixture.storeFile(file);
                assertThat(stored.outcome().instance().transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
                assertThat(stored.warnings()).as("the C-STORE status stays success").isEmpty();
                assertThat(IngestFixture.dataSetBytes(fixture.storedPath(stored))).isEqualTo(IngestFixture.dataSetBytes(file));
            }
        });
        assertThat(log).contains("WARN").contains("Compress on ingest: CT Image Storage from TEST stored as received")
                .contains("MALFORMED").contains("images are stored as received when");
        assertThat(log).as("no patient data or UIDs at WARN").doesNotContain(ct.getString(Tag.SOPInstanceUID))
                .doesNotContain(ct.getString(Tag.PatientID));
    }

    // ------------------------------------------------------------------ policy

    @Test
    void modalityFilterAndMinimumSizeChooseWhatIsCompressed() throws Exception {
        Path ct = corpusFiles("native", "CT", 1).get(0);
        Path mr = corpusFiles("native", "MR", 1).get(0);
        IngestFixture onlyMr = fixture("mr", lossless(UID.JPEGLSLossless, " MR, XA"));
        assertThat(onlyMr.storeFile(ct).outcome().instance().transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
        assertThat(onlyMr.storeFile(mr).outcome().instance().transferSyntaxUid()).isEqualTo(UID.JPEGLSLossless);

        // MR Pixel Data is 128 KiB, CT 512 KiB.
        IngestFixture large = fixture("large", CompressionPolicy.of(UID.JPEGLSLossless, new String[0], 200, false, true));
        assertThat(large.storeFile(ct).outcome().instance().transferSyntaxUid()).isEqualTo(UID.JPEGLSLossless);
        assertThat(large.storeFile(mr).outcome().instance().transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
    }

    @Test
    void configurationAcceptsLosslessSyntaxesAndRefusesLossyOnesUnlessAllowed() {
        assertThat(lossless("JPEGLSLossless").targetTransferSyntaxUid()).isEqualTo(UID.JPEGLSLossless);
        assertThat(lossless(" 1.2.840.10008.1.2.5 ").targetTransferSyntaxUid()).isEqualTo(UID.RLELossless);
        assertThat(lossless(UID.JPEG2000Lossless).enabled()).isTrue();
        assertThat(lossless(UID.JPEGLosslessSV1).enabled()).isTrue();
        assertThat(lossless("").enabled()).isFalse();
        assertThat(lossless("JPEGLSLossless", "CT,MR", " DX ").modalities()).containsExactlyInAnyOrder("CT", "MR", "DX");
        assertThatThrownBy(() -> lossless(UID.JPEGBaseline8Bit))
                .hasMessageContaining("is lossy").hasMessageContaining("compressOnIngestAllowLossy=true");
        assertThatThrownBy(() -> lossless("JPEGLSNearLossless")).hasMessageContaining("is lossy");
        assertThatThrownBy(() -> lossless(UID.ExplicitVRLittleEndian)).hasMessageContaining("not a compressed");
        assertThatThrownBy(() -> lossless("JPEG-LS")).hasMessageContaining("not a Transfer Syntax UID or keyword");
        assertThatThrownBy(() -> lossless(UID.CTImageStorage)).hasMessageContaining("not a Transfer Syntax");
        assertThatThrownBy(() -> lossless("1.2.840.10008.1.2.4.58")).hasMessageContaining("retired");
        assertThatThrownBy(() -> CompressionPolicy.of(UID.JPEGLSLossless, null, -1, false, true))
                .hasMessageContaining("must not be negative");
        CompressionPolicy lossy = CompressionPolicy.of(UID.JPEGBaseline8Bit, null, 0, true, true);
        assertThat(lossy.lossy()).isTrue();
    }

    @Test
    void aLossyTargetWhenAllowedKeepsTheUidAndMarksLossyImageCompression() throws Exception {
        IngestFixture fixture = fixture("store", CompressionPolicy.of(UID.JPEGLSNearLossless, new String[] {"MR"}, 0,
                true, true));
        Path mr = corpusFiles("native", "MR", 1).get(0);
        Ingest.Stored stored = fixture.storeFile(mr);
        InstanceRecord record = stored.outcome().instance();
        assertThat(record.transferSyntaxUid()).isEqualTo(UID.JPEGLSNearLossless);
        assertThat(record.sopInstanceUid()).isEqualTo(header(mr).getString(Tag.SOPInstanceUID));
        assertIndexedAsStored(fixture, record, fixture.storedPath(stored));
        String dump = dcmdump(fixture.storedPath(stored));
        assertThat(dump).contains("=JPEGLSLossy").contains("(0028,2110) CS [01]").contains("ISO_14495_1");
        assertThat(fixture.index.headers.get(record.sopInstanceUid()).getString(Tag.LossyImageCompression))
                .isEqualTo("01");
    }

    // ------------------------------------------------------------------ cost

    /**
     * What the policy costs on the C-STORE path: ingest time per CT image (512x512, 16 bits) into
     * the real filesystem storage (fsync, rename), as received and compressed. Printed, never
     * asserted (CI machines differ); the best of three rounds after the JIT has warmed up.
     */
    @Test
    void ingestTimePerCtImageWithAndWithoutCompression() throws Exception {
        List<byte[]> cts = new ArrayList<>();
        for (Path p : corpusFiles("native", "CT", 18)) {
            cts.add(Files.readAllBytes(p));
        }
        Map<String, CompressionPolicy> modes = new LinkedHashMap<>();
        modes.put("as received", CompressionPolicy.OFF);
        modes.put("JPEG-LS, verified", lossless(UID.JPEGLSLossless));
        modes.put("JPEG-LS, unverified", CompressionPolicy.of(UID.JPEGLSLossless, null, 0, false, false));
        modes.put("RLE, verified", lossless(UID.RLELossless));
        StringBuilder report = new StringBuilder(String.format(
                "Ingest of %d CT images (512x512x16), real filesystem storage, best of 3 rounds:%n", cts.size()));
        int round = 0;
        for (Map.Entry<String, CompressionPolicy> mode : modes.entrySet()) {
            double best = Double.MAX_VALUE;
            long storedBytes = 0;
            for (int i = 0; i < 4; i++) {
                var storage = org.mosaicpacs.storage.fs.internal.ReactorStorage.fileSystem(temp.resolve("fs" + round++));
                ArchiveSettings settings = new ArchiveSettings("fs", DuplicatePolicy.REJECT, List.of(), 0, 64L << 20,
                        mode.getValue());
                InMemoryIndex index = new InMemoryIndex();
                Ingest ingest = new Ingest(index, id -> storage, settings, new IngestCompressor(mode.getValue(),
                        () -> transcoder, 4 << 20, temp.resolve("spool")), java.time.Clock.systemUTC(), Runnable::run);
                long start = System.nanoTime();
                for (byte[] ct : cts) {
                    ingest.store(StoreRequest.part10("TEST"), new ByteArrayInputStream(ct));
                }
                double ms = (System.nanoTime() - start) / 1e6 / cts.size();
                if (i > 0) { // round 0 warms the JIT up
                    best = Math.min(best, ms);
                }
                storedBytes = index.instances.values().stream().mapToLong(InstanceRecord::size).sum();
            }
            report.append(String.format("  %-20s %6.1f ms per image, %,11d bytes stored%n", mode.getKey(), best,
                    storedBytes));
        }
        System.out.print(report);
    }

    // ------------------------------------------------------------------ helpers

    /** The index records the data set as stored (e.g. Planar Configuration after RLE, Lossy Image Compression). */
    private static void assertIndexedAsStored(IngestFixture fixture, InstanceRecord record, Path stored) throws IOException {
        DataSet indexed = fixture.index.headers.get(record.sopInstanceUid());
        DataSet file = header(stored);
        for (int tag : new int[] {Tag.PhotometricInterpretation, Tag.PlanarConfiguration, Tag.BitsAllocated,
                Tag.BitsStored, Tag.PixelRepresentation, Tag.LossyImageCompression, Tag.SOPInstanceUID}) {
            assertThat(indexed.getString(tag)).as(Tag.class.getSimpleName() + " " + Integer.toHexString(tag))
                    .isEqualTo(file.getString(tag));
        }
    }

    private static Ingest.Stored storeAsDimse(IngestFixture fixture, Path file) throws IOException, ArchiveException {
        return fixture.ingest.store(new StoreRequest("DIMSE", "MODALITY", "MOSAIC", "127.0.0.1", receivedSyntax(file),
                false, null, null), new ByteArrayInputStream(IngestFixture.dataSetBytes(file)));
    }

    static List<Path> corpusFiles(String folder, String modality, int limit) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path p : TestData.dicomFilesUnder(TestData.mixedCorpus().resolve(folder))) {
            if (found.size() < limit && modality.equals(header(p).getString(Tag.Modality))) {
                found.add(p);
            }
        }
        return found;
    }

    private static List<Path> corpusFilesOfClass(String sopClass, int limit) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path p : TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native"))) {
            if (found.size() < limit && sopClass.equals(header(p).getString(Tag.SOPClassUID))) {
                found.add(p);
            }
        }
        return found;
    }

    static DataSet header(Path file) throws IOException {
        try (DicomReader r = DicomReader.open(file)) {
            return r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        }
    }

    static String receivedSyntax(Path file) throws IOException {
        try (DicomReader r = DicomReader.open(file)) {
            return r.transferSyntax().uid();
        }
    }

    private static DataSet fullDataSet(Path file) throws IOException {
        try (DicomReader r = DicomReader.open(file)) {
            return r.readDataSet();
        }
    }

    private Path write(DataSet ds, String name) throws IOException {
        Path file = temp.resolve(name);
        DicomWriter.writeFile(file, ds, UID.ExplicitVRLittleEndian, WriteOptions.defaults());
        return file;
    }

    private static String dcmdump(Path file) {
        return Tools.run(Duration.ofSeconds(30), List.of(Tools.require("dcmdump").toString(), file.toString()))
                .assertSuccess().out();
    }

    /** An independent decoder (DCMTK; GDCM for JPEG 2000) writes the stored file decompressed next to it. */
    private static Path decodeIndependently(Path stored, String ts) {
        Path out = stored.resolveSibling(stored.getFileName() + ".decoded");
        List<String> command = switch (ts) {
            case UID.JPEGLSLossless -> List.of(Tools.require("dcmdjpls").toString(), stored.toString(), out.toString());
            case UID.RLELossless -> List.of(Tools.require("dcmdrle").toString(), stored.toString(), out.toString());
            case UID.JPEGLosslessSV1 -> List.of(Tools.require("dcmdjpeg").toString(), stored.toString(), out.toString());
            case UID.JPEG2000Lossless -> List.of(Tools.require("gdcmconv").toString(), "--raw", stored.toString(),
                    out.toString());
            default -> throw new IllegalArgumentException(ts);
        };
        Tools.run(Duration.ofSeconds(60), command).assertSuccess();
        return out;
    }

    private static void checkWithOracle(List<Map<String, Object>> pairs) throws Exception {
        Path script = TestEnvironment.repoRoot().resolve("bundles/archive/src/test/python/compare-compressed.py");
        Tools.Result result = Tools.run(Duration.ofMinutes(5), List.of(Tools.pydicomPython().toString(), script.toString()),
                null, Map.of(), JSON.writeValueAsString(pairs)).assertSuccess();
        JsonNode answers = JSON.readTree(result.out());
        Map<String, String> failures = new LinkedHashMap<>();
        for (JsonNode a : answers) {
            if (!a.get("ok").asBoolean()) {
                failures.put(a.get("stored").asText(), a.get("problems").toString());
            }
        }
        assertThat(answers).hasSize(pairs.size());
        assertThat(failures).as("pydicom and DCMTK see differences").isEmpty();
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** What the action logs (slf4j-simple writes to System.err), still shown on the console. */
    static String capturingStandardError(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
