package org.mosaicpacs.codec.jpegls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

/**
 * Our encoder's output, wrapped into DICOM by pydicom, decodes with DCMTK (dcmdjpls) and GDCM
 * (gdcmconv --raw) to exactly the original (lossless) or within NEAR (near-lossless), for every
 * corpus image type and synthetic bit depths; plus interleave modes 0 and 1, restart intervals and
 * non-default preset parameters, which the codec itself does not choose but other encoders may.
 */
class JpegLsEncodeInteropTest {

    /** What was encoded: id, transfer syntax, NEAR actually used, frames, source vector id. */
    private record Encoded(String id, String transferSyntax, int near, int frames, String source, boolean lossy,
                           String roundTrip, ImageDescriptor image, String expected, boolean restartMarkers) {
    }

    private static final List<Encoded> ENCODED = new ArrayList<>();
    private static final Map<String, String> VERIFIED = new LinkedHashMap<>();

    @BeforeAll
    static void encodeAndVerify() throws Exception {
        JpegLsCodec codec = new JpegLsCodec();
        Path dir = JpegLsVectors.directory();
        for (JpegLsVectors.Vector v : JpegLsVectors.ofKind("original")) {
            encodeWithCodec(codec, dir, v, JpegLsCodec.JPEG_LS_LOSSLESS, 0);
            encodeWithCodec(codec, dir, v, JpegLsCodec.JPEG_LS_NEAR_LOSSLESS, 2);
            if (v.image().bitsStored() >= 12 && v.frameLength() <= 1 << 20) {
                encodeWithCodec(codec, dir, v, JpegLsCodec.JPEG_LS_NEAR_LOSSLESS, 10);
            }
            boolean unsigned = !v.image().signed();
            if (unsigned && v.image().samplesPerPixel() == 3 && v.frames() == 1) {
                encodeWithSettings(codec, dir, v, "ilv0", JpegLsEncoder.Settings.of(v.image().bitsStored(), 0, 0));
                encodeWithSettings(codec, dir, v, "ilv1", JpegLsEncoder.Settings.of(v.image().bitsStored(), 0, 1));
                encodeWithSettings(codec, dir, v, "ilv1-near3", JpegLsEncoder.Settings.of(v.image().bitsStored(), 3, 1));
                encodeWithSettings(codec, dir, v, "ilv2-restart",
                        new JpegLsEncoder.Settings(v.image().bitsStored(), 0, 0, 2, 16, 0, 0, 0, 0));
            }
            if (unsigned && v.id().contains("MR_IM")) {
                int bits = v.image().bitsStored();
                encodeWithSettings(codec, dir, v, "presets", new JpegLsEncoder.Settings(bits, 0, 0, 0, 0, 5, 40, 300, 32));
                encodeWithSettings(codec, dir, v, "presets-near1",
                        new JpegLsEncoder.Settings(bits, 0, 1, 0, 0, 9, 50, 200, 100));
                encodeWithSettings(codec, dir, v, "restart", new JpegLsEncoder.Settings(bits, 0, 0, 0, 5, 0, 0, 0, 0));
            }
        }
        signedStreamWithFewerBits(codec, dir);
        StringBuilder tsv = new StringBuilder("id\tts\tnear\tframes\tsource\texpected\n");
        for (Encoded e : ENCODED) {
            tsv.append(String.join("\t", e.id(), e.transferSyntax(), Integer.toString(e.near()),
                    Integer.toString(e.frames()), e.source(), e.expected())).append('\n');
        }
        Files.writeString(dir.resolve("encoded.tsv"), tsv);
        Tools.run(Duration.ofMinutes(5), List.of(Tools.pydicomPython().toString(), JpegLsVectors.script().toString(),
                "verify", dir.toString())).assertSuccess();
        List<String> verified = TestFiles.readLines(dir.resolve("verified.tsv"));
        for (String line : verified.subList(1, verified.size())) {
            String[] cells = line.split("\t", 4);
            VERIFIED.put(cells[0] + " " + cells[1], cells[2] + ": " + cells[3]);
        }
    }

    private static void encodeWithCodec(JpegLsCodec codec, Path dir, JpegLsVectors.Vector v, String ts, int near)
            throws CodecException, IOException {
        String id = v.id() + "@" + (near == 0 ? "lossless" : "near" + near);
        byte[] original = v.original();
        Path out = Files.createDirectories(dir.resolve(id));
        boolean lossy = false;
        for (int i = 0; i < v.frames(); i++) {
            byte[] frame = slice(original, i, v.frameLength());
            EncodedFrame encoded = codec.encode(ts, v.image(), frame, new EncodeOptions(90, near, 10));
            lossy |= encoded.lossy();
            Files.write(out.resolve("enc-" + i + ".jls"), encoded.data());
        }
        ENCODED.add(new Encoded(id, ts, near, v.frames(), v.id(), lossy, roundTrip(codec, id, ts, v, near),
                v.image(), "", false));
    }

    private static void encodeWithSettings(JpegLsCodec codec, Path dir, JpegLsVectors.Vector v, String name,
                                           JpegLsEncoder.Settings settings) throws CodecException, IOException {
        String id = v.id() + "@" + name;
        ImageDescriptor image = v.image();
        Path out = Files.createDirectories(dir.resolve(id));
        byte[] data = JpegLsEncoder.encode(NativeSamples.forEncoding(v.original(), image, (1 << settings.precision()) - 1),
                image.columns(), image.rows(), image.samplesPerPixel(), settings, new QuantizationTables());
        Files.write(out.resolve("enc-0.jls"), data);
        String ts = settings.near() > 0 ? JpegLsCodec.JPEG_LS_NEAR_LOSSLESS : JpegLsCodec.JPEG_LS_LOSSLESS;
        ENCODED.add(new Encoded(id, ts, settings.near(), 1, v.id(), settings.near() > 0,
                roundTrip(codec, id, ts, v, settings.near()), image, "", settings.restartInterval() > 0));
    }

    /**
     * Other encoders (CharLS with P = Bits Stored) code signed 12-bit samples as 12-bit patterns.
     * DCMTK and GDCM decode those without sign extension (0x0800 for -2048); our decode must match.
     */
    private static void signedStreamWithFewerBits(JpegLsCodec codec, Path dir) throws CodecException, IOException {
        JpegLsVectors.Vector v = JpegLsVectors.ofKind("original").stream()
                .filter(o -> o.id().equals("syn-s16-bs12-extremes")).findFirst().orElseThrow();
        String id = v.id() + "@p12";
        Path out = Files.createDirectories(dir.resolve(id));
        byte[] data = JpegLsEncoder.encode(NativeSamples.forEncoding(v.original(), v.image(), 0xFFF),
                v.image().columns(), v.image().rows(), 1, JpegLsEncoder.Settings.of(12, 0, 0), new QuantizationTables());
        Files.write(out.resolve("enc-0.jls"), data);
        byte[] decoded = codec.decode(JpegLsCodec.JPEG_LS_LOSSLESS, v.image(), data).pixels();
        Files.write(out.resolve("expected.raw"), decoded);
        String roundTrip = decoded[1] == 0x08 && decoded[0] == 0 ? null : "-2048 not decoded as 0x0800";
        ENCODED.add(new Encoded(id, JpegLsCodec.JPEG_LS_LOSSLESS, 0, 1, v.id(), false, roundTrip, v.image(),
                id + "/expected.raw", false));
    }

    /** Our own decode of what we encoded, compared like the reference tools' decodes; null when fine. */
    private static String roundTrip(JpegLsCodec codec, String id, String ts, JpegLsVectors.Vector v, int near)
            throws CodecException {
        byte[] original = v.original();
        for (int i = 0; i < v.frames(); i++) {
            byte[] encoded = TestFiles.read(JpegLsVectors.directory().resolve(id).resolve("enc-" + i + ".jls"));
            byte[] decoded = codec.decode(ts, v.image(), encoded).pixels();
            int error = SampleMath.maxError(v.image(), slice(original, i, v.frameLength()), decoded);
            if (error > near) {
                return "frame " + i + ": max error " + error + " > NEAR " + near;
            }
        }
        return null;
    }

    /**
     * Limits of the CharLS inside DCMTK 3.6.7, not of our streams (GDCM decodes them): no restart
     * markers; and near-lossless streams of few-bit images, which keep P = Bits Stored so that
     * MAXVAL bounds the reconstruction, while DCMTK refuses P below 6, and P of 8 or less in
     * 16-bit words.
     */
    private static boolean dcmtkCannotDecode(Encoded e) {
        ImageDescriptor image = e.image();
        return e.restartMarkers() || e.near() > 0 && !image.signed()
                && (image.bitsStored() < 6 || image.bitsAllocated() == 16 && image.bitsStored() <= 8);
    }

    private static byte[] slice(byte[] all, int index, int length) {
        byte[] frame = new byte[length];
        System.arraycopy(all, index * length, frame, 0, length);
        return frame;
    }

    @TestFactory
    Stream<DynamicTest> referenceDecodersRestoreOurEncoding() {
        assertThat(ENCODED).hasSizeGreaterThan(20);
        return ENCODED.stream().map(e -> DynamicTest.dynamicTest(e.id(), () -> {
            assertThat(e.roundTrip()).as("our own decode").isNull();
            assertThat(VERIFIED.get(e.id() + " gdcm")).as("GDCM decode of " + e.id()).startsWith("ok");
            String dcmtk = VERIFIED.get(e.id() + " dcmtk");
            if (dcmtkCannotDecode(e)) {
                // Documented limitation of the CharLS inside DCMTK 3.6.7, not of our stream.
                assertThat(dcmtk).as("DCMTK decode of " + e.id()).startsWith("error");
            } else {
                assertThat(dcmtk).as("DCMTK decode of " + e.id()).startsWith("ok");
            }
        }));
    }
}
