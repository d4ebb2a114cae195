package org.mosaicpacs.codec.jpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestFiles;

/**
 * Frames our encoder writes, wrapped into DICOM files by pydicom, decode with DCMTK's dcmdjpeg and
 * GDCM's gdcmconv --raw to the original pixels (lossless) or to 40 dB PSNR or better (lossy, at the
 * default quality); and our decoder gives exactly what dcmdjpeg gives for them.
 *
 * <p>The synthetic ultrasound frame is speckle noise: at quality 90 DCMTK's own dcmcjpeg reaches
 * only 38.7 dB on it (the corpus' syntaxes/VERIFY.md), and so do we, with the same quantization;
 * its bar is 38.5 dB.
 */
class EncoderInteropTest {

    private static final double MIN_PSNR = 40.0;
    private static final double MIN_PSNR_SPECKLE = 38.5;

    private static Path work;
    private static final Map<String, JsonNode> CASES = new LinkedHashMap<>();
    private static final List<JsonNode> RESULTS = new ArrayList<>();

    @BeforeAll
    static void encodeAndVerify() throws Exception {
        Path natives = TestData.mixedCorpus().resolve("syntaxes/implicit-le");
        List<Path> sources = Stream.of("CT", "MR", "SC_GRAY", "SC_RGB", "US", "DX")
                .map(kind -> natives.resolve(kind + "_IM00001.dcm")).toList();
        work = TestVectors.workDir("encoder");
        TestVectors.run("natives", work, sources);
        Map<String, JsonNode> originals = new LinkedHashMap<>();
        for (JsonNode n : TestVectors.readJson(work.resolve("natives.json"))) {
            originals.put(Path.of(n.get("source").asText()).getFileName().toString().replace("_IM00001.dcm", ""), n);
        }
        JpegCodec codec = new JpegCodec(JpegCodec.Settings.DEFAULT);
        JpegCodec codec444 = new JpegCodec(new JpegCodec.Settings(true, false, 6));
        EncodeOptions defaults = EncodeOptions.DEFAULT;
        // CT: 16-bit signed, lossless with every predictor and with restart intervals.
        add("CT-sv1", JpegCodec.JPEG_LOSSLESS_SV1, originals.get("CT"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_LOSSLESS_SV1, image, pixels, defaults));
        for (int sv = 1; sv <= 7; sv++) {
            int predictor = sv;
            add("CT-p14-sv" + sv, JpegCodec.JPEG_LOSSLESS, originals.get("CT"),
                    (image, pixels) -> JpegEncoder.encodeLossless(image, pixels, predictor, 0));
        }
        add("CT-p14-restart", JpegCodec.JPEG_LOSSLESS, originals.get("CT"),
                (image, pixels) -> JpegEncoder.encodeLossless(image, pixels, 6, image.columns() * 7));
        // MR: 12 bits stored, extended and lossless.
        add("MR-extended", JpegCodec.JPEG_EXTENDED, originals.get("MR"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_EXTENDED, image, pixels, defaults));
        add("MR-sv1", JpegCodec.JPEG_LOSSLESS_SV1, originals.get("MR"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_LOSSLESS_SV1, image, pixels, defaults));
        add("MR-p14", JpegCodec.JPEG_LOSSLESS, originals.get("MR"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_LOSSLESS, image, pixels, defaults));
        // DX: 14 bits stored, lossless.
        add("DX-p14", JpegCodec.JPEG_LOSSLESS, originals.get("DX"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_LOSSLESS, image, pixels, defaults));
        // 8-bit grey: baseline (also with restart markers), extended, lossless.
        add("GRAY-baseline", JpegCodec.JPEG_BASELINE, originals.get("SC_GRAY"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_BASELINE, image, pixels, defaults));
        add("GRAY-baseline-restart", JpegCodec.JPEG_BASELINE, originals.get("SC_GRAY"),
                (image, pixels) -> JpegEncoder.encodeDct(image, pixels, true, 90, true, 13));
        add("GRAY-extended", JpegCodec.JPEG_EXTENDED, originals.get("SC_GRAY"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_EXTENDED, image, pixels, defaults));
        add("GRAY-sv1", JpegCodec.JPEG_LOSSLESS_SV1, originals.get("SC_GRAY"),
                (image, pixels) -> codec.encode(JpegCodec.JPEG_LOSSLESS_SV1, image, pixels, defaults));
        // RGB: baseline 4:2:2 and 4:4:4, lossless.
        for (String kind : List.of("SC_RGB", "US")) {
            add(kind + "-baseline-422", JpegCodec.JPEG_BASELINE, originals.get(kind),
                    (image, pixels) -> codec.encode(JpegCodec.JPEG_BASELINE, image, pixels, defaults));
            add(kind + "-baseline-444", JpegCodec.JPEG_BASELINE, originals.get(kind),
                    (image, pixels) -> codec444.encode(JpegCodec.JPEG_BASELINE, image, pixels, defaults));
            add(kind + "-baseline-422-restart", JpegCodec.JPEG_BASELINE, originals.get(kind),
                    (image, pixels) -> JpegEncoder.encodeDct(image, pixels, true, 90, true, 5));
            add(kind + "-sv1", JpegCodec.JPEG_LOSSLESS_SV1, originals.get(kind),
                    (image, pixels) -> codec.encode(JpegCodec.JPEG_LOSSLESS_SV1, image, pixels, defaults));
        }
        ArrayNode manifest = TestVectors.JSON.createArrayNode();
        CASES.values().forEach(manifest::add);
        TestVectors.JSON.writeValue(work.resolve("encoded.json").toFile(), manifest);
        TestVectors.run("verify", work, List.of());
        TestVectors.readJson(work.resolve("verified.json")).forEach(RESULTS::add);
    }

    @FunctionalInterface
    private interface Encoding {
        EncodedFrame encode(ImageDescriptor image, byte[] pixels) throws Exception;
    }

    private static void add(String name, String ts, JsonNode original, Encoding encoding) throws Exception {
        ImageDescriptor image = TestVectors.descriptor(original.get("image"));
        byte[] pixels = TestFiles.read(work.resolve(original.get("raw").asText()));
        EncodedFrame encoded = encoding.encode(image, pixels);
        Files.write(work.resolve(name + ".jpg"), encoded.data());
        ObjectNode node = TestVectors.JSON.createObjectNode();
        node.put("name", name);
        node.put("transferSyntax", ts);
        node.put("lossy", encoded.lossy());
        node.set("image", TestVectors.toJson(encoded.image()));
        node.set("original", original.get("image"));
        node.put("raw", original.get("raw").asText());
        node.putArray("frames").add(name + ".jpg");
        CASES.put(name, node);
    }

    @TestFactory
    Stream<DynamicTest> referenceDecodersGetTheOriginalBack() {
        assertThat(RESULTS).hasSize(2 * CASES.size());
        return RESULTS.stream().map(r -> DynamicTest.dynamicTest(r.get("name").asText() + " by " + r.get("tool").asText(),
                () -> {
                    assertThat(r.has("error")).as("%s failed: %s", r.get("tool"), r.get("error")).isFalse();
                    JsonNode c = CASES.get(r.get("name").asText());
                    if (c.get("lossy").asBoolean()) {
                        double min = r.get("name").asText().startsWith("US-") ? MIN_PSNR_SPECKLE : MIN_PSNR;
                        assertThat(r.get("psnr").asDouble()).as("PSNR in dB").isGreaterThanOrEqualTo(min);
                    } else {
                        assertThat(r.get("maxError").asInt()).as("largest sample error").isZero();
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> ourDecoderMatchesDcmdjpegOnOurStreams() {
        JpegCodec codec = new JpegCodec(JpegCodec.Settings.DEFAULT);
        return RESULTS.stream().filter(r -> r.get("tool").asText().equals("dcmdjpeg") && r.has("raw"))
                .map(r -> DynamicTest.dynamicTest(r.get("name").asText(), () -> {
                    JsonNode c = CASES.get(r.get("name").asText());
                    byte[] jpeg = TestFiles.read(work.resolve(c.get("frames").get(0).asText()));
                    var decoded = codec.decode(c.get("transferSyntax").asText(),
                            TestVectors.descriptor(c.get("image")), jpeg);
                    assertThat(decoded.image().photometricInterpretation()).isEqualTo(r.get("pi").asText());
                    ReferenceDecodeTest.assertSameBytes(decoded.pixels(),
                            TestFiles.read(work.resolve(r.get("raw").asText())));
                }));
    }

    /** Writes the figures the README quotes to target/test-vectors/encoder/report.txt. */
    @AfterAll
    static void writeReport() throws IOException {
        StringBuilder table = new StringBuilder("case | tool | max error | PSNR dB | compressed bytes\n");
        for (JsonNode r : RESULTS) {
            long size = Files.size(work.resolve(r.get("name").asText() + ".jpg"));
            table.append(String.format("%s | %s | %s | %.1f | %d%n", r.get("name").asText(), r.get("tool").asText(),
                    r.path("maxError").asText("-"), r.path("psnr").asDouble(), size));
        }
        Files.writeString(work.resolve("report.txt"), table);
    }
}
