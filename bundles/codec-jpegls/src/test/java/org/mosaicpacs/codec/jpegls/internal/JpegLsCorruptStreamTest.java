package org.mosaicpacs.codec.jpegls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.FuzzLoop;
import org.mosaicpacs.testing.codec.Mutations;

/**
 * Corrupt, truncated and bogus JPEG-LS frames raise CodecException with a message, never another
 * exception and never a hang: targeted cases, then a seeded fuzz loop over mutations of real
 * streams (DCMTK, GDCM and our own, covering every interleave mode, near-lossless, LSE and restart
 * markers), bounded in time.
 */
class JpegLsCorruptStreamTest {

    private static final Duration FUZZ_BUDGET = Duration.ofSeconds(5);

    /** A real frame and the descriptor that goes with it. */
    private record Sample(String name, String transferSyntax, ImageDescriptor image, byte[] stream) {
    }

    private static final List<Sample> SAMPLES = new ArrayList<>();
    private final JpegLsCodec codec = new JpegLsCodec();

    @BeforeAll
    static void collectStreams() throws CodecException {
        for (JpegLsVectors.Vector v : JpegLsVectors.ofKind("compressed")) {
            if (v.frameLength() <= 3 << 20) { // not CR and DX: many decodes per second
                SAMPLES.add(new Sample(v.id(), v.transferSyntax(), v.image(), v.frame(0)));
            }
        }
        // Our own streams with what the reference files lack: restart markers, ILV 1, P < 8.
        JpegLsRoundTripTest.IntImage rgb = JpegLsRoundTripTest.testImage(40, 30, 3, 255, 1);
        ImageDescriptor rgbImage = new ImageDescriptor(30, 40, 3, 8, 8, 7, false, "RGB", 0);
        SAMPLES.add(new Sample("ours-ilv1-restart", JpegLsCodec.JPEG_LS_NEAR_LOSSLESS, rgbImage,
                JpegLsEncoder.encode(rgb, 40, 30, 3, new JpegLsEncoder.Settings(8, 0, 1, 1, 4, 0, 0, 0, 0),
                        new QuantizationTables())));
        JpegLsRoundTripTest.IntImage low = JpegLsRoundTripTest.testImage(33, 20, 1, 7, 2);
        SAMPLES.add(new Sample("ours-p3-restart", JpegLsCodec.JPEG_LS_LOSSLESS,
                new ImageDescriptor(20, 33, 1, 8, 3, 2, false, "MONOCHROME2", 0),
                JpegLsEncoder.encode(low, 33, 20, 1, new JpegLsEncoder.Settings(3, 0, 0, 0, 3, 0, 0, 0, 0),
                        new QuantizationTables())));
        assertThat(SAMPLES).hasSizeGreaterThan(10);
    }

    @Test
    void truncatedStreamsAreReported() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Sample s : SAMPLES) {
                int step = Math.max(1, s.stream().length / 23);
                for (int length = 0; length < s.stream().length - 1; length += step) {
                    byte[] cut = Arrays.copyOf(s.stream(), length);
                    assertThatThrownBy(() -> codec.decode(s.transferSyntax(), s.image(), cut))
                            .as("%s cut to %d bytes", s.name(), length)
                            .isInstanceOf(CodecException.class).hasNoCause();
                }
            }
        });
    }

    @Test
    void emptyAndBogusFramesAreReported() {
        Sample s = SAMPLES.get(0);
        ImageDescriptor image = s.image();
        String ts = s.transferSyntax();
        assertThatThrownBy(() -> codec.decode(ts, image, new byte[0])).isInstanceOf(CodecException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> codec.decode(ts, image, null)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> codec.decode(ts, image, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
            (byte) 0xD9})).isInstanceOf(CodecException.class).hasMessageContaining("before any scan");
        assertThatThrownBy(() -> codec.decode(ts, image, "not a JPEG-LS frame at all".getBytes()))
                .isInstanceOf(CodecException.class).hasMessageContaining("no SOI");
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 1, 0, 1, 1, 1, 0x11, 0};
        assertThatThrownBy(() -> codec.decode(ts, image, jpeg)).isInstanceOf(CodecException.class)
                .hasMessageContaining("T.81");
    }

    @Test
    void bogusHeaderFieldsAreReported() {
        Sample mr = sample("MR_small");
        int sof = JpegLsRoundTripTest.indexOf(mr.stream(), new byte[] {(byte) 0xFF, (byte) 0xF7});
        int sos = JpegLsRoundTripTest.indexOf(mr.stream(), new byte[] {(byte) 0xFF, (byte) 0xDA});
        int lse = JpegLsRoundTripTest.indexOf(mr.stream(), new byte[] {(byte) 0xFF, (byte) 0xF8});
        assertThat(Math.min(sof, Math.min(sos, lse))).as("marker offsets").isPositive();
        expectRefusal(mr, sof + 4, 1, "precision 1");
        expectRefusal(mr, sof + 4, 17, "precision 17");
        expectRefusal(mr, sof + 6, 0, "DNL");                    // Y = 0
        expectRefusal(mr, sof + 7, 1, "data set states");        // X = 320
        expectRefusal(mr, sof + 9, 0, "malformed");              // Nf = 0
        expectRefusal(mr, sos + 2, 0x7F, "runs past the end");   // Ls
        expectRefusal(mr, sos + 5, 7, "names component 7");      // Cs
        expectRefusal(mr, sos + 6, 1, "mapping tables");         // Tm
        expectRefusal(mr, sos + 8, 3, "interleave");             // ILV = 3
        expectRefusal(mr, sos + 9, 1, "point transform");        // Pt
        expectRefusal(mr, lse + 4, 9, "unknown id");             // LSE id
        expectRefusal(mr, lse + 11, 0, "thresholds");            // T3 = 20 < T2
        expectRefusal(mr, lse + 14, 1, "RESET");                 // RESET = 1
        Sample gray = sample("jpegls-lossless-SC_GRAY");
        int graySos = JpegLsRoundTripTest.indexOf(gray.stream(), new byte[] {(byte) 0xFF, (byte) 0xDA});
        expectRefusal(gray, graySos + 7, 200, "NEAR 200");       // NEAR > MAXVAL / 2
        Sample rgb = sample("jpegls-lossless-gdcm-SC_RGB");
        int rgbSof = JpegLsRoundTripTest.indexOf(rgb.stream(), new byte[] {(byte) 0xFF, (byte) 0xF7});
        expectRefusal(rgb, rgbSof + 14, 0x21, "subsampled");     // H2 = 2
        int rgbSos = JpegLsRoundTripTest.indexOf(rgb.stream(), new byte[] {(byte) 0xFF, (byte) 0xDA});
        expectRefusal(rgb, rgbSos + 7, 1, "a second time");      // Cs2 = Cs1
    }

    private static Sample sample(String name) {
        return SAMPLES.stream().filter(x -> x.name().contains(name)).findFirst().orElseThrow();
    }

    private void expectRefusal(Sample s, int offset, int value, String message) {
        byte[] bad = s.stream().clone();
        bad[offset] = (byte) value;
        assertThatThrownBy(() -> codec.decode(s.transferSyntax(), s.image(), bad))
                .as("%s with byte %d = %d", s.name(), offset, value)
                .isInstanceOf(CodecException.class).hasNoCause().hasMessageContaining(message);
    }

    @Test
    void seededFuzzOfRealStreams() {
        FuzzLoop.Outcome outcome = FuzzLoop.refusing(CodecException.class, 14495, FUZZ_BUDGET)
                .hangLimit(FUZZ_BUDGET.plusSeconds(60))
                // any failure must be a CodecException raised by a check, not the safety net for runtime errors
                .checkingEachRefusal((label, e) -> {
                    assertThat(e.getCause()).as("%s: %s", label, e.getMessage()).isNull();
                    assertThat(e.getMessage()).isNotBlank();
                })
                .run((iteration, random) -> {
                    Sample s = SAMPLES.get(random.nextInt(SAMPLES.size()));
                    byte[] mutated = mutate(s.stream(), random);
                    return new FuzzLoop.Attempt("mutation " + iteration + " of " + s.name(),
                            () -> codec.decode(s.transferSyntax(), s.image(), mutated));
                });
        assertThat(outcome.tried()).as("fuzz iterations").isGreaterThan(100);
    }

    /** JPEG-LS damage: bytes flipped anywhere or in the headers, markers in the scan, chunks dropped, garbage. */
    private static byte[] mutate(byte[] stream, Random random) {
        byte[] m = stream.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // flip a few bytes anywhere
                for (int i = random.nextInt(4); i >= 0; i--) {
                    m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> { // flip bytes in the headers
                int limit = Math.min(m.length, 64);
                m[random.nextInt(limit)] = (byte) random.nextInt(256);
            }
            case 2 -> Mutations.marker(m, 32 + random.nextInt(Math.max(1, m.length - 34)), random); // in the scan data
            case 3 -> m = Mutations.cutChunk(m, random, 64);
            default -> { // random garbage after the headers
                int from = Math.min(m.length - 1, 40 + random.nextInt(Math.max(1, m.length - 40)));
                for (int i = from; i < Math.min(m.length, from + 256); i++) {
                    m[i] = (byte) random.nextInt(256);
                }
            }
        }
        return m;
    }
}
