package org.mosaicpacs.transcoder.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.transcode.Frame;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.testing.TestData;

/**
 * Single frames by random access, as WADO-RS {@code /frames} and rendering read them, against
 * pydicom (native frames and how it splits encapsulated ones) and the reference decoders.
 */
class FrameReaderTest {

    private static Path work;
    private static Path corpus;
    private static TranscoderComponent transcoder;
    private static Map<String, JsonNode> results;

    @BeforeAll
    static void references() throws Exception {
        work = Interop.workDir("frames");
        transcoder = RealCodecs.transcoder(work.resolve("spool"));
        corpus = TestData.mixedCorpus().resolve("syntaxes");
        Path pydicom = TestData.realFilesDir().resolve("test_files");
        Path usJpeg = corpus.resolve("jpeg-baseline/US_IM00001.dcm");
        assertThat(Interop.convert(work.resolve("us-dcmdjpeg.dcm"), "dcmdjpeg", usJpeg.toString())).isNull();
        // frame 4 of the JPEG US, encoded now into JPEG-LS, for the reference decoders to unwrap
        Path jls = work.resolve("us-frame4.jls");
        Frame frame4;
        try (FrameReader frames = open(usJpeg)) {
            frame4 = frames.frame(4, RealCodecs.JPEG_LS, EncodeOptions.DEFAULT);
        }
        Files.write(jls, frame4.data());
        Samples.rewrite(usJpeg, work.resolve("us-3-fragments-bot.dcm"), 3, true, (n, f) -> f);
        Samples.rewrite(usJpeg, work.resolve("us-3-fragments.dcm"), 3, false, (n, f) -> f);
        writeBits(work.resolve("bits.dcm"));
        Interop.transcode(transcoder, corpus.resolve("explicit-be/US_IM00001.dcm"), work.resolve("us-eot.dcm"),
                TranscodeRequest.to(RealCodecs.JPEG_LS).withExtendedOffsetTable(true));
        List<Map<String, Object>> jobs = new ArrayList<>(List.of(
                Interop.job("frames", "us-dcmdjpeg", "file", work.resolve("us-dcmdjpeg.dcm"), "out",
                        work.resolve("us-dcmdjpeg")),
                Interop.job("frames", "us-jpeg", "file", usJpeg, "out", work.resolve("us-jpeg")),
                Interop.job("frames", "us-eot", "file", work.resolve("us-eot.dcm"), "out", work.resolve("us-eot")),
                Interop.job("frames", "us-be", "file", corpus.resolve("explicit-be/US_IM00001.dcm"), "out",
                        work.resolve("us-be")),
                Interop.job("frames", "rtdose", "file", pydicom.resolve("rtdose.dcm"), "out", work.resolve("rtdose")),
                Interop.job("frames", "mr-be", "file", pydicom.resolve("MR_small_bigendian.dcm"), "out",
                        work.resolve("mr-be")),
                Interop.job("frames", "bits", "file", work.resolve("bits.dcm"), "out", work.resolve("bits")),
                Interop.job("wrap", "frame4-jls", "template", usJpeg, "frame", jls, "ts", RealCodecs.JPEG_LS,
                        "pi", frame4.image().photometricInterpretation(), "pc", frame4.image().planarConfiguration(),
                        "bits", List.of(8, 8, 7, 0), "out", work.resolve("frame4-jls.dcm"),
                        "tools", List.of("dcmtk", "gdcm"), "work", work.resolve("frame4-jls"))));
        results = Interop.check(jobs, work);
        results.forEach((id, r) -> assertThat(r.has("error")).as("%s: %s", id, r.path("error").asText()).isFalse());
    }

    static FrameReader open(Path file) throws IOException, TranscodeException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        FrameReader reader = transcoder.openFrames(channel);
        return new FrameReader() { // closes the channel with the reader, for the tests' try-with-resources
            @Override
            public DataSet header() {
                return reader.header();
            }

            @Override
            public String transferSyntaxUid() {
                return reader.transferSyntaxUid();
            }

            @Override
            public org.mosaicpacs.api.codec.ImageDescriptor image() {
                return reader.image();
            }

            @Override
            public int numberOfFrames() {
                return reader.numberOfFrames();
            }

            @Override
            public Frame decode(int n) throws TranscodeException, IOException {
                return reader.decode(n);
            }

            @Override
            public Frame frame(int n, String ts, EncodeOptions options) throws TranscodeException, IOException {
                return reader.frame(n, ts, options);
            }

            @Override
            public void close() {
                reader.close();
                try {
                    channel.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    private static byte[] reference(String job, String name) throws IOException {
        return Files.readAllBytes(work.resolve(job).resolve(name));
    }

    @Test
    void jpegFramesDecodeLikeDcmdjpeg() throws Exception {
        try (FrameReader frames = open(corpus.resolve("jpeg-baseline/US_IM00001.dcm"))) {
            assertThat(frames.numberOfFrames()).isEqualTo(10);
            assertThat(frames.transferSyntaxUid()).isEqualTo(RealCodecs.JPEG_BASELINE);
            assertThat(frames.image().photometricInterpretation()).isEqualTo("YBR_FULL_422");
            assertThat(frames.header().getString(Tag.Modality)).isEqualTo("US");
            assertThat(frames.header().contains(Tag.PixelData)).isFalse();
            for (int n : new int[] {10, 1, 7}) {
                Frame frame = frames.decode(n);
                assertThat(frame.frameNumber()).isEqualTo(n);
                assertThat(frame.transferSyntaxUid()).isEqualTo(UID.ExplicitVRLittleEndian);
                assertThat(frame.image().photometricInterpretation()).isEqualTo("RGB");
                assertThat(frame.image().planarConfiguration()).isZero();
                assertThat(frame.lossy()).isFalse();
                assertThat(frame.data()).as("frame %d", n).isEqualTo(reference("us-dcmdjpeg", "frame-" + n + ".raw"));
            }
        }
    }

    @Test
    void aFrameInItsStoredSyntaxIsTheStoredBitStream() throws Exception {
        try (FrameReader frames = open(corpus.resolve("jpeg-baseline/US_IM00001.dcm"))) {
            for (int n = 1; n <= 10; n++) {
                Frame frame = frames.frame(n, RealCodecs.JPEG_BASELINE, EncodeOptions.DEFAULT);
                assertThat(frame.transferSyntaxUid()).isEqualTo(RealCodecs.JPEG_BASELINE);
                assertThat(frame.image().photometricInterpretation()).isEqualTo("YBR_FULL_422");
                assertThat(frame.data()).as("frame %d as pydicom splits it", n)
                        .isEqualTo(reference("us-jpeg", "frame-" + n + ".bin"));
            }
            assertThat(frames.frame(3, UID.ImplicitVRLittleEndian, EncodeOptions.DEFAULT).data())
                    .isEqualTo(reference("us-dcmdjpeg", "frame-3.raw"));
        }
    }

    @Test
    void aFrameEncodedIntoAnotherSyntaxDecodesWithDcmtkAndGdcm() throws Exception {
        byte[] decoded = reference("us-dcmdjpeg", "frame-4.raw");
        for (String tool : List.of("dcmtk", "gdcm")) {
            JsonNode r = results.get("frame4-jls").get("tools").get(tool);
            assertThat(r.has("error")).as(r.toString()).isFalse();
            assertThat(Files.readAllBytes(Path.of(r.get("raw").asText()))).as(tool).isEqualTo(decoded);
        }
        try (FrameReader frames = open(corpus.resolve("jpeg-baseline/US_IM00001.dcm"))) {
            Frame lossy = frames.frame(2, RealCodecs.JPEG_LS_NEAR, EncodeOptions.DEFAULT);
            assertThat(lossy.lossy()).isTrue();
            assertThat(frames.frame(2, RealCodecs.JPEG_LS, EncodeOptions.DEFAULT).lossy()).isFalse();
        }
    }

    @Test
    void framesSplitIntoSeveralFragmentsAreFoundWithAndWithoutOffsetTable() throws Exception {
        for (String name : List.of("us-3-fragments-bot.dcm", "us-3-fragments.dcm")) {
            try (FrameReader frames = open(work.resolve(name))) {
                for (int n : new int[] {1, 6, 10}) {
                    assertThat(frames.decode(n).data()).as("%s frame %d", name, n)
                            .isEqualTo(reference("us-dcmdjpeg", "frame-" + n + ".raw"));
                }
            }
            Path out = work.resolve("decoded-" + name);
            Interop.transcode(transcoder, work.resolve(name), out, TranscodeRequest.to(UID.ExplicitVRLittleEndian));
            try (FrameReader frames = open(out)) {
                assertThat(frames.decode(9).data()).isEqualTo(reference("us-dcmdjpeg", "frame-9.raw"));
            }
        }
    }

    @Test
    void theExtendedOffsetTableLocatesFrames() throws Exception {
        try (FrameReader frames = open(work.resolve("us-eot.dcm"))) {
            assertThat(frames.header().contains(Tag.ExtendedOffsetTable)).isTrue();
            for (int n = 1; n <= 10; n++) {
                assertThat(frames.frame(n, RealCodecs.JPEG_LS, EncodeOptions.DEFAULT).data())
                        .isEqualTo(reference("us-eot", "frame-" + n + ".bin"));
            }
            assertThat(frames.decode(5).data()).isEqualTo(reference("us-be", "frame-5.raw"));
        }
    }

    @Test
    void nativeFramesAreReadByOffsetInLittleEndian() throws Exception {
        Path pydicom = TestData.realFilesDir().resolve("test_files");
        try (FrameReader frames = open(corpus.resolve("explicit-be/US_IM00001.dcm"))) {
            assertThat(frames.decode(8).data()).isEqualTo(reference("us-be", "frame-8.raw"));
        }
        try (FrameReader frames = open(corpus.resolve("deflated/US_IM00001.dcm"))) {
            assertThat(frames.decode(3).data()).isEqualTo(reference("us-be", "frame-3.raw"));
        }
        try (FrameReader frames = open(pydicom.resolve("rtdose.dcm"))) {
            assertThat(frames.numberOfFrames()).isEqualTo(15);
            for (int n : new int[] {1, 15, 8}) {
                assertThat(frames.decode(n).data()).isEqualTo(reference("rtdose", "frame-" + n + ".raw"));
            }
        }
        try (FrameReader frames = open(pydicom.resolve("MR_small_bigendian.dcm"))) {
            assertThat(frames.decode(1).data()).isEqualTo(reference("mr-be", "frame-1.raw"));
        }
    }

    @Test
    void oneBitFramesStartOnAByteBoundary() throws Exception {
        try (FrameReader frames = open(work.resolve("bits.dcm"))) {
            assertThat(frames.numberOfFrames()).isEqualTo(3);
            for (int n = 1; n <= 3; n++) {
                byte[] packed = frames.decode(n).data();
                byte[] pixels = reference("bits", "frame-" + n + ".raw"); // pydicom: one byte per pixel
                assertThat(packed).hasSize(4);
                for (int i = 0; i < 25; i++) {
                    assertThat(packed[i / 8] >> (i % 8) & 1).as("frame %d pixel %d", n, i).isEqualTo(pixels[i]);
                }
                assertThat(packed[3] & 0xFE).as("bits past the frame are cleared").isZero();
            }
        }
    }

    /** 3 frames of 5x5 1-bit pixels: 75 bits, frames 2 and 3 start inside a byte. */
    private static void writeBits(Path file) throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7.1");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.4242");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setString(Tag.NumberOfFrames, VR.IS, "3");
        ds.setInt(Tag.Rows, VR.US, 5);
        ds.setInt(Tag.Columns, VR.US, 5);
        ds.setInt(Tag.BitsAllocated, VR.US, 1);
        ds.setInt(Tag.BitsStored, VR.US, 1);
        ds.setInt(Tag.HighBit, VR.US, 0);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OB, new byte[] {(byte) 0xA5, 0x3C, (byte) 0xF0, 0x0F, 0x55, (byte) 0xAA,
                (byte) 0x99, 0x66, 0x01, 0x07});
        DicomWriter.writeFile(file, ds, UID.ExplicitVRLittleEndian, WriteOptions.defaults());
    }

    @Test
    void missingFramesAndInstancesWithoutPixelDataAreNotImages() throws Exception {
        try (FrameReader frames = open(corpus.resolve("jpeg-baseline/US_IM00001.dcm"))) {
            for (int n : new int[] {0, 11}) {
                assertThatThrownBy(() -> frames.decode(n)).isInstanceOfSatisfying(TranscodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(TranscodeException.Reason.NOT_AN_IMAGE);
                    assertThat(e.getMessage()).contains("frame " + n, "10 frame(s)");
                });
            }
        }
        assertThatThrownBy(() -> open(corpus.resolve("implicit-le/SR_IM00001.dcm")))
                .isInstanceOfSatisfying(TranscodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(TranscodeException.Reason.NOT_AN_IMAGE));
    }
}
