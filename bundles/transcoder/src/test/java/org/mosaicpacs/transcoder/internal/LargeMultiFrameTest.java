package org.mosaicpacs.transcoder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.transcode.Frame;
import org.mosaicpacs.api.transcode.FrameReader;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.WriteOptions;

/**
 * Memory stays at about one frame whatever the instance size: generated multi-frame files
 * (sparse: a header, then Pixel Data extended with zeros) far larger than the heap this class runs
 * with ({@code -Xmx64m}, see the POM), and the bytes the converting thread allocates counted as
 * in bundles/dicom's LargeFileTest.
 */
class LargeMultiFrameTest {

    private static final int FRAME = 512 * 512 * 2;
    private static Path work;
    private static Path thousandFrames;
    private static Path threeHundredFrames;

    @BeforeAll
    static void generate() throws IOException {
        work = Interop.workDir("large");
        thousandFrames = sparseMultiFrame(work.resolve("1000-frames.dcm"), 1000); // 524 MB
        threeHundredFrames = sparseMultiFrame(work.resolve("300-frames.dcm"), 300); // 157 MB
        org.mosaicpacs.dicom.ElementDictionary.lookup(Tag.PixelData); // load the dictionary outside the counts
    }

    private static Path sparseMultiFrame(Path file, int frames) throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7.3"); // Multi-frame Grayscale Word SC
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25." + frames);
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setString(Tag.NumberOfFrames, VR.IS, String.valueOf(frames));
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.Columns, VR.US, 512);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setInt(Tag.BitsStored, VR.US, 12);
        ds.setInt(Tag.HighBit, VR.US, 11);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        long pixelBytes = (long) FRAME * frames;
        try (OutputStream out = Files.newOutputStream(file);
             DicomWriter w = DicomWriter.createPart10(out, FileMetaInformation.forDataSet(ds, UID.ExplicitVRLittleEndian),
                     WriteOptions.defaults())) {
            w.writeDataSet(ds);
            w.writeHeader(Tag.PixelData, VR.OW, pixelBytes);
            w.finish();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() + pixelBytes);
        }
        return file;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static TranscodeResult transcode(Path in, OutputStream out, TranscodeRequest request, long spoolLimit)
            throws Exception {
        TranscoderComponent transcoder = new TranscoderComponent(RealCodecs.registry(),
                new TranscoderSettings(spoolLimit, work.resolve("spool"), org.mosaicpacs.dicom.UidGenerator.uuidDerived()));
        try (InputStream is = Files.newInputStream(in)) {
            return transcoder.transcode(is, out, request);
        }
    }

    @Test
    void copyingBetweenUncompressedSyntaxesStreams() throws Exception {
        CompressInteropTest.ByteCountingStream out = new CompressInteropTest.ByteCountingStream();
        long before = allocatedBytes();
        TranscodeResult result = transcode(thousandFrames, out, TranscodeRequest.to(UID.ImplicitVRLittleEndian), 1 << 20);
        long allocated = allocatedBytes() - before;
        System.out.printf("1000-frame copy to Implicit VR LE: %d bytes allocated%n", allocated);
        assertThat(result.numberOfFrames()).isEqualTo(1000);
        assertThat(out.count).isGreaterThan(1000L * FRAME);
        assertThat(allocated).as("bytes allocated copying %d bytes of Pixel Data", 1000L * FRAME)
                .isLessThan(4_000_000);
    }

    @Test
    void aFrameIsReadAtItsOffset() throws Exception {
        try (FileChannel channel = FileChannel.open(thousandFrames, StandardOpenOption.READ)) {
            long before = allocatedBytes();
            try (FrameReader frames = RealCodecs.transcoder(work.resolve("spool")).openFrames(channel)) {
                Frame last = frames.decode(1000);
                assertThat(last.data()).hasSize(FRAME);
            }
            long allocated = allocatedBytes() - before;
            System.out.printf("frame 1000 of 1000: %d bytes allocated%n", allocated);
            assertThat(allocated).as("bytes allocated reading frame 1000 of a %d byte file", Files.size(thousandFrames))
                    .isLessThan(FRAME + 2_000_000);
        }
    }

    @Test
    void compressingAndDecompressingHoldsOneFrameAtATime() throws Exception {
        Path rle = work.resolve("300-frames-rle.dcm");
        long before = allocatedBytes();
        TranscodeResult compressed;
        try (OutputStream out = Files.newOutputStream(rle)) {
            compressed = transcode(threeHundredFrames, out, TranscodeRequest.to(RealCodecs.RLE), 1 << 20);
        }
        long allocated = allocatedBytes() - before;
        System.out.printf("300 frames to RLE: %d bytes allocated per frame%n", allocated / 300);
        assertThat(compressed.numberOfFrames()).isEqualTo(300);
        assertThat(compressed.compressionRatio()).isGreaterThan(50);
        // every frame read, encoded and spooled is garbage before the next: what the heap holds is one
        // frame, while the allocation total grows by a few frames' worth per frame
        assertThat(allocated / 300).as("bytes allocated per frame").isLessThan(6L * FRAME);

        CompressInteropTest.ByteCountingStream out = new CompressInteropTest.ByteCountingStream();
        before = allocatedBytes();
        TranscodeResult decompressed = transcode(rle, out, TranscodeRequest.to(UID.ExplicitVRLittleEndian), 1 << 20);
        allocated = allocatedBytes() - before;
        System.out.printf("300 RLE frames to Explicit VR LE: %d bytes allocated per frame%n", allocated / 300);
        assertThat(decompressed.numberOfFrames()).isEqualTo(300);
        assertThat(out.count).isGreaterThan(300L * FRAME); // 157 MB through a 64 MB heap: spooled to a file
        assertThat(allocated / 300).as("bytes allocated per frame").isLessThan(6L * FRAME);
        try (Stream<Path> spool = Files.list(work.resolve("spool"))) {
            assertThat(spool).as("spool files are deleted").isEmpty();
        }
    }
}
