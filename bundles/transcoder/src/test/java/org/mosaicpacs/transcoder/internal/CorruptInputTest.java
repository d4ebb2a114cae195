package org.mosaicpacs.transcoder.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeException.Reason;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.testing.TestData;

/**
 * Corrupt and malformed input: a damaged frame fails with its number named and nothing written,
 * the other frames stay readable, and nothing but a {@link TranscodeException} ever comes out,
 * also from a worker pool that keeps working afterwards.
 */
class CorruptInputTest {

    private static Path work;
    private static Path corpus;
    private static TranscoderComponent transcoder;

    @BeforeAll
    static void setUp() {
        work = Interop.workDir("corrupt");
        transcoder = RealCodecs.transcoder(work.resolve("spool"));
        corpus = TestData.mixedCorpus().resolve("syntaxes");
    }

    private static TranscodeException transcodeFails(Path file, String target, CompressInteropTest.ByteCountingStream out)
            throws IOException {
        try (var in = Files.newInputStream(file)) {
            transcoder.transcode(in, out, TranscodeRequest.to(target));
        } catch (TranscodeException e) {
            return e;
        }
        throw new AssertionError(file + " was converted");
    }

    @Test
    void aTruncatedFrameIsNamedAndNothingIsWritten() throws Exception {
        for (String syntax : List.of("rle-dcmtk", "jpeg-baseline", "jpeg-lossless-sv1", "jpegls-lossless", "j2k-lossless")) {
            Path damaged = Samples.rewrite(corpus.resolve(syntax + "/US_IM00001.dcm"),
                    work.resolve(syntax + "-frame4-truncated.dcm"), 1, true,
                    (n, frame) -> n == 4 ? Arrays.copyOf(frame, frame.length * 3 / 5 & ~1) : frame);
            for (String target : List.of(UID.ExplicitVRLittleEndian, RealCodecs.JPEG_LS, RealCodecs.RLE)) {
                if (syntax.startsWith("jpegls") && target.equals(RealCodecs.JPEG_LS)
                        || syntax.startsWith("rle") && target.equals(RealCodecs.RLE)) {
                    continue; // same syntax: copied, not decoded
                }
                var out = new CompressInteropTest.ByteCountingStream();
                TranscodeException e = transcodeFails(damaged, target, out);
                assertThat(e.reason()).as("%s to %s: %s", syntax, target, e.getMessage())
                        .isEqualTo(Reason.CORRUPT_FRAME);
                assertThat(e.frameNumber()).isEqualTo(4);
                assertThat(e.getMessage()).contains("frame 4");
                assertThat(out.count).as("all or nothing").isZero();
            }
            try (SeekableByteChannel channel = Files.newByteChannel(damaged); FrameReader frames =
                    transcoder.openFrames(channel)) {
                assertThat(frames.decode(3).data()).isNotEmpty();
                assertThatThrownBy(() -> frames.decode(4)).isInstanceOfSatisfying(TranscodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_FRAME);
                    assertThat(e.frameNumber()).isEqualTo(4);
                });
                assertThat(frames.decode(5).data()).isNotEmpty();
            }
        }
    }

    @Test
    void malformedDataSetsAreReportedAsSuch() throws Exception {
        Path us = corpus.resolve("explicit-be/US_IM00001.dcm");
        byte[] whole = Files.readAllBytes(us);

        // the stream ends inside the Pixel Data: caught while reading, before anything is written
        var out = new CompressInteropTest.ByteCountingStream();
        Path truncated = Files.write(work.resolve("truncated.dcm"), Arrays.copyOf(whole, whole.length - 100_000));
        TranscodeException e = transcodeFails(truncated, RealCodecs.RLE, out);
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(out.count).isZero();

        // Pixel Data shorter than Number of Frames says
        Samples.Loaded file = Samples.load(us);
        file.dataSet().setString(Tag.NumberOfFrames, VR.IS, "11");
        Path moreFrames = work.resolve("eleven-frames.dcm");
        DicomWriter.writeFile(moreFrames, file.meta(), file.dataSet(), WriteOptions.defaults());
        assertThat(transcodeFails(moreFrames, RealCodecs.RLE, out).getMessage()).contains("11 frame(s)", "need");
        try (SeekableByteChannel channel = Files.newByteChannel(moreFrames)) {
            assertThatThrownBy(() -> transcoder.openFrames(channel)).isInstanceOfSatisfying(TranscodeException.class,
                    x -> assertThat(x.reason()).isEqualTo(Reason.MALFORMED));
        }

        // an image without Rows
        file = Samples.load(us);
        file.dataSet().remove(Tag.Rows);
        Path noRows = work.resolve("no-rows.dcm");
        DicomWriter.writeFile(noRows, file.meta(), file.dataSet(), WriteOptions.defaults());
        assertThat(transcodeFails(noRows, RealCodecs.RLE, out).getMessage()).contains("without Rows");

        // fragments that do not make Number of Frames frames
        Path rle = corpus.resolve("rle-dcmtk/US_IM00001.dcm");
        file = Samples.load(rle);
        file.dataSet().setString(Tag.NumberOfFrames, VR.IS, "9");
        Path nine = work.resolve("nine.dcm");
        DicomWriter.writeFile(nine, file.meta(), file.dataSet(), WriteOptions.defaults());
        e = transcodeFails(nine, UID.ExplicitVRLittleEndian, out);
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("more than Number of Frames (9)");

        // a Basic Offset Table that points into an item
        Path badTable = Samples.rewrite(corpus.resolve("jpeg-baseline/US_IM00001.dcm"), work.resolve("bad-bot.dcm"),
                2, true, (n, f) -> f);
        byte[] bytes = Files.readAllBytes(badTable);
        int table = indexOf(bytes, new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 40, 0, 0, 0}) + 8;
        bytes[table + 4] += 2; // frame 2 offset now 2 bytes into an item
        Files.write(badTable, bytes);
        e = transcodeFails(badTable, UID.ExplicitVRLittleEndian, out);
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("offset table entry 2");
        assertThat(out.count).isZero();

        // not DICOM at all
        e = transcodeFails(Files.write(work.resolve("text.dcm"), "hello, world".repeat(20).getBytes()), RealCodecs.RLE,
                out);
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (data[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void aPartTenFileNeedsItsSopUids() throws Exception {
        DataSet ds = new DataSet();
        ds.setString(Tag.PatientName, VR.PN, "No^Uids");
        ByteArrayInputStream in = new ByteArrayInputStream(bare(ds));
        assertThatThrownBy(() -> transcoder.transcode(in, new CompressInteropTest.ByteCountingStream(),
                TranscodeRequest.to(UID.ExplicitVRLittleEndian).withSourceTransferSyntax(UID.ImplicitVRLittleEndian)))
                .isInstanceOfSatisfying(TranscodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    }

    private static byte[] bare(DataSet ds) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.create(bytes, org.mosaicpacs.dicom.TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                WriteOptions.defaults())) {
            w.writeDataSet(ds);
        }
        return bytes.toByteArray();
    }

    /**
     * Seeded mutations of real compressed files (flipped, overwritten and dropped bytes in the
     * Pixel Data) converted by a small worker pool for a few seconds: every outcome is a result
     * or a TranscodeException (or, for a JPEG-LS file copied unchanged into JPEG-LS, the parse
     * error of a source that ends early), and the pool's workers survive to convert a sound file
     * afterwards.
     */
    @Test
    void mutatedFilesOnlyEverGiveTranscodeExceptions() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String f : List.of("rle-dcmtk/MR_IM00001.dcm", "jpeg-baseline/SC_RGB_IM00001.dcm",
                "jpeg-lossless-sv1/MR_IM00001.dcm", "jpegls-lossless/MR_IM00001.dcm", "jpegls-near-lossless/MR_IM00001.dcm",
                "jpeg-extended/MR_IM00001.dcm", "j2k-lossless/MR_IM00001.dcm")) {
            seeds.add(Files.readAllBytes(corpus.resolve(f)));
        }
        Random random = new Random(20261122);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Throwable> unexpected = new ArrayList<>();
        int[] outcomes = new int[2];
        long end = System.nanoTime() + 4_000_000_000L;
        try {
            // at least 16 mutations whatever the machine's load, more while time is left
            while (System.nanoTime() < end || outcomes[0] + outcomes[1] + unexpected.size() < 16) {
                List<Future<?>> batch = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    byte[] mutated = mutate(seeds.get(random.nextInt(seeds.size())), random);
                    String target = random.nextBoolean() ? UID.ExplicitVRLittleEndian : RealCodecs.JPEG_LS;
                    batch.add(pool.submit(() -> {
                        try {
                            transcoder.transcode(new ByteArrayInputStream(mutated),
                                    new CompressInteropTest.ByteCountingStream(), TranscodeRequest.to(target));
                            synchronized (outcomes) {
                                outcomes[0]++;
                            }
                        } catch (TranscodeException e) {
                            synchronized (outcomes) {
                                outcomes[1]++;
                            }
                        } catch (DicomParseException e) {
                            // a file copied unchanged (same syntax) that ends early: the documented IOException
                            if (!target.equals(RealCodecs.JPEG_LS)) {
                                synchronized (unexpected) {
                                    unexpected.add(e);
                                }
                            }
                            synchronized (outcomes) {
                                outcomes[1]++;
                            }
                        } catch (Throwable t) {
                            synchronized (unexpected) {
                                unexpected.add(t);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : batch) {
                    f.get();
                }
            }
            Path sound = corpus.resolve("jpeg-baseline/SC_GRAY_IM00001.dcm");
            Future<?> after = pool.submit(() -> transcoder.transcode(Files.newInputStream(sound),
                    new CompressInteropTest.ByteCountingStream(), TranscodeRequest.to(UID.ExplicitVRLittleEndian)));
            after.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).isEmpty();
        assertThat(outcomes[1]).as("some mutations are caught").isPositive();
    }

    /** A copy with a few bytes flipped, overwritten or cut in its second half (where the Pixel Data is). */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int half = b.length / 2;
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    b[half + random.nextInt(b.length - half)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> {
                int at = half + random.nextInt(b.length - half - 16);
                for (int i = 0; i < 16; i++) {
                    b[at + i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                int at = half + random.nextInt(b.length - half);
                int cut = Math.min(1 + random.nextInt(64), b.length - at);
                byte[] shorter = new byte[b.length - cut];
                System.arraycopy(b, 0, shorter, 0, at);
                System.arraycopy(b, at + cut, shorter, at, b.length - at - cut);
                b = shorter;
            }
        }
        return b;
    }
}
