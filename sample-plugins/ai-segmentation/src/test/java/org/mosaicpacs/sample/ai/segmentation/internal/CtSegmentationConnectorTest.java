package org.mosaicpacs.sample.ai.segmentation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.AiRequest;
import org.mosaicpacs.api.ai.AiResult;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * The sample connector on a generated CT series (make-corpus.py's chest phantom): the SEG and SR
 * it writes are checked by dciodvfy (dicom3tools), dcmdump and dsrdump (DCMTK) and pydicom, which
 * also re-derives every frame from the CT pixels to prove bit packing, frame order and references.
 */
class CtSegmentationConnectorTest {

    private static final Path OUT = Path.of("target", "seg-test").toAbsolutePath();
    private static List<Path> ctFiles;
    private static AiResult result;
    private static Path segFile;
    private static Path srFile;

    @BeforeAll
    static void segmentTheCorpusSeries() throws Exception {
        Path corpus = TestData.corpus("ct-seg", "--profile", "ct", "--patients", "1", "--studies-per-patient", "1",
                "--instances-per-series", "12");
        ctFiles = TestData.dicomFilesUnder(corpus.resolve("native"));
        CtSegmentationConnector connector = new CtSegmentationConnector(new FileArchive(ctFiles), config(), "1.0.0");
        result = connector.process(request(ctFiles));
        Files.createDirectories(OUT);
        segFile = OUT.resolve("seg.dcm");
        srFile = OUT.resolve("sr.dcm");
        DicomWriter.writeFile(segFile, result.objects().get(0), UID.ExplicitVRLittleEndian, WriteOptions.defaults());
        DicomWriter.writeFile(srFile, result.objects().get(1), UID.ExplicitVRLittleEndian, WriteOptions.defaults());
    }

    @Test
    void findsLungAndBoneWithPlausibleVolumes() {
        assertThat(result.objects()).hasSize(2);
        assertThat(result.summary()).matches("Lung \\d+\\.\\d ml, Bone \\d+\\.\\d ml \\(12 slices\\)");
        DataSet seg = result.objects().get(0);
        assertThat(seg.getString(Tag.SOPClassUID)).isEqualTo(UID.SegmentationStorage);
        assertThat(seg.getSequence(Tag.SegmentSequence)).hasSize(2);
        DataSet sr = result.objects().get(1);
        assertThat(sr.getString(Tag.StudyInstanceUID)).isEqualTo(seg.getString(Tag.StudyInstanceUID));
    }

    @Test
    void segmentationAndReportPassDciodvfy() {
        for (Path file : List.of(segFile, srFile)) {
            Tools.Result r = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("dciodvfy").toString(), file.toString()));
            String report = r.out() + r.err();
            assertThat(report.lines().filter(l -> l.startsWith("Error")).toList()).as(file + ":\n" + report).isEmpty();
        }
    }

    @Test
    void dcmtkReadsBothAndTheReportTree() {
        Tools.run(Duration.ofSeconds(60), List.of(Tools.require("dcmdump").toString(), "-E", segFile.toString())).assertSuccess();
        Tools.Result tree = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("dcmdump").toString()
                .replace("dcmdump", "dsrdump"), "-Ee", srFile.toString())).assertSuccess();
        assertThat(tree.out()).contains("Imaging Measurement Report").contains("Referenced Segment")
                .contains("Volume").contains("mm3").doesNotContain("Warning").doesNotContain("Error");
    }

    @Test
    void pydicomDecodesTheFramesToTheThresholdedCtPixels() {
        Path script = TestEnvironment.repoRoot().resolve("sample-plugins/ai-segmentation/src/test/python/check-seg.py");
        List<String> cmd = new ArrayList<>(List.of(Tools.pydicomPython().toString(), script.toString(), segFile.toString(),
                srFile.toString(), "-400", "200"));
        ctFiles.forEach(f -> cmd.add(f.toString()));
        Tools.Result r = Tools.run(Duration.ofMinutes(2), cmd);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("frames ok");
    }

    @Test
    void tooFewSlicesFailPermanently() {
        CtSegmentationConnector connector = new CtSegmentationConnector(new FileArchive(ctFiles), config(), "1.0.0");
        assertThatThrownBy(() -> connector.process(request(ctFiles.subList(0, 2))))
                .isInstanceOfSatisfying(AiException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessage("the CT series has 2 slice(s); at least 3 are needed");
    }

    private static AiRequest request(List<Path> files) throws IOException {
        List<InstanceRecord> records = new ArrayList<>();
        for (Path f : files) {
            try (DicomReader r = DicomReader.open(f)) {
                DataSet h = r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
                records.add(new InstanceRecord(h.getString(Tag.StudyInstanceUID), h.getString(Tag.SeriesInstanceUID),
                        h.getString(Tag.SOPInstanceUID), h.getString(Tag.SOPClassUID), UID.ExplicitVRLittleEndian, "fs",
                        f.toString(), Files.size(f), "MD5", "0", Instant.EPOCH));
            }
        }
        return new AiRequest(1, CtSegmentationConnector.NAME, "default", records.get(0).studyInstanceUid(), records,
                Map.of(), null, 1);
    }

    private static CtSegmentationConnector.Config config() {
        return new CtSegmentationConnector.Config() {
            @Override public Class<? extends Annotation> annotationType() { return CtSegmentationConnector.Config.class; }
            @Override public String[] mosaic_ai_modality() { return new String[] {"CT"}; }
            @Override public int lungMaxHu() { return -400; }
            @Override public int boneMinHu() { return 200; }
            @Override public double minComponentMm3() { return 500; }
            @Override public int minSlices() { return 3; }
            @Override public int seriesNumber() { return 9100; }
        };
    }

    /** An archive that opens the corpus files by SOP Instance UID. */
    private record FileArchive(List<Path> files) implements Archive {
        @Override
        public StoreResult store(StoreRequest request, InputStream stream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StoredInstance open(String sopInstanceUid) throws ArchiveException {
            for (Path f : files) {
                try (DicomReader r = DicomReader.open(f)) {
                    if (sopInstanceUid.equals(r.readDataSet(StopCondition.beforeTag(Tag.SOPInstanceUID + 1))
                            .getString(Tag.SOPInstanceUID))) {
                        InputStream in = Files.newInputStream(f);
                        return new StoredInstance() {
                            @Override public InstanceRecord record() { throw new UnsupportedOperationException(); }
                            @Override public InputStream stream() { return in; }
                            @Override public void close() throws IOException { in.close(); }
                        };
                    }
                } catch (IOException e) {
                    throw new ArchiveException(ArchiveException.Reason.PROCESSING_FAILURE, e.getMessage(), e);
                }
            }
            throw new ArchiveException(ArchiveException.Reason.NOT_FOUND, sopInstanceUid);
        }
    }
}
