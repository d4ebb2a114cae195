package org.mosaicpacs.codec.rle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.CodecVectors;
import org.mosaicpacs.testing.codec.CodecVectors.Vector;

/**
 * Every RLE frame among pydicom's real files and the corpus (DCMTK- and GDCM-encoded) decodes to
 * exactly what {@code dcmdrle}, {@code gdcmconv --raw} and pydicom's RLE handler produce.
 *
 * <p>One known exception: GDCM 3.0.21 mis-assembles colour RLE with more than one byte per sample
 * (pydicom's SC_rgb_rle_16bit/32bit: a pure red pixel comes out as (0, 0xFF00, 0x00FF)) and fails
 * to write the 2-frame variants. For those frames DCMTK and pydicom, which agree, are the reference.
 */
class RleReferenceDecodeTest {

    private static List<Vector<ImageDescriptor>> vectors;
    private final RleCodec codec = new RleCodec();

    @BeforeAll
    static void makeVectors() {
        vectors = RleVectors.VECTORS.extract(Path.of("target/vectors/reference-decode"),
                List.of(CodecVectors.DCMTK_RLE, CodecVectors.GDCM, CodecVectors.PYDICOM_RLE)).stream()
                .filter(Vector::compressed).toList();
    }

    @Test
    void theReferenceSetCoversWhatTheCodecClaims() {
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(20);
        assertThat(vectors).allSatisfy(v -> assertThat(v.refs()).as(v.id() + ": " + v.notes())
                .contains(CodecVectors.DCMTK_RLE, CodecVectors.PYDICOM_RLE));
        assertThat(vectors).filteredOn(v -> !gdcmMisreads(v))
                .allSatisfy(v -> assertThat(v.refs()).as(v.id() + ": " + v.notes()).contains(CodecVectors.GDCM));
        assertThat(vectors).extracting(v -> v.image().bitsAllocated()).contains(8, 16, 32);
        assertThat(vectors).extracting(v -> v.image().samplesPerPixel()).contains(1, 3);
        assertThat(vectors).filteredOn(v -> v.frames() > 1).isNotEmpty();
        // GDCM writes colour RLE with Planar Configuration 1 (PS3.5 G.2 note), DCMTK's copies say 0.
        assertThat(vectors).extracting(v -> v.image().planarConfiguration()).contains(0, 1);
    }

    /** The GDCM bug described above: colour with 16 or 32 Bits Allocated. */
    private static boolean gdcmMisreads(Vector<ImageDescriptor> v) {
        return v.image().samplesPerPixel() == 3 && v.image().bitsAllocated() > 8;
    }

    @TestFactory
    Stream<DynamicTest> decodesLikeDcmtkAndGdcm() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Vector<ImageDescriptor> v : vectors) {
            for (int i = 0; i < v.frames(); i++) {
                int frame = i;
                tests.add(DynamicTest.dynamicTest(v.id() + " frame " + frame, () -> {
                    DecodedFrame decoded = codec.decode(RleCodec.RLE_LOSSLESS, v.image(), v.frame(frame));
                    assertThat(decoded.image().planarConfiguration()).isZero();
                    assertThat(decoded.pixels()).hasSize((int) v.image().frameLength());
                    for (String tool : v.refs()) {
                        if (tool.equals(CodecVectors.GDCM) && gdcmMisreads(v)) {
                            continue;
                        }
                        byte[] expected = v.reference(tool, frame);
                        assertThat(Arrays.mismatch(decoded.pixels(), expected))
                                .as("%s frame %d: first byte that differs from %s", v.id(), frame, tool)
                                .isEqualTo(-1);
                    }
                }));
            }
        }
        return tests.stream();
    }
}
