package org.mosaicpacs.codec.jpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestFiles;

/**
 * Every frame of every JPEG file among pydicom's real files and the generated corpus (DCMTK- and
 * GDCM-encoded) decodes to exactly the bytes DCMTK's dcmdjpeg gives (default: YCbCr to RGB), and
 * with colour conversion off to exactly what dcmdjpeg +cn and GDCM's gdcmconv --raw give.
 */
class ReferenceDecodeTest {

    private static Path work;
    private static List<JsonNode> entries;

    @BeforeAll
    static void makeVectors() {
        List<Path> files = new ArrayList<>(TestData.realDicomFiles());
        files.addAll(TestVectors.corpusJpegFiles());
        work = TestVectors.workDir("references");
        TestVectors.run("references", work, files);
        entries = new ArrayList<>();
        TestVectors.readJson(work.resolve("references.json")).forEach(entries::add);
    }

    @Test
    void coversRealAndCorpusFilesOfEverySyntax() {
        assertThat(entries).extracting(e -> e.get("transferSyntax").asText()).contains(
                JpegCodec.JPEG_BASELINE, JpegCodec.JPEG_EXTENDED, JpegCodec.JPEG_LOSSLESS_SV1);
        assertThat(entries.stream().filter(e -> e.get("source").asText().contains("pydicom")).count())
                .isGreaterThanOrEqualTo(16);
        assertThat(entries.stream().filter(e -> e.get("source").asText().contains("syntaxes")).count())
                .isGreaterThanOrEqualTo(15);
    }

    @TestFactory
    Stream<DynamicTest> decodesLikeDcmdjpeg() {
        JpegCodec codec = new JpegCodec(JpegCodec.Settings.DEFAULT);
        return entries.stream().map(e -> DynamicTest.dynamicTest(name(e), () -> {
            JsonNode dcmtk = e.get("refs").get("dcmtk");
            JsonNode reference = dcmtk;
            if (dcmtk.has("error")) {
                // DCMTK cannot parse pydicom's deliberately malformed SC_rgb_jpeg.dcm data set; its
                // Photometric Interpretation is RGB, so no colour conversion applies and GDCM's
                // decode is the reference.
                assertThat(e.get("image").get("photometricInterpretation").asText()).doesNotStartWith("YBR");
                reference = e.get("refs").get("gdcm");
            }
            assertDecodesTo(codec, e, reference);
        }));
    }

    @TestFactory
    Stream<DynamicTest> withoutColourConversionDecodesLikeGdcmAndDcmdjpegCn() {
        JpegCodec codec = new JpegCodec(new JpegCodec.Settings(false, true, 6));
        return entries.stream().map(e -> DynamicTest.dynamicTest(name(e), () -> {
            JsonNode gdcm = e.get("refs").get("gdcm");
            JsonNode dcmtkCn = e.get("refs").get("dcmtk-cn");
            assertThat(gdcm.has("error")).as("gdcmconv failed: %s", gdcm).isFalse();
            if (!dcmtkCn.has("error")) {
                assertThat(TestFiles.read(work.resolve(dcmtkCn.get("raw").asText())))
                        .as("dcmdjpeg +cn and gdcmconv --raw agree")
                        .isEqualTo(TestFiles.read(work.resolve(gdcm.get("raw").asText())));
            }
            assertDecodesTo(codec, e, gdcm);
        }));
    }

    private static String name(JsonNode e) {
        String source = e.get("source").asText();
        int cut = source.indexOf("syntaxes/");
        String shortName = cut >= 0 ? source.substring(cut + 9) : Path.of(source).getFileName().toString();
        return shortName + " frame " + e.get("frame").asInt();
    }

    private void assertDecodesTo(JpegCodec codec, JsonNode e, JsonNode reference) throws Exception {
        ImageDescriptor image = TestVectors.descriptor(e.get("image"));
        byte[] jpeg = TestFiles.read(work.resolve(e.get("jpeg").asText()));
        DecodedFrame decoded = codec.decode(e.get("transferSyntax").asText(), image, jpeg);
        byte[] expected = TestFiles.read(work.resolve(reference.get("raw").asText()));
        assertThat(decoded.image().photometricInterpretation()).isEqualTo(reference.get("pi").asText());
        assertThat(decoded.image().planarConfiguration()).isEqualTo(image.samplesPerPixel() > 1 ? 0
                : image.planarConfiguration());
        assertSameBytes(decoded.pixels(), expected);
    }

    static void assertSameBytes(byte[] actual, byte[] expected) {
        assertThat(actual.length).as("decoded length").isEqualTo(expected.length);
        int first = Arrays.mismatch(actual, expected);
        if (first >= 0) {
            int differing = 0;
            for (int i = 0; i < actual.length; i++) {
                differing += actual[i] != expected[i] ? 1 : 0;
            }
            fail("%d of %d bytes differ, first at %d: %d instead of %d", differing, actual.length, first,
                    actual[first] & 0xFF, expected[first] & 0xFF);
        }
    }
}
