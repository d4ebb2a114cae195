package org.mosaicpacs.transcoder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.testing.TestData;

/**
 * Every file of the corpus' {@code syntaxes/} folders (made by DCMTK and GDCM) and every real
 * pydicom file with Pixel Data in a compressed syntax, transcoded to Explicit VR Little Endian by
 * our transcoder with the real codecs, against the same file decompressed by {@code dcmdrle},
 * {@code dcmdjpeg}, {@code dcmdjpls} or {@code gdcmconv --raw} (uncompressed ones by
 * {@code dcmconv +te}), both read by pydicom.
 */
class DecompressInteropTest {

    /** A file decompressed by us and by the reference tool. */
    record Case(String id, Path source, String sourceTs, DataSet sourceHeader, Path ours, Path reference,
                String tool, TranscodeResult result, TranscodeException failure) {
    }

    /**
     * pydicom's JPEG 2000 file whose SIZ marker is broken (a sequence delimiter inside the code
     * stream): GDCM refuses it too (shared/testdata/REAL-FILES.md).
     */
    private static final Set<String> BROKEN = Set.of("pydicom/JPEG2000-embedded-sequence-delimiter.dcm");


    private static final Map<String, Case> CASES = new ConcurrentHashMap<>();
    private static Map<String, JsonNode> results;

    @BeforeAll
    static void decompressEverything() throws IOException {
        Path work = Interop.workDir("decompress");
        TranscoderComponent transcoder = RealCodecs.transcoder(work.resolve("spool"));
        List<Path[]> sources = new ArrayList<>();
        Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
        try (Stream<Path> dirs = Files.list(syntaxes)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                for (Path f : TestData.dicomFilesUnder(dir)) {
                    sources.add(new Path[] {f, Path.of(dir.getFileName().toString(), f.getFileName().toString())});
                }
            }
        }
        for (Path f : TestData.dicomFilesUnder(TestData.realFilesDir().resolve("test_files"))) {
            sources.add(new Path[] {f, Path.of("pydicom", f.getFileName().toString())});
        }
        sources.parallelStream().forEach(s -> {
            try {
                decompress(transcoder, work, s[0], s[1].toString().replace('\\', '/'));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<Map<String, Object>> jobs = new ArrayList<>();
        CASES.values().stream().filter(c -> c.failure() == null && c.reference() != null).forEach(c ->
                jobs.add(Interop.job("decompressed", c.id(), "ours", c.ours(), "reference", c.reference())));
        results = Interop.check(jobs, work);
    }

    private static void decompress(TranscoderComponent transcoder, Path work, Path file, String id) throws IOException {
        DataSet header;
        String ts;
        try (DicomReader reader = DicomReader.open(file)) {
            header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            if (reader.event() == DicomReader.Event.END || reader.tag() != Tag.PixelData
                    || reader.fileMetaInformation() == null) {
                return; // no image, or no meta information to tell the syntax: nothing to decompress
            }
            ts = reader.transferSyntax().uid();
        } catch (IOException e) {
            return; // pydicom's deliberately broken files: the DICOM library's tests cover them
        }
        String name = id.replace('/', '_');
        Path ours = work.resolve("ours").resolve(name);
        Path reference = work.resolve("reference").resolve(name);
        Files.createDirectories(reference.getParent());
        TranscodeResult result = null;
        TranscodeException failure = null;
        try {
            result = Interop.transcode(transcoder, file, ours, TranscodeRequest.to(UID.ExplicitVRLittleEndian));
        } catch (TranscodeException e) {
            failure = e;
        }
        String tool = referenceTool(ts);
        String problem = Interop.convert(reference, command(tool, file));
        if (problem != null && !tool.equals("gdcm")) {
            tool = "gdcm"; // DCMTK cannot parse pydicom's deliberately malformed SC_rgb_jpeg.dcm; GDCM can
            problem = Interop.convert(reference, command(tool, file));
        }
        CASES.put(id, new Case(id, file, ts, header, ours, problem == null ? reference : null, tool, result, failure));
    }

    private static String referenceTool(String ts) {
        return switch (ts) {
            case RealCodecs.RLE -> "dcmdrle";
            case RealCodecs.JPEG_BASELINE, RealCodecs.JPEG_EXTENDED, RealCodecs.JPEG_LOSSLESS,
                    RealCodecs.JPEG_LOSSLESS_SV1 -> "dcmdjpeg";
            case RealCodecs.JPEG_LS, RealCodecs.JPEG_LS_NEAR -> "dcmdjpls";
            case RealCodecs.J2K_LOSSLESS, RealCodecs.J2K -> "gdcm";
            default -> "dcmconv";
        };
    }

    private static String[] command(String tool, Path file) {
        return switch (tool) {
            case "gdcm" -> new String[] {"gdcmconv", "--raw", file.toString()};
            case "dcmconv" -> new String[] {"dcmconv", "+te", file.toString()};
            default -> new String[] {tool, file.toString()};
        };
    }

    private static List<Case> compressedCases() {
        return CASES.values().stream().filter(c -> !UID.ExplicitVRLittleEndian.equals(c.sourceTs()))
                .sorted(Comparator.comparing(Case::id)).toList();
    }

    @Test
    void everySyntaxOfTheCorpusAndOfPydicomIsCovered() {
        Set<String> syntaxes = new TreeSet<>();
        CASES.values().forEach(c -> syntaxes.add(c.sourceTs()));
        assertThat(syntaxes).contains(RealCodecs.RLE, RealCodecs.JPEG_BASELINE, RealCodecs.JPEG_EXTENDED,
                RealCodecs.JPEG_LOSSLESS_SV1, RealCodecs.JPEG_LS, RealCodecs.JPEG_LS_NEAR, RealCodecs.J2K_LOSSLESS,
                RealCodecs.J2K, UID.ImplicitVRLittleEndian, UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian);
        assertThat(compressedCases()).hasSizeGreaterThan(100);
    }

    @Test
    void everyFileDecompressesOrFailsWithTheFrameNamed() {
        for (Case c : compressedCases()) {
            if (BROKEN.contains(c.id())) {
                assertThat(c.failure()).as(c.id()).isNotNull();
                assertThat(c.failure().reason()).isEqualTo(TranscodeException.Reason.CORRUPT_FRAME);
                assertThat(c.failure().frameNumber()).isEqualTo(1);
                assertThat(c.failure().getMessage()).contains("frame 1");
                assertThat(c.reference()).as("GDCM refuses it too").isNull();
                continue;
            }
            if (c.sourceHeader().getString(Tag.SOPInstanceUID) == null) {
                // pydicom's meta_missing_tsyntax.dcm: no SOP Class or Instance UID, so no Part 10 file
                assertThat(c.failure().reason()).isEqualTo(TranscodeException.Reason.MALFORMED);
                assertThat(c.failure().getMessage()).contains("SOP Class and SOP Instance UID");
                continue;
            }
            assertThat(c.failure()).as(c.id()).isNull();
            assertThat(c.reference()).as("%s: %s decodes it", c.id(), c.tool()).isNotNull();
            assertThat(c.result().targetTransferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
            // uncompressed sources are copied (reordered), compressed ones decoded
            assertThat(c.result().pixelDataConverted()).isEqualTo(TransferSyntax.of(c.sourceTs()).encapsulated());
        }
    }

    @Test
    void pixelsEqualTheReferenceDecoder() {
        List<String> mismatches = new ArrayList<>();
        for (Case c : compressedCases()) {
            JsonNode r = results.get(c.id());
            if (r == null) {
                continue;
            }
            assertThat(r.has("error")).as("%s: %s", c.id(), r.path("error").asText()).isFalse();
            JsonNode px = r.get("pixels");
            // JPEG2000.dcm: JJ2000's and OpenJPEG's 9/7 lifting round differently (codec-jpeg2000 README)
            int tolerance = c.id().equals("pydicom/JPEG2000.dcm") ? 1 : 0;
            if (px.path("max_err").asInt(Integer.MAX_VALUE) > tolerance) {
                mismatches.add(c.id() + " vs " + c.tool() + ": " + px);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void imagePixelAttributesAreWhatTheReferenceWrites() {
        List<String> differences = new ArrayList<>();
        for (Case c : compressedCases()) {
            JsonNode r = results.get(c.id());
            if (r == null) {
                continue;
            }
            JsonNode ours = r.get("ours");
            JsonNode ref = r.get("reference");
            assertThat(ours.get("ts").asText()).isEqualTo(UID.ExplicitVRLittleEndian);
            for (String k : List.of("PhotometricInterpretation", "Rows", "Columns", "SamplesPerPixel", "BitsAllocated",
                    "BitsStored", "HighBit", "PixelRepresentation")) {
                JsonNode expected = ref.get(k);
                if (isJ2k(c) && (k.equals("BitsStored") || k.equals("HighBit"))) {
                    // GDCM states the code stream's precision (16 for its own streams); we keep the data set's
                    expected = TextNode.valueOf(c.sourceHeader().getString(k));
                } else if (c.id().equals("pydicom/J2K_pixelrep_mismatch.dcm") && k.equals("PixelRepresentation")) {
                    // the code stream is unsigned: the codec says so (codec-jpeg2000 README), GDCM keeps the data set's 1
                    expected = TextNode.valueOf("0");
                }
                if (!ours.get(k).equals(expected)) {
                    differences.add(c.id() + " " + k + ": ours " + ours.get(k) + ", expected " + expected + " (" + c.tool()
                            + " " + ref.get(k) + ")");
                }
            }
            JsonNode frames = ours.get("NumberOfFrames");
            assertThat(frames.isNull() ? null : frames.asText()).as(c.id())
                    .isEqualTo(c.sourceHeader().getString(Tag.NumberOfFrames));
            // Our decoders give colour by pixel and say so (samples compare equal above whatever the
            // reference chose); uncompressed sources keep theirs.
            if (ours.get("SamplesPerPixel").asInt() > 1) {
                assertThat(ours.get("PlanarConfiguration").asText()).as(c.id()).isEqualTo(
                        TransferSyntax.of(c.sourceTs()).encapsulated() ? "0" : ref.get("PlanarConfiguration").asText());
            }
            String vr = ours.get("BitsAllocated").asInt() <= 8 ? "OB" : "OW";
            assertThat(ours.get("PixelDataVR").asText()).as("%s Pixel Data VR (PS3.5 A.2)", c.id()).isEqualTo(vr);
            assertThat(ours.get("PixelDataUndefinedLength").asBoolean()).isFalse();
        }
        assertThat(differences).isEmpty();
    }

    private static boolean isJ2k(Case c) {
        return c.sourceTs().equals(RealCodecs.J2K) || c.sourceTs().equals(RealCodecs.J2K_LOSSLESS);
    }

    @Test
    void decompressionKeepsTheInstanceAndItsLossyHistory() {
        for (Case c : compressedCases()) {
            JsonNode r = results.get(c.id());
            if (r == null) {
                continue;
            }
            JsonNode ours = r.get("ours");
            JsonNode ref = r.get("reference");
            assertThat(ours.get("SOPInstanceUID").asText()).as(c.id())
                    .isEqualTo(c.sourceHeader().getString(Tag.SOPInstanceUID));
            assertThat(ours.get("meta_sop_instance").asText()).isEqualTo(ours.get("SOPInstanceUID").asText());
            boolean lossySource = Transcoding.isLossy(c.sourceTs())
                    || "01".equals(c.sourceHeader().getString(Tag.LossyImageCompression));
            // PS3.3 C.7.6.1.1.5: once 01, never reset; decompressing a lossy syntax records it
            JsonNode lossy = ours.get("LossyImageCompression");
            assertThat(lossy.isNull() ? null : lossy.asText()).as(c.id())
                    .isEqualTo(lossySource ? "01" : c.sourceHeader().getString(Tag.LossyImageCompression));
            assertThat(ours.get("LossyImageCompression")).as("%s agrees with %s", c.id(), c.tool())
                    .isEqualTo(ref.get("LossyImageCompression"));
            assertThat(Interop.strings(ours.get("LossyImageCompressionRatio")))
                    .containsAll(Interop.strings(ref.get("LossyImageCompressionRatio")));
            if (Transcoding.isLossy(c.sourceTs())) {
                assertThat(Interop.strings(ours.get("LossyImageCompressionMethod"))).as(c.id())
                        .contains(Transcoding.lossyCompressionMethod(c.sourceTs()).orElseThrow());
            }
            assertThat(ours.get("SourceImageSequence")).as("no new instance, no predecessor").isEqualTo(
                    ref.get("SourceImageSequence"));
        }
    }
}
