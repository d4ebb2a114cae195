package org.mosaicpacs.codec.rle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.codec.rle.internal.CodecVectors.Vector;

/**
 * Our encoder's output, wrapped into DICOM files by pydicom, decodes with {@code dcmdrle} and
 * {@code gdcmconv --raw} to exactly the original pixels: the corpus' CT (signed 16-bit), MR
 * (12-bit), CR, DX, 8-bit grey, RGB and multi-frame US, plus pydicom's native real files (32-bit
 * RT Dose, odd-sized RGB, planar RGB from a big-endian file).
 */
class RleEncodeRoundTripTest {

    private static final Path DIR = Path.of("target/vectors/encode-roundtrip");
    private static final List<String> TOOLS = List.of(CodecVectors.DCMTK, CodecVectors.GDCM);

    private static final RleCodec CODEC = new RleCodec();
    /** Per encoded vector: its frames as given to the encoder, interleaved for comparison. */
    private static final Map<Vector, List<byte[]>> ORIGINALS = new LinkedHashMap<>();
    private static Map<String, String> failures;

    @BeforeAll
    static void encodeAndDecodeWithTheTools() throws Exception {
        List<Vector> natives = CodecVectors.extract(DIR, List.of()).stream()
                .filter(v -> !v.compressed() && v.frames() > 0 && CODEC.canEncode(CodecVectors.RLE, v.image()))
                .toList();
        StringBuilder tsv = new StringBuilder("id\tsource\tts\tpi\tpc\tframes\tlossy\n");
        for (Vector v : natives) {
            List<byte[]> originals = new ArrayList<>();
            EncodedFrame encoded = null;
            for (int i = 0; i < v.frames(); i++) {
                byte[] pixels = v.frame(i);
                encoded = CODEC.encode(CodecVectors.RLE, v.image(), pixels, EncodeOptions.DEFAULT);
                Files.write(v.dir().resolve("enc-" + i + ".bin"), encoded.data());
                originals.add(Planes.interleaved(v.image(), pixels));
            }
            ORIGINALS.put(v, originals);
            tsv.append(String.join("\t", v.id(), v.source().toString(), CodecVectors.RLE,
                    encoded.image().photometricInterpretation(),
                    Integer.toString(encoded.image().planarConfiguration()), Integer.toString(v.frames()),
                    Boolean.toString(encoded.lossy()))).append('\n');
        }
        Files.writeString(DIR.resolve("encoded.tsv"), tsv);
        CodecVectors.roundTrip(DIR, TOOLS);
        failures = new LinkedHashMap<>();
        for (String line : CodecVectors.readLines(DIR.resolve("roundtrip.tsv")).stream().skip(1).toList()) {
            String[] c = line.split("\t", -1);
            if (!c[2].equals("ok")) {
                failures.put(c[0] + " " + c[1], c[3]);
            }
        }
    }

    @Test
    void coversTheModalitiesAndLayouts() {
        assertThat(ORIGINALS.keySet()).extracting(Vector::id).contains(
                "corpus-implicit-le-CT_IM00001", "corpus-implicit-le-MR_IM00001", "corpus-implicit-le-CR_IM00001",
                "corpus-implicit-le-SC_GRAY_IM00001", "corpus-implicit-le-SC_RGB_IM00001",
                "corpus-implicit-le-US_IM00001", "real-rtdose", "real-SC_rgb_small_odd", "real-ExplVR_BigEnd");
        assertThat(failures).as("tools that could not decode our RLE").isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> toolsDecodeOurRleToTheOriginalPixels() {
        List<DynamicTest> tests = new ArrayList<>();
        ORIGINALS.forEach((v, originals) -> {
            for (String tool : TOOLS) {
                tests.add(DynamicTest.dynamicTest(v.id() + " via " + tool, () -> {
                    assertThat(failures).doesNotContainKey(v.id() + " " + tool);
                    for (int i = 0; i < originals.size(); i++) {
                        byte[] decoded = v.reference(tool, i);
                        assertThat(Arrays.mismatch(decoded, originals.get(i)))
                                .as("frame %d: first byte that differs", i).isEqualTo(-1);
                    }
                }));
            }
        });
        return tests.stream();
    }

    @Test
    void ourDecoderReadsOurEncoderBack() throws IOException {
        for (Map.Entry<Vector, List<byte[]>> e : ORIGINALS.entrySet()) {
            Vector v = e.getKey();
            for (int i = 0; i < e.getValue().size(); i++) {
                byte[] encoded = Files.readAllBytes(v.dir().resolve("enc-" + i + ".bin"));
                try {
                    byte[] decoded = CODEC.decode(CodecVectors.RLE, v.image(), encoded).pixels();
                    assertThat(decoded).as(v.id() + " frame " + i).isEqualTo(e.getValue().get(i));
                } catch (Exception ex) {
                    throw new AssertionError(v.id() + " frame " + i, ex);
                }
            }
        }
    }
}
