package org.mosaicpacs.transcoder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.LossyPolicy;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.testing.TestData;

/**
 * The service's choices (which syntax to send, what can be converted now) and the uncompressed
 * targets and bare data sets, checked with pydicom and DCMTK.
 */
class TranscoderComponentTest {

    private static final ImageDescriptor CT = new ImageDescriptor(512, 512, 1, 16, 16, 15, true, "MONOCHROME2", 0);
    private static final ImageDescriptor RGB = new ImageDescriptor(480, 640, 3, 8, 8, 7, false, "RGB", 0);

    private static Path work;
    private static Path corpus;
    private static TranscoderComponent transcoder;
    private static final List<Map<String, Object>> JOBS = new ArrayList<>();
    private static Map<String, JsonNode> results;
    private static TranscodeResult bareRoundTrip;

    @BeforeAll
    static void convert() throws Exception {
        work = Interop.workDir("component");
        transcoder = RealCodecs.transcoder(work.resolve("spool"));
        corpus = TestData.mixedCorpus().resolve("syntaxes");
        for (String source : List.of("jpeg-lossless-sv1/CT_IM00001.dcm", "jpeg-baseline/US_IM00001.dcm",
                "rle-dcmtk/SC_RGB_IM00001.dcm", "implicit-le/US_IM00001.dcm", "implicit-le/SC_GRAY_IM00001.dcm")) {
            Path file = corpus.resolve(source);
            String name = source.replace('/', '_');
            Path reference = work.resolve("reference-" + name);
            String tool = source.startsWith("rle") ? "dcmdrle" : source.startsWith("jpeg") ? "dcmdjpeg" : "dcmconv";
            assertThat(Interop.convert(reference, tool, file.toString())).isNull();
            for (String target : List.of(UID.ImplicitVRLittleEndian, UID.ExplicitVRBigEndian,
                    UID.DeflatedExplicitVRLittleEndian)) {
                Path ours = work.resolve(target + "-" + name);
                Interop.transcode(transcoder, file, ours, TranscodeRequest.to(target));
                JOBS.add(Interop.job("decompressed", target + "/" + source, "ours", ours, "reference", reference));
            }
        }
        // Part 10 -> bare Explicit VR LE data set -> (bare source) -> Part 10 JPEG-LS, checked by dcmdjpls
        ByteArrayOutputStream bare = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(corpus.resolve("rle-dcmtk/CT_IM00001.dcm"))) {
            transcoder.transcode(in, bare, TranscodeRequest.to(UID.ExplicitVRLittleEndian).withPart10(false));
        }
        try (DicomReader reader = DicomReader.open(new ByteArrayInputStream(bare.toByteArray()),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.loadAll())) {
            assertThat(reader.fileMetaInformation()).isNull();
            assertThat(reader.readDataSet().getBytes(Tag.PixelData)).hasSize(512 * 512 * 2);
        }
        Path jls = work.resolve("bare-to-jls.dcm");
        try (var out = Files.newOutputStream(jls)) {
            bareRoundTrip = transcoder.transcode(new ByteArrayInputStream(bare.toByteArray()), out,
                    TranscodeRequest.to(RealCodecs.JPEG_LS).withSourceTransferSyntax(UID.ExplicitVRLittleEndian));
        }
        JOBS.add(Interop.job("compressed", "bare", "ours", jls, "original", corpus.resolve("implicit-le/CT_IM00001.dcm"),
                "tools", List.of("dcmtk", "gdcm"), "work", work.resolve("bare")));
        results = Interop.check(JOBS, work);
    }

    @Test
    void uncompressedTargetsHoldThePixelsOfTheReference() {
        for (Map<String, Object> job : JOBS) {
            if (!job.get("kind").equals("decompressed")) {
                continue;
            }
            String id = (String) job.get("id");
            JsonNode r = results.get(id);
            assertThat(r.has("error")).as("%s: %s", id, r.path("error").asText()).isFalse();
            assertThat(r.get("pixels").get("equal").asBoolean()).as(id).isTrue();
            JsonNode ours = r.get("ours");
            assertThat(ours.get("ts").asText()).isEqualTo(id.substring(0, id.indexOf('/')));
            if (!id.startsWith(UID.ImplicitVRLittleEndian + "/")) {
                assertThat(ours.get("PixelDataVR").asText()).as("%s (PS3.5 A.2, A.3)", id)
                        .isEqualTo(ours.get("BitsAllocated").asInt() <= 8 ? "OB" : "OW");
            }
        }
    }

    @Test
    void bareDataSetsGoInAndOut() {
        assertThat(bareRoundTrip.sourceTransferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
        JsonNode r = results.get("bare");
        assertThat(r.has("error")).as(r.path("error").asText()).isFalse();
        assertThat(r.get("ours").get("ts").asText()).isEqualTo(RealCodecs.JPEG_LS);
        r.get("tools").forEach(t -> assertThat(t.get("equal").asBoolean()).as(t.toString()).isTrue());
    }

    @Test
    void aLossyCopyForDisplayCanKeepItsUid() throws Exception {
        Path source = corpus.resolve("implicit-le/SC_RGB_IM00001.dcm");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TranscodeResult result;
        try (InputStream in = Files.newInputStream(source)) {
            result = transcoder.transcode(in, out, TranscodeRequest.to(RealCodecs.JPEG_BASELINE)
                    .withLossyPolicy(LossyPolicy.KEEP_SOP_INSTANCE_UID));
        }
        assertThat(result.lossy()).isTrue();
        assertThat(result.sopInstanceUidChanged()).isFalse();
        try (DicomReader reader = DicomReader.open(new ByteArrayInputStream(out.toByteArray()), ReadOptions.loadAll())) {
            DataSet ds = reader.readDataSet();
            assertThat(ds.getString(Tag.SOPInstanceUID)).isEqualTo(result.sourceSopInstanceUid());
            assertThat(ds.getString(Tag.LossyImageCompression)).isEqualTo("01");
            assertThat(ds.getString(Tag.LossyImageCompressionMethod)).isEqualTo("ISO_10918_1");
            assertThat(ds.contains(Tag.SourceImageSequence)).isFalse();
            assertThat(ds.getString(Tag.PhotometricInterpretation)).isEqualTo("YBR_FULL_422");
        }
    }

    @Test
    void canTranscodeFollowsTheRegisteredCodecs() {
        assertThat(transcoder.canTranscode(UID.ExplicitVRLittleEndian, RealCodecs.JPEG_LS, CT)).isTrue();
        assertThat(transcoder.canTranscode(UID.ExplicitVRLittleEndian, RealCodecs.JPEG_BASELINE, CT))
                .as("16-bit signed is no JPEG Baseline").isFalse();
        assertThat(transcoder.canTranscode(RealCodecs.JPEG_BASELINE, RealCodecs.J2K_LOSSLESS,
                RGB.withPhotometricInterpretation("YBR_FULL_422"))).isTrue();
        assertThat(transcoder.canTranscode(RealCodecs.JPEG_BASELINE, RealCodecs.JPEG_BASELINE, CT)).isTrue();
        assertThat(transcoder.canTranscode(UID.ExplicitVRBigEndian, UID.ImplicitVRLittleEndian, CT)).isTrue();
        assertThat(transcoder.canTranscode("1.2.840.10008.1.2.4.201", UID.ExplicitVRLittleEndian, CT))
                .as("HTJ2K: no codec").isFalse();
        assertThat(transcoder.canTranscode("1.2.840.10008.1.2.4.201", UID.ExplicitVRLittleEndian, null))
                .as("no Pixel Data: nothing to decode").isTrue();
    }

    @Test
    void selectionPrefersTheStoredSyntaxThenLosslessThenLossyIfAllowed() {
        List<String> jpegFirst = List.of(RealCodecs.JPEG_BASELINE, RealCodecs.JPEG_LS, UID.ExplicitVRLittleEndian);
        assertThat(transcoder.selectTransferSyntax(RealCodecs.RLE, RGB, jpegFirst, true))
                .contains(RealCodecs.JPEG_LS);
        assertThat(transcoder.selectTransferSyntax(RealCodecs.JPEG_LS, RGB, jpegFirst, false))
                .contains(RealCodecs.JPEG_LS);
        assertThat(transcoder.selectTransferSyntax(RealCodecs.RLE, RGB, List.of(RealCodecs.JPEG_BASELINE), false))
                .isEmpty();
        assertThat(transcoder.selectTransferSyntax(RealCodecs.RLE, RGB, List.of(RealCodecs.JPEG_BASELINE), true))
                .contains(RealCodecs.JPEG_BASELINE);
        assertThat(transcoder.selectTransferSyntax(RealCodecs.RLE, CT, List.of(RealCodecs.JPEG_BASELINE), true))
                .as("16-bit CT cannot be JPEG Baseline").isEmpty();
        assertThat(transcoder.selectTransferSyntax(RealCodecs.JPEG_BASELINE, RGB.withPhotometricInterpretation(
                "YBR_FULL_422"), List.of(RealCodecs.J2K, UID.ImplicitVRLittleEndian), false))
                .as("decompressing a lossy image loses nothing more").contains(UID.ImplicitVRLittleEndian);
        assertThat(transcoder.selectTransferSyntax(RealCodecs.RLE, null, List.of(RealCodecs.J2K), false))
                .as("no Pixel Data").contains(RealCodecs.J2K);
    }
}
