package org.mosaicpacs.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomLimitException;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;

/**
 * A generated 500 MB multi-frame file (sparse: written header, then Pixel Data extended with
 * zeros) is read header-only and whole-with-references at O(header) cost, measured by counting
 * the bytes the reading thread allocates.
 */
class LargeFileTest {

    private static final long PIXEL_BYTES = 512L * 512 * 2 * 1000; // 1000 frames of 512x512x16 bit: 524 MB
    private static Path file;
    private static long pixelDataOffset;

    @BeforeAll
    static void generate() throws IOException {
        file = Files.createDirectories(Path.of("target", "large")).resolve("multiframe-500mb.dcm");
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.EnhancedCTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1234567890");
        ds.setString(Tag.PatientName, VR.PN, "Large^Multiframe");
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.Columns, VR.US, 512);
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.setString(Tag.NumberOfFrames, VR.IS, "1000");
        try (OutputStream out = Files.newOutputStream(file);
             DicomWriter w = DicomWriter.createPart10(out,
                     FileMetaInformation.forDataSet(ds, UID.ExplicitVRLittleEndian), WriteOptions.defaults())) {
            w.writeDataSet(ds);
            w.writeHeader(Tag.PixelData, VR.OW, PIXEL_BYTES);
            w.finish();
        }
        pixelDataOffset = Files.size(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(pixelDataOffset + PIXEL_BYTES); // sparse: no 500 MB written to disk
        }
        // load the data dictionary now, so that its one-time cost is not counted below
        org.mosaicpacs.dicom.ElementDictionary.lookup(Tag.PixelData);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void readingTheHeaderCostsOHeaderMemory() throws IOException {
        assertThat(Files.size(file)).isGreaterThan(500_000_000L);
        long before = allocatedBytes();
        DataSet header;
        try (DicomReader reader = DicomReader.open(file)) {
            header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            assertThat(reader.tag()).isEqualTo(Tag.PixelData);
            assertThat(reader.length()).isEqualTo(PIXEL_BYTES);
            assertThat(reader.valuePosition()).isEqualTo(pixelDataOffset);
        }
        long allocated = allocatedBytes() - before;
        assertThat(header.getString(Tag.PatientName)).isEqualTo("Large^Multiframe");
        assertThat(header.contains(Tag.PixelData)).isFalse();
        assertThat(allocated).as("bytes allocated reading the header of a %d byte file", Files.size(file))
                .isLessThan(2_000_000);
    }

    @Test
    void readingEverythingKeepsPixelDataAsAReference() throws IOException {
        long before = allocatedBytes();
        DataSet ds;
        try (DicomReader reader = DicomReader.open(file)) {
            ds = reader.readDataSet();
        }
        long allocated = allocatedBytes() - before;
        BulkData pixels = ds.getBulkData(Tag.PixelData);
        assertThat(pixels.uri()).isEqualTo(file.toAbsolutePath().toUri());
        assertThat(pixels.offset()).isEqualTo(pixelDataOffset);
        assertThat(pixels.length()).isEqualTo(PIXEL_BYTES);
        assertThat(allocated).isLessThan(2_000_000);
    }

    @Test
    void aNonSeekableStreamHandsPixelDataToAHandler() throws IOException {
        long[] seen = new long[1];
        ReadOptions options = ReadOptions.defaults().withBulkDataHandler((header, value) -> {
            seen[0] = value.transferTo(OutputStream.nullOutputStream());
            return null;
        });
        long before = allocatedBytes();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             DicomReader reader = DicomReader.open(in, options)) {
            DataSet ds = reader.readDataSet();
            assertThat(ds.contains(Tag.PixelData)).isTrue();
        }
        assertThat(seen[0]).isEqualTo(PIXEL_BYTES);
        // the stream is copied through small buffers, never held: allocation stays far below the file size
        assertThat(allocatedBytes() - before).isLessThan(20_000_000);
    }

    @Test
    void loadingItIsRefusedBeforeAllocating() throws IOException {
        long allocated;
        Exception thrown = null;
        try (DicomReader reader = DicomReader.open(file, ReadOptions.loadAll())) {
            long before = allocatedBytes();
            try {
                reader.readDataSet();
            } catch (DicomLimitException e) {
                thrown = e;
            }
            allocated = allocatedBytes() - before;
        }
        assertThat(thrown).isInstanceOf(DicomLimitException.class)
                .hasMessageContaining("(7FE0,0010) PixelData").hasMessageContaining("maxValueLength");
        assertThat(allocated).isLessThan(2_000_000);
        assertThat(TransferSyntax.of(UID.ExplicitVRLittleEndian).explicitVR()).isTrue();
    }
}
