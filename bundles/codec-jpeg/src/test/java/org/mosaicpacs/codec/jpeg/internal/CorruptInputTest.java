package org.mosaicpacs.codec.jpeg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.codec.FuzzLoop;
import org.mosaicpacs.testing.codec.Mutations;
import org.opentest4j.TestAbortedException;

/**
 * A seeded fuzz loop over mutated real streams (pydicom's JPEG files and the corpus' DCMTK- and
 * GDCM-encoded MR frames) and our own: truncation, byte flips, inserted and deleted bytes, bogus
 * table counts, zero-size frames. Every call must return a frame or throw a CodecException raised
 * by the decoder's own checks (not its safety net for runtime exceptions), and the loop must end.
 */
class CorruptInputTest {

    private static final Duration BUDGET = Duration.ofSeconds(4);

    private record Seed(String name, String transferSyntax, ImageDescriptor image, byte[] data) {
    }

    private static final List<Seed> SEEDS = new ArrayList<>();

    @BeforeAll
    static void collectSeeds() throws Exception {
        try {
            collectRealSeeds();
        } catch (TestAbortedException e) {
            // pydicom or the corpus tools are missing in a bare build: fuzz our own streams only
            System.out.println("fuzz: no real streams (" + e.getMessage() + ")");
        }
        JpegCodec codec = new JpegCodec(JpegCodec.Settings.DEFAULT);
        ImageDescriptor gray = new ImageDescriptor(24, 40, 1, 16, 12, 11, false, "MONOCHROME2", 0);
        byte[] pixels = JpegCodecTest.synthetic(gray, 1);
        SEEDS.add(new Seed("own restart lossless", JpegCodec.JPEG_LOSSLESS, gray,
                JpegEncoder.encodeLossless(gray, pixels, 7, 80).data()));
        SEEDS.add(new Seed("own restart extended", JpegCodec.JPEG_EXTENDED, gray,
                JpegEncoder.encodeDct(gray, pixels, false, 90, true, 2).data()));
        ImageDescriptor rgb = new ImageDescriptor(19, 33, 3, 8, 8, 7, false, "RGB", 0);
        var colour = codec.encode(JpegCodec.JPEG_BASELINE, rgb, JpegCodecTest.synthetic(rgb, 2), EncodeOptions.DEFAULT);
        SEEDS.add(new Seed("own colour baseline", JpegCodec.JPEG_BASELINE, colour.image(), colour.data()));
    }

    private static void collectRealSeeds() {
        List<Path> files = new ArrayList<>(TestData.realDicomFiles());
        for (Path p : TestVectors.corpusJpegFiles()) {
            if (p.getFileName().toString().startsWith("MR")) { // DCMTK and GDCM, extended and lossless
                files.add(p);
            }
        }
        Path work = TestVectors.workDir("fuzz-seeds");
        TestVectors.run("frames", work, files);
        for (JsonNode e : TestVectors.readJson(work.resolve("references.json"))) {
            if (e.get("frame").asInt() == 0) {
                SEEDS.add(new Seed(e.get("source").asText(), e.get("transferSyntax").asText(),
                        TestVectors.descriptor(e.get("image")), TestFiles.read(work.resolve(e.get("jpeg").asText()))));
            }
        }
        assertThat(SEEDS).hasSizeGreaterThan(15);
    }

    @Test
    void mutatedStreamsFailCleanlyAndNeverHang() {
        JpegCodec codec = new JpegCodec(JpegCodec.Settings.DEFAULT);
        FuzzLoop.Outcome outcome = FuzzLoop.refusing(CodecException.class, 20240611L, BUDGET).atMost(200_000)
                .hangLimit(BUDGET.multipliedBy(10))
                .checkingEachRefusal((label, e) -> {
                    assertThat(e.getCause()).as("%s: decoder crashed inside instead of checking (%s)",
                            label, e.getMessage()).isNull();
                    assertThat(e.getMessage()).isNotBlank();
                })
                .run((iteration, random) -> {
                    Seed seed = SEEDS.get(iteration % SEEDS.size());
                    byte[] mutated = mutate(seed.data(), random);
                    return new FuzzLoop.Attempt(seed.name(),
                            () -> codec.decode(seed.transferSyntax(), seed.image(), mutated));
                });
        System.out.printf("fuzz: %d decoded, %d rejected%n", outcome.decoded(), outcome.rejected());
        assertThat(outcome.rejected()).isPositive();
    }

    private static byte[] mutate(byte[] data, Random random) {
        byte[] m = data.clone();
        switch (random.nextInt(8)) {
            case 0 -> {
                return Mutations.truncate(m, random); // possibly to nothing
            }
            case 1 -> Mutations.flipBits(m, random, 4);
            case 2 -> m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            case 3 -> Mutations.overwriteBytes(m, random, 3, 700); // headers are where the interesting damage is
            case 4 -> {
                // bogus Huffman code counts: rewrite a count byte of the first DHT
                for (int i = 0; i + 21 < m.length; i++) {
                    if (m[i] == (byte) 0xFF && m[i + 1] == (byte) Markers.DHT) {
                        m[i + 5 + random.nextInt(16)] = (byte) random.nextInt(256);
                        break;
                    }
                }
            }
            case 5 -> {
                int at = random.nextInt(m.length);
                byte[] longer = new byte[m.length + 1 + random.nextInt(8)];
                System.arraycopy(m, 0, longer, 0, at);
                for (int i = at; i < at + longer.length - m.length; i++) {
                    longer[i] = (byte) (random.nextBoolean() ? 0xFF : random.nextInt(256));
                }
                System.arraycopy(m, at, longer, at + longer.length - m.length, m.length - at);
                return longer;
            }
            case 6 -> {
                return Mutations.cutChunk(m, random, 16);
            }
            default -> Mutations.marker(m, random.nextInt(m.length - 1), random); // a marker where data was
        }
        return m;
    }
}
