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
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.CodecVectors;
import org.mosaicpacs.testing.codec.CodecVectors.Vector;
import org.mosaicpacs.testing.codec.Planes;

/**
 * Our encoder's output, wrapped into DICOM files by pydicom, decodes with {@code dcmdrle} and
 * {@code gdcmconv --raw} to exactly the original pixels: the corpus' CT (signed 16-bit), MR
 * (12-bit), CR, DX, 8-bit grey, RGB and multi-frame US, plus pydicom's native real files (32-bit
 * RT Dose, odd-sized RGB, planar RGB from a big-endian file).
 */
class RleEncodeRoundTripTest {

    private static final Path DIR = Path.of("target/vectors/encode-roundtrip");
    private static final List<String> TOOLS = List.of(CodecVectors.DCMTK_RLE, CodecVectors.GDCM);

    private static final RleCodec CODEC = new RleCodec();
    /** Per encoded vector: its frames as given to the encoder, interleaved for comparison. */
    private static final Map<Vector<ImageDescriptor>, List<byte[]>> ORIGINALS = new LinkedHashMap<>();
    private static Map<String, String> failures;

    @BeforeAll
    static void encodeAndDecodeWithTheTools() throws Exception {
        List<Vector<ImageDescriptor>> natives = RleVectors.VECTORS.extract(DIR, List.of()).stream()
                .filter(v -> !v.compressed() && v.frames() > 0 && CODEC.canEncode(RleCodec.RLE_LOSSLESS, v.image()))
                .toList();
        CodecVectors.Encoded encodedFrames = new CodecVectors.Encoded();
        for (Vector<ImageDescriptor> v : natives) {
            List<byte[]> originals = new ArrayList<>();
            EncodedFrame encoded = null;
            for (int i = 0; i < v.frames(); i++) {
                byte[] pixels = v.frame(i);
                encoded = CODEC.encode(RleCodec.RLE_LOSSLESS, v.image(), pixels, EncodeOptions.DEFAULT);
                Files.write(v.dir().resolve("enc-" + i + ".bin"), encoded.data());
                originals.add(Planes.interleaved(pixels, v.image().samplesPerPixel(), v.image().bitsAllocated(),
                        v.image().planarConfiguration()));
            }
            ORIGINALS.put(v, originals);
            encodedFrames.add(v.id(), v.source(), RleCodec.RLE_LOSSLESS, encoded.image().photometricInterpretation(),
                    encoded.image().planarConfiguration(), v.frames(), encoded.lossy());
        }
        failures = CodecVectors.roundTrip(DIR, encodedFrames, TOOLS);
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
        for (Map.Entry<Vector<ImageDescriptor>, List<byte[]>> e : ORIGINALS.entrySet()) {
            Vector<ImageDescriptor> v = e.getKey();
            for (int i = 0; i < e.getValue().size(); i++) {
                byte[] encoded = Files.readAllBytes(v.dir().resolve("enc-" + i + ".bin"));
                try {
                    byte[] decoded = CODEC.decode(RleCodec.RLE_LOSSLESS, v.image(), encoded).pixels();
                    assertThat(decoded).as(v.id() + " frame " + i).isEqualTo(e.getValue().get(i));
                } catch (Exception ex) {
                    throw new AssertionError(v.id() + " frame " + i, ex);
                }
            }
        }
    }
}
