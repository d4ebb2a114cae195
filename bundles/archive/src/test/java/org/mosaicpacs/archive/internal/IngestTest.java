package org.mosaicpacs.archive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.ArchiveException.Reason;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The ingest pipeline on real files: what is stored is what was sent, byte for byte, and bad
 * input is refused with the right reason and leaves nothing behind. pydicom is the oracle for
 * "the same object".
 */
class IngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Real files the archive must refuse, and why (they are deliberately broken or are not instances). */
    private static final Map<String, Reason> EXPECTED_REFUSALS = Map.ofEntries(
            Map.entry("MR_truncated.dcm", Reason.CANNOT_UNDERSTAND),
            Map.entry("rtplan_truncated.dcm", Reason.CANNOT_UNDERSTAND),
            Map.entry("DICOMDIR-nooffset", Reason.CANNOT_UNDERSTAND));

    @TempDir
    Path temp;

    @Test
    void everyRealFileIsStoredAsSentOrRefusedWithAReason() throws Exception {
        List<Map<String, Object>> pairs = new ArrayList<>();
        Map<String, String> refused = new TreeMap<>();
        int n = 0;
        for (Path file : TestData.realDicomFiles()) {
            String name = TestData.realFilesDir().relativize(file).toString();
            // A fresh archive per file: several of pydicom's files share SOP Instance UIDs.
            IngestFixture fixture = new IngestFixture(temp.resolve("store" + n++), DuplicatePolicy.REJECT);
            try {
                Ingest.Stored stored = fixture.storeFile(file);
                Path copy = fixture.storedPath(stored);
                assertThat(IngestFixture.dataSetBytes(copy)).as(name).isEqualTo(IngestFixture.dataSetBytes(file));
                pairs.add(Map.of("original", file.toString(), "stored", copy.toString(),
                        "ts", stored.outcome().instance().transferSyntaxUid()));
            } catch (ArchiveException e) {
                refused.put(name, e.reason() + ": " + e.getMessage());
                assertThat(fixture.storedFiles()).as(name + " left nothing").isEmpty();
            }
        }
        assertThat(pairs).hasSizeGreaterThan(80);
        checkWithPydicom(pairs);
        // Every refusal is explained: broken on purpose, or not an instance (no Study/Series UID: DICOMDIR, palettes...).
        refused.forEach((name, why) -> {
            String file = Path.of(name).getFileName().toString();
            if (EXPECTED_REFUSALS.containsKey(file)) {
                assertThat(why).as(name).startsWith(EXPECTED_REFUSALS.get(file).name());
            } else {
                assertThat(why).as(name).matches("MISSING_ATTRIBUTE: .* missing");
            }
        });
        System.out.println("Refused real files: " + refused);
        assertThat(refused).hasSizeLessThan(40);
    }

    @Test
    void everyCorpusFileAndSyntaxIsStoredAsSent() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), DuplicatePolicy.REJECT);
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (Path file : TestData.dicomFilesUnder(TestData.mixedCorpus())) {
            Ingest.Stored stored = fixture.storeFile(file);
            Path copy = fixture.storedPath(stored);
            assertThat(IngestFixture.dataSetBytes(copy)).as(file.toString()).isEqualTo(IngestFixture.dataSetBytes(file));
            pairs.add(Map.of("original", file.toString(), "stored", copy.toString()));
        }
        assertThat(pairs).hasSizeGreaterThan(100);
        checkWithPydicom(pairs);
    }

    @Test
    void bareDataSetsAsDimseDeliversThemAreStoredWithMetaInformationAdded() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), DuplicatePolicy.REJECT);
        List<Map<String, Object>> pairs = new ArrayList<>();
        Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
        for (String target : List.of("implicit-le", "explicit-be", "deflated", "jpegls-lossless", "rle-dcmtk")) {
            for (Path file : TestData.dicomFilesUnder(syntaxes.resolve(target))) {
                String ts;
                try (DicomReader r = DicomReader.open(file)) {
                    ts = r.transferSyntax().uid();
                }
                byte[] dataSet = IngestFixture.dataSetBytes(file);
                Ingest.Stored stored = fixture.ingest.store(new StoreRequest("DIMSE", "MODALITY", "MOSAIC", "127.0.0.1",
                        ts, false, null, null), new ByteArrayInputStream(dataSet));
                Path copy = fixture.storedPath(stored);
                assertThat(IngestFixture.dataSetBytes(copy)).isEqualTo(dataSet);
                pairs.add(Map.of("original", file.toString(), "stored", copy.toString()));
            }
        }
        checkWithPydicom(pairs);
        // The sender's AE title is kept in the meta information (PS3.10 7.1 Source Application Entity Title).
        try (DicomReader r = DicomReader.open(fixture.storedFiles().get(0))) {
            assertThat(r.fileMetaInformation().getString(Tag.SourceApplicationEntityTitle)).isEqualTo("MODALITY");
        }
    }

    @Test
    void truncatedDataSetIsNotUnderstoodAndLeavesNothing() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), DuplicatePolicy.REJECT);
        Path ct = firstCorpusFile("CT");
        byte[] all = Files.readAllBytes(ct);
        for (int cut : new int[] {all.length - 1000, all.length / 2, 800}) {
            byte[] truncated = java.util.Arrays.copyOf(all, cut);
            assertThatThrownBy(() -> fixture.ingest.store(StoreRequest.part10("TEST"), new ByteArrayInputStream(truncated)))
                    .isInstanceOfSatisfying(ArchiveException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CANNOT_UNDERSTAND));
        }
        assertThat(fixture.storedFiles()).isEmpty();
        assertThat(fixture.index.instances).isEmpty();
    }

    @Test
    void dataSetThatDisagreesWithTheCommandIsRefused() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), DuplicatePolicy.REJECT);
        Path ct = firstCorpusFile("CT");
        StoreRequest wrongInstance = new StoreRequest("DIMSE", "A", "B", null, UID.ExplicitVRLittleEndian, false,
                UID.CTImageStorage, "1.2.3.4.5.6.7");
        assertThatThrownBy(() -> fixture.ingest.store(wrongInstance, new ByteArrayInputStream(IngestFixture.dataSetBytes(ct))))
                .isInstanceOfSatisfying(ArchiveException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.DATA_SET_MISMATCH);
                    assertThat(e.getMessage()).contains("SOP Instance UID");
                });
        StoreRequest wrongClass = new StoreRequest("DIMSE", "A", "B", null, UID.ExplicitVRLittleEndian, false,
                UID.MRImageStorage, null);
        assertThatThrownBy(() -> fixture.ingest.store(wrongClass, new ByteArrayInputStream(IngestFixture.dataSetBytes(ct))))
                .isInstanceOfSatisfying(ArchiveException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DATA_SET_MISMATCH));
        assertThat(fixture.storedFiles()).isEmpty();
    }

    @Test
    void missingUidIsRefused() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), DuplicatePolicy.REJECT);
        DataSet ds;
        try (DicomReader r = DicomReader.open(firstCorpusFile("CT"))) {
            ds = r.readDataSet();
        }
        ds.remove(Tag.StudyInstanceUID);
        Path file = temp.resolve("no-study.dcm");
        org.mosaicpacs.dicom.io.DicomWriter.writeFile(file, ds, UID.ExplicitVRLittleEndian,
                org.mosaicpacs.dicom.io.WriteOptions.defaults());
        assertThatThrownBy(() -> fixture.storeFile(file))
                .isInstanceOfSatisfying(ArchiveException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MISSING_ATTRIBUTE);
                    assertThat(e.getMessage()).isEqualTo("Study Instance UID missing");
                });
    }

    @Test
    void duplicatePoliciesRejectIgnoreOrReplace() throws Exception {
        Path ct = firstCorpusFile("CT");
        IngestFixture reject = new IngestFixture(temp.resolve("reject"), DuplicatePolicy.REJECT);
        reject.storeFile(ct);
        assertThatThrownBy(() -> reject.storeFile(ct)).isInstanceOfSatisfying(ArchiveException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_REJECTED));

        IngestFixture ignore = new IngestFixture(temp.resolve("ignore"), DuplicatePolicy.IGNORE);
        Ingest.Stored first = ignore.storeFile(ct);
        Ingest.Stored second = ignore.storeFile(ct);
        assertThat(second.outcome()).isNull();
        assertThat(second.existing()).isEqualTo(first.outcome().instance());

        IngestFixture replace = new IngestFixture(temp.resolve("replace"), DuplicatePolicy.REPLACE);
        replace.storeFile(ct);
        Ingest.Stored replaced = replace.storeFile(ct);
        assertThat(replaced.outcome().replaced()).isNotNull();
        assertThat(replace.storedFiles()).hasSize(1);
    }

    @Test
    void coercionRulesChangeIdentificationAndKeepTheRestByteForByte() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), DuplicatePolicy.REJECT,
                "AdmittingDiagnosesDescription?=None given", "PatientID?=NOT_USED", "OTHER_AE|InstitutionName=Never", "SCANNER*|StationName=Coerced",
                "-ManufacturerModelName");
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (String modality : List.of("CT", "MR", "US")) {
            Path file = firstCorpusFile(modality);
            byte[] dataSet = IngestFixture.dataSetBytes(file);
            Ingest.Stored stored = fixture.ingest.store(new StoreRequest("DIMSE", "SCANNER1", "MOSAIC", null,
                    UID.ExplicitVRLittleEndian, false, null, null), new ByteArrayInputStream(dataSet));
            assertThat(stored.warnings()).containsExactlyInAnyOrder("AdmittingDiagnosesDescription coerced",
                    "StationName coerced", "ManufacturerModelName removed");
            assertThat(stored.header().getString(Tag.AdmittingDiagnosesDescription)).isEqualTo("None given");
            assertThat(stored.header().getString(Tag.PatientID)).as("?= keeps a present value").isNotEqualTo("NOT_USED");
            Map<String, Object> coerced = new LinkedHashMap<>();
            coerced.put("AdmittingDiagnosesDescription", "None given");
            coerced.put("StationName", "Coerced");
            coerced.put("ManufacturerModelName", null);
            pairs.add(Map.of("original", file.toString(), "stored", fixture.storedPath(stored).toString(),
                    "coerced", coerced));
        }
        checkWithPydicom(pairs);
        assertThatThrownBy(() -> CoercionRule.parse("PixelData=1")).hasMessageContaining("groups 0008-0020");
        assertThatThrownBy(() -> CoercionRule.parse("NoSuchKeyword=1")).hasMessageContaining("unknown keyword");
    }

    /**
     * A vendor's private blob before the study and series UIDs (group 0009 here, 20 KB, written
     * by pydicom): the archive refused such images with A900 "Study Instance UID missing", having
     * stopped reading the identification part at the first large value. Stored as sent, and kept
     * when coercion re-encodes the identification part.
     */
    @Test
    void aLargePrivateValueBeforeTheStudyUidIsStoredAsSentAndKeptThroughCoercion() throws Exception {
        Path file = temp.resolve("private-blob.dcm");
        Tools.run(Duration.ofMinutes(1), List.of(Tools.pydicomPython().toString(),
                TestEnvironment.repoRoot().resolve("bundles/archive/src/test/python/private-blob.py").toString(),
                firstCorpusFile("CT").toString(), file.toString(), "20000")).assertSuccess();

        IngestFixture plain = new IngestFixture(temp.resolve("plain"), DuplicatePolicy.REJECT);
        Ingest.Stored stored = plain.storeFile(file);
        assertThat(stored.warnings()).isEmpty();
        assertThat(IngestFixture.dataSetBytes(plain.storedPath(stored))).isEqualTo(IngestFixture.dataSetBytes(file));

        IngestFixture coercing = new IngestFixture(temp.resolve("coercing"), DuplicatePolicy.REJECT, "StationName=Coerced");
        Ingest.Stored coerced = coercing.ingest.store(new StoreRequest("DIMSE", "SCANNER1", "MOSAIC", null,
                UID.ExplicitVRLittleEndian, false, null, null), new ByteArrayInputStream(IngestFixture.dataSetBytes(file)));
        assertThat(coerced.warnings()).containsExactly("StationName coerced");
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("StationName", "Coerced");
        checkWithPydicom(List.of(Map.of("original", file.toString(), "stored", coercing.storedPath(coerced).toString(),
                "coerced", changes)));

        // cut inside the blob: not understood, nothing kept
        byte[] all = Files.readAllBytes(file);
        int blob = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("MOSAIC TEST") + 10_000;
        IngestFixture cut = new IngestFixture(temp.resolve("cut"), DuplicatePolicy.REJECT);
        assertThatThrownBy(() -> cut.ingest.store(StoreRequest.part10("TEST"),
                new ByteArrayInputStream(java.util.Arrays.copyOf(all, blob))))
                .isInstanceOfSatisfying(ArchiveException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CANNOT_UNDERSTAND));
        assertThat(cut.storedFiles()).isEmpty();
    }

    @Test
    void fullDiskIsOutOfResourcesAndKeepsWhatWasStored() throws Exception {
        Path small = temp.resolve("small");
        Files.createDirectories(small);
        if (!"0".equals(Tools.run(Duration.ofSeconds(10), List.of("id", "-u")).out().trim())) {
            TestEnvironment.missing("root, to mount a small tmpfs", "run the suite as root (CI does)");
        }
        Tools.run(Duration.ofSeconds(10), List.of("mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", small.toString()))
                .assertSuccess();
        try {
            IngestFixture fixture = new IngestFixture(small, DuplicatePolicy.REJECT);
            List<Path> cts = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).stream()
                    .filter(p -> p.toString().contains("/ST01/")).filter(IngestTest::isCt).toList();
            int stored = 0;
            ArchiveException full = null;
            for (Path ct : cts) {
                try {
                    fixture.storeFile(ct);
                    stored++;
                } catch (ArchiveException e) {
                    full = e;
                    break;
                }
            }
            assertThat(full).as("a 1.2 MB volume takes two 513 KB CT images, not three").isNotNull();
            assertThat(full.reason()).isEqualTo(Reason.OUT_OF_RESOURCES);
            assertThat(fixture.storedFiles()).hasSize(stored);
            assertThat(fixture.index.instances).hasSize(stored);
            for (Path p : fixture.storedFiles()) {
                try (DicomReader r = DicomReader.open(p)) {
                    assertThat(r.readDataSet().contains(Tag.PixelData)).isTrue();
                }
            }
        } finally {
            Tools.run(Duration.ofSeconds(10), List.of("umount", small.toString())).assertSuccess();
        }
    }

    @Test
    void storingALargeObjectDoesNotHoldItInMemory() throws Exception {
        IngestFixture fixture = new IngestFixture(temp.resolve("store"), DuplicatePolicy.REJECT);
        DataSet ds;
        try (DicomReader r = DicomReader.open(firstCorpusFile("CT"))) {
            ds = r.readDataSet(org.mosaicpacs.dicom.io.StopCondition.beforeTag(Tag.PixelData));
        }
        long pixelBytes = 300L * 1024 * 1024;
        ds.setString(Tag.NumberOfFrames, String.valueOf(pixelBytes / (512 * 512 * 2)));
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        try (var w = org.mosaicpacs.dicom.io.DicomWriter.create(head, org.mosaicpacs.dicom.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                org.mosaicpacs.dicom.io.WriteOptions.defaults())) {
            w.writeDataSet(ds);
            w.writeHeader(Tag.PixelData, org.mosaicpacs.dicom.VR.OW, pixelBytes);
        }
        InputStream stream = new java.io.SequenceInputStream(new ByteArrayInputStream(head.toByteArray()),
                new ZeroStream(pixelBytes));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        Ingest.Stored stored = fixture.ingest.store(new StoreRequest("DIMSE", "A", "B", null, UID.ExplicitVRLittleEndian,
                false, null, null), stream);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(Files.size(fixture.storedPath(stored))).isGreaterThan(pixelBytes);
        assertThat(allocated).as("bytes allocated to store a 300 MB object").isLessThan(32L * 1024 * 1024);
    }

    /** Zeros without allocating them: a large Pixel Data value from nowhere. */
    private static final class ZeroStream extends InputStream {
        private long left;

        ZeroStream(long length) {
            left = length;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }

    private static Path firstCorpusFile(String modality) throws IOException {
        for (Path p : TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native"))) {
            try (DicomReader r = DicomReader.open(p)) {
                if (modality.equals(r.readDataSet(org.mosaicpacs.dicom.io.StopCondition.beforeTag(Tag.PixelData))
                        .getString(Tag.Modality))) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("no " + modality + " in the corpus");
    }

    static boolean isCt(Path p) {
        try (DicomReader r = DicomReader.open(p)) {
            DataSet ds = r.readDataSet(org.mosaicpacs.dicom.io.StopCondition.beforeTag(Tag.PixelData));
            return UID.CTImageStorage.equals(ds.getString(Tag.SOPClassUID));
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkWithPydicom(List<Map<String, Object>> pairs) throws Exception {
        Path script = TestEnvironment.repoRoot().resolve("bundles/archive/src/test/python/compare-stored.py");
        Tools.Result result = Tools.run(Duration.ofMinutes(5), List.of(Tools.pydicomPython().toString(), script.toString()),
                null, Map.of(), JSON.writeValueAsString(pairs)).assertSuccess();
        JsonNode answers = JSON.readTree(result.out());
        List<String> failures = new ArrayList<>();
        for (JsonNode a : answers) {
            if (!a.get("ok").asBoolean()) {
                failures.add(a.get("stored").asText() + ": " + a.get("problems"));
            }
        }
        assertThat(answers).hasSize(pairs.size());
        assertThat(failures).as("pydicom sees differences").isEmpty();
    }
}
