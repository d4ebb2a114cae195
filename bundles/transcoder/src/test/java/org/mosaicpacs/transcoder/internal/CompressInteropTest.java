package org.mosaicpacs.transcoder.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.transcode.LossyPolicy;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoding;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

/**
 * Native images (the corpus' CT, MR, CR, DX, 10-frame US, grey and RGB SC, and pydicom's odd,
 * big-endian, YBR_FULL_422 and 32-bit files) transcoded into every compressed syntax the codecs
 * write, then decoded by DCMTK and GDCM and compared with the original pixels: exact for lossless
 * syntaxes, within NEAR for JPEG-LS near-lossless, PSNR of at least 40 dB for the other lossy
 * ones. pydicom reads the encapsulation (items, Basic and Extended Offset Tables) and the data set
 * rules; dciodvfy validates a few IODs.
 */
class CompressInteropTest {

    private static final List<String> TARGETS = List.of(RealCodecs.RLE, RealCodecs.JPEG_BASELINE,
            RealCodecs.JPEG_EXTENDED, RealCodecs.JPEG_LOSSLESS, RealCodecs.JPEG_LOSSLESS_SV1, RealCodecs.JPEG_LS,
            RealCodecs.JPEG_LS_NEAR, RealCodecs.J2K_LOSSLESS, RealCodecs.J2K);

    /**
     * JPEG 2000 encoding through JJ2000 is slow (about a second of CPU per 2048x2048 frame or per
     * 640x480 RGB frame): the big CR and DX and the 10-frame US are left to the codec's own tests.
     */
    private static final List<String> NO_J2K = List.of("CR", "DX", "US");

    /**
     * Below 40 dB at default quality: the synthetic US speckle (dcmcjpeg reaches the same 38.7 dB,
     * codec-jpeg README) and pydicom's 80x60 US RGB with hard colour edges (dcmcjpeg +eb reaches the
     * same 30.57 dB; JPEG 2000 at 10:1 39.7 dB, codec-jpeg2000 README).
     */
    private static final Map<String, Double> PSNR_FLOOR = Map.of(
            "US/" + RealCodecs.JPEG_BASELINE, 38.5, "US/" + RealCodecs.JPEG_EXTENDED, 38.5,
            "ExplVR_BigEnd/" + RealCodecs.JPEG_BASELINE, 30.5, "ExplVR_BigEnd/" + RealCodecs.JPEG_EXTENDED, 30.5,
            "ExplVR_BigEnd/" + RealCodecs.J2K, 39.0);

    record Case(String id, String kind, Path original, DataSet header, String target, Path ours,
                TranscodeResult result, TranscodeException failure, boolean expected) {
    }

    private static final Map<String, Case> CASES = new ConcurrentHashMap<>();
    private static Map<String, JsonNode> results;
    private static Path work;

    @BeforeAll
    static void compressEverything() throws IOException {
        work = Interop.workDir("compress");
        TranscoderComponent transcoder = RealCodecs.transcoder(work.resolve("spool"));
        Path corpus = TestData.mixedCorpus().resolve("syntaxes").resolve("implicit-le");
        List<Object[]> sources = new ArrayList<>();
        for (String kind : List.of("CT", "MR", "CR", "DX", "US", "SC_GRAY", "SC_RGB")) {
            sources.add(new Object[] {kind, corpus.resolve(kind + "_IM00001.dcm")});
        }
        Path pydicom = TestData.realFilesDir().resolve("test_files");
        for (String name : List.of("SC_rgb_small_odd", "ExplVR_BigEnd", "SC_ybr_full_422_uncompressed", "rtdose",
                "MR_small_bigendian", "CT_small")) {
            sources.add(new Object[] {name, pydicom.resolve(name + ".dcm")});
        }
        List<Object[]> pairs = new ArrayList<>();
        for (Object[] s : sources) {
            for (String target : TARGETS) {
                if (!(NO_J2K.contains(s[0]) && target.startsWith("1.2.840.10008.1.2.4.9"))) {
                    pairs.add(new Object[] {s[0], s[1], target});
                }
            }
        }
        pairs.parallelStream().forEach(p -> {
            try {
                compress(transcoder, (String) p[0], (Path) p[1], (String) p[2], TranscodeRequest.to((String) p[2]),
                        "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        compress(transcoder, "US", corpus.resolve("US_IM00001.dcm"), RealCodecs.JPEG_LS,
                TranscodeRequest.to(RealCodecs.JPEG_LS).withExtendedOffsetTable(true), "-eot");
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Case c : CASES.values()) {
            if (c.failure() == null) {
                List<String> tools = new ArrayList<>(List.of("gdcm"));
                if (!c.target().startsWith("1.2.840.10008.1.2.4.9")) {
                    tools.add("dcmtk");
                }
                if (c.target().equals(RealCodecs.RLE)) {
                    tools.add("pydicom");
                }
                jobs.add(Interop.job("compressed", c.id(), "ours", c.ours(), "original", c.original(), "tools", tools,
                        "work", work.resolve("decoded").resolve(c.id().replace('/', '_'))));
            }
        }
        results = Interop.check(jobs, work);
    }

    private static void compress(TranscoderComponent transcoder, String kind, Path file, String target,
                                 TranscodeRequest request, String suffix) throws IOException {
        DataSet header;
        try (DicomReader reader = DicomReader.open(file)) {
            header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        }
        ImageDescriptor image = Transcoding.imageDescriptor(header).orElseThrow();
        String id = kind + "/" + target + suffix;
        Path ours = work.resolve("ours").resolve(kind + "_" + target + suffix + ".dcm");
        boolean expected = transcoder.canTranscode(UID.ExplicitVRLittleEndian, target, image);
        TranscodeResult result = null;
        TranscodeException failure = null;
        try {
            result = Interop.transcode(transcoder, file, ours, request);
        } catch (TranscodeException e) {
            failure = e;
        }
        CASES.put(id, new Case(id, kind, file, header, target, ours, result, failure, expected));
    }

    private static List<Case> cases() {
        return CASES.values().stream().sorted(Comparator.comparing(Case::id)).toList();
    }

    private static List<Case> converted() {
        return cases().stream().filter(c -> c.failure() == null).toList();
    }

    @Test
    void canTranscodeSaysWhatTranscodeDoes() {
        for (Case c : cases()) {
            assertThat(c.failure() == null).as("%s: canTranscode %s, failure %s", c.id(), c.expected(),
                    c.failure() == null ? null : c.failure().getMessage()).isEqualTo(c.expected());
            if (c.failure() != null) {
                assertThat(c.failure().reason()).as(c.id()).isEqualTo(TranscodeException.Reason.UNSUPPORTED);
                assertThat(c.failure().getMessage()).contains("no codec registered now can encode");
            }
        }
        // what the codec READMEs promise: every image in every lossless syntax except 32-bit in JPEG-family ones
        assertThat(converted().stream().filter(c -> c.kind().equals("CT")).map(Case::target).toList())
                .contains(RealCodecs.RLE, RealCodecs.JPEG_LOSSLESS, RealCodecs.JPEG_LOSSLESS_SV1, RealCodecs.JPEG_LS,
                        RealCodecs.JPEG_LS_NEAR, RealCodecs.J2K_LOSSLESS, RealCodecs.J2K)
                .doesNotContain(RealCodecs.JPEG_BASELINE, RealCodecs.JPEG_EXTENDED); // signed 16-bit
        assertThat(converted().stream().filter(c -> c.kind().equals("rtdose")).map(Case::target).toList())
                .containsExactly(RealCodecs.RLE);
        assertThat(converted()).hasSizeGreaterThan(70);
    }

    @Test
    void referenceDecodersGiveBackThePixels() {
        List<String> failures = new ArrayList<>();
        for (Case c : converted()) {
            JsonNode r = results.get(c.id());
            assertThat(r.has("error")).as("%s: %s", c.id(), r.path("error").asText()).isFalse();
            boolean lossy = c.result().lossy();
            assertThat(lossy).as(c.id()).isEqualTo(Transcoding.isLossy(c.target()));
            r.get("tools").fields().forEachRemaining(t -> {
                JsonNode px = t.getValue();
                String what = c.id() + " decoded by " + t.getKey() + ": " + px;
                if (px.has("error")) {
                    failures.add(what);
                } else if (px.path("colour_converted").asBoolean()) {
                    // DCMTK turns YBR_FULL into RGB even for lossless JPEG (codec-jpeg README); both
                    // conversions round, so the comparison is by PSNR
                    if (px.get("psnr").asDouble() < PSNR_FLOOR.getOrDefault(c.kind() + "/" + c.target(), 40.0)) {
                        failures.add(what);
                    }
                } else if (!lossy) {
                    if (!px.get("equal").asBoolean()) {
                        failures.add(what);
                    }
                } else if (c.target().equals(RealCodecs.JPEG_LS_NEAR)) {
                    if (px.get("max_err").asInt() > 2) { // NEAR 2, EncodeOptions.DEFAULT
                        failures.add(what);
                    }
                } else if (px.get("psnr").asDouble() < PSNR_FLOOR.getOrDefault(c.kind() + "/" + c.target(), 40.0)) {
                    failures.add(what);
                }
            });
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void pydicomFindsEveryFrameWhereTheOffsetTablesSay() {
        for (Case c : converted()) {
            JsonNode e = results.get(c.id()).get("encapsulation");
            int frames = c.header().getInt(Tag.NumberOfFrames, 1);
            assertThat(e.get("items").asInt()).as("%s: one fragment per frame", c.id()).isEqualTo(frames);
            assertThat(e.get("pydicom_frames").asInt()).as(c.id()).isEqualTo(frames);
            assertThat(e.get("pydicom_frames_match_items").asBoolean()).as(c.id()).isTrue();
            assertThat(e.get("odd_items").asInt()).as("%s: items have even length (PS3.5 A.4)", c.id()).isZero();
            List<Long> itemOffsets = Interop.longs(e.get("item_offsets"));
            if (c.id().endsWith("-eot")) {
                assertThat(Interop.longs(e.get("bot"))).as("empty Basic Offset Table with an Extended one").isEmpty();
                assertThat(Interop.longs(e.get("eot"))).isEqualTo(itemOffsets);
                List<Long> lengths = Interop.longs(e.get("eot_lengths"));
                List<Long> items = Interop.longs(e.get("item_lengths"));
                for (int i = 0; i < frames; i++) {
                    assertThat(items.get(i) - lengths.get(i)).as("frame length, item padding").isBetween(0L, 1L);
                }
            } else {
                assertThat(Interop.longs(e.get("bot"))).as("%s: Basic Offset Table points at the item tags", c.id())
                        .isEqualTo(itemOffsets);
                assertThat(results.get(c.id()).get("ours").get("ExtendedOffsetTable").asBoolean()).isFalse();
            }
        }
        assertThat(converted().stream().filter(c -> c.id().endsWith("-eot"))).hasSize(1);
    }

    @Test
    void theDataSetSaysWhatTheFramesAre() {
        for (Case c : converted()) {
            JsonNode ours = results.get(c.id()).get("ours");
            JsonNode original = results.get(c.id()).get("original");
            assertThat(ours.get("ts").asText()).isEqualTo(c.target());
            assertThat(ours.get("PixelDataVR").asText()).as("PS3.5 A.4").isEqualTo("OB");
            assertThat(ours.get("PixelDataUndefinedLength").asBoolean()).isTrue();
            ImageDescriptor written = c.result().image();
            assertThat(ours.get("PhotometricInterpretation").asText()).isEqualTo(written.photometricInterpretation());
            String pi = original.get("PhotometricInterpretation").asText();
            String expectedPi = switch (c.target()) {
                case RealCodecs.JPEG_BASELINE, RealCodecs.JPEG_EXTENDED ->
                        pi.equals("RGB") || pi.startsWith("YBR_FULL") ? "YBR_FULL_422" : pi;
                case RealCodecs.J2K_LOSSLESS -> pi.equals("RGB") ? "YBR_RCT" : pi.equals("YBR_FULL_422") ? "YBR_FULL" : pi;
                case RealCodecs.J2K -> pi.equals("RGB") ? "YBR_ICT" : pi.equals("YBR_FULL_422") ? "YBR_FULL" : pi;
                default -> pi.equals("YBR_FULL_422") ? "YBR_FULL" : pi; // expanded: no encoder takes 4:2:2 input
            };
            assertThat(written.photometricInterpretation()).as(c.id()).isEqualTo(expectedPi);
            if (original.get("SamplesPerPixel").asInt() > 1) {
                // PS3.5 G.2: RLE is by plane; every other syntax here states colour by pixel (PS3.5 8.2)
                assertThat(ours.get("PlanarConfiguration").asText()).as(c.id())
                        .isEqualTo(c.target().equals(RealCodecs.RLE) ? "1" : "0");
            } else {
                assertThat(ours.get("PlanarConfiguration").isNull()).as("%s: only for colour (C.7.6.3.1.3)", c.id())
                        .isEqualTo(original.get("PlanarConfiguration").isNull());
            }
            for (String k : List.of("Rows", "Columns", "SamplesPerPixel", "BitsAllocated", "BitsStored", "HighBit",
                    "PixelRepresentation", "NumberOfFrames")) {
                assertThat(ours.get(k)).as("%s %s", c.id(), k).isEqualTo(original.get(k));
            }
        }
    }

    @Test
    void lossyCompressionMakesANewInstanceAndSaysSo() {
        for (Case c : converted()) {
            JsonNode ours = results.get(c.id()).get("ours");
            JsonNode original = results.get(c.id()).get("original");
            String sopInstance = original.get("SOPInstanceUID").asText();
            assertThat(ours.get("meta_sop_instance")).isEqualTo(ours.get("SOPInstanceUID"));
            if (!c.result().lossy()) {
                assertThat(ours.get("SOPInstanceUID").asText()).as(c.id()).isEqualTo(sopInstance);
                assertThat(ours.get("LossyImageCompression")).as(c.id()).isEqualTo(original.get("LossyImageCompression"));
                assertThat(ours.get("ImageType")).isEqualTo(original.get("ImageType"));
                assertThat(ours.get("SourceImageSequence")).isEqualTo(original.get("SourceImageSequence"));
                continue;
            }
            // PS3.3 C.7.6.1.1.5
            assertThat(ours.get("SOPInstanceUID").asText()).as(c.id()).isNotEqualTo(sopInstance)
                    .isEqualTo(c.result().sopInstanceUid());
            assertThat(ours.get("LossyImageCompression").asText()).isEqualTo("01");
            // appended to the history of earlier lossy compressions (pydicom's SC_ybr_full_422 has one)
            List<String> earlierRatios = Interop.strings(original.get("LossyImageCompressionRatio"));
            List<String> ratios = Interop.strings(ours.get("LossyImageCompressionRatio"));
            assertThat(ratios).hasSize(earlierRatios.size() + 1);
            assertThat(ratios.subList(0, earlierRatios.size())).isEqualTo(earlierRatios);
            String ratio = ratios.get(ratios.size() - 1);
            assertThat(Double.parseDouble(ratio)).isCloseTo(c.result().compressionRatio(),
                    Offset.offset(0.001)).isPositive(); // below 1 for pydicom's 3x3 image: the headers
            List<String> methods = Interop.strings(ours.get("LossyImageCompressionMethod"));
            assertThat(methods).hasSize(ratios.size()).endsWith(
                    Transcoding.lossyCompressionMethod(c.target()).orElseThrow());
            List<String> imageType = Interop.strings(original.get("ImageType"));
            if (!imageType.isEmpty()) {
                assertThat(Interop.strings(ours.get("ImageType")).get(0)).isEqualTo("DERIVED");
                assertThat(Interop.strings(ours.get("ImageType")).subList(1, imageType.size()))
                        .isEqualTo(imageType.subList(1, imageType.size()));
            }
            assertThat(ours.get("DerivationDescription").asText()).contains("Lossy compression with")
                    .contains(ratio);
            assertThat(ours.get("DerivationCodeSequence").toString()).contains("113040", "DCM", "Lossy Compression");
            JsonNode source = ours.get("SourceImageSequence").get(ours.get("SourceImageSequence").size() - 1);
            assertThat(source.get(0).asText()).isEqualTo(original.get("SOPClassUID").asText());
            assertThat(source.get(1).asText()).isEqualTo(sopInstance);
            assertThat(source.get(2).toString()).contains(earlierRatios.isEmpty() ? "121320" : "121322");
        }
    }

    @Test
    void dciodvfyFindsNoNewErrors() {
        List<String> ids = List.of("CT/" + RealCodecs.JPEG_LOSSLESS_SV1, "MR/" + RealCodecs.JPEG_LS,
                "US/" + RealCodecs.JPEG_BASELINE, "US/" + RealCodecs.RLE, "SC_RGB/" + RealCodecs.J2K,
                "DX/" + RealCodecs.JPEG_LS_NEAR);
        for (String id : ids) {
            Case c = CASES.get(id);
            List<String> before = errors(c.original());
            List<String> after = errors(c.ours());
            assertThat(after).as("%s: dciodvfy errors of our file beyond the original's", id)
                    .isSubsetOf(before);
        }
    }

    private static List<String> errors(Path file) {
        Tools.Result r = Tools.run(Duration.ofMinutes(1), List.of(Tools.require("dciodvfy").toString(), file.toString()));
        return Arrays.stream((r.out() + r.err()).split("\n")).filter(l -> l.startsWith("Error"))
                .map(String::strip).toList();
    }

    @Test
    void refusingLossyConversionWritesNothing() throws IOException {
        TranscoderComponent transcoder = RealCodecs.transcoder(work.resolve("spool"));
        Path us = CASES.get("US/" + RealCodecs.RLE).original();
        ByteCountingStream out = new ByteCountingStream();
        try (InputStream in = Files.newInputStream(us)) {
            assertThatThrownBy(() -> transcoder.transcode(in, out, TranscodeRequest.to(RealCodecs.JPEG_BASELINE)
                    .withLossyPolicy(LossyPolicy.REFUSE)))
                    .isInstanceOf(TranscodeException.class)
                    .satisfies(e -> assertThat(((TranscodeException) e).reason())
                            .isEqualTo(TranscodeException.Reason.LOSSY_REFUSED));
        }
        assertThat(out.count).isZero();
    }

    /** Counts what is written. */
    static final class ByteCountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
