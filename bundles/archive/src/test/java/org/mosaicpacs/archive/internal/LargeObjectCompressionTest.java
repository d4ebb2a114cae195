package org.mosaicpacs.archive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.transcoder.internal.ReactorTranscoder;

/**
 * A multi-frame image larger than the heap (this class runs in its own JVM with -Xmx64m, see the
 * pom) is compressed on ingest: the object is spooled to a file and converted and verified frame
 * by frame, never held whole in memory.
 */
class LargeObjectCompressionTest {

    private static final int ROWS = 512;
    private static final int COLUMNS = 512;
    private static final int FRAMES = 200; // 100 MiB of Pixel Data

    @TempDir
    Path temp;

    @Test
    void aMultiFrameImageLargerThanTheHeapIsCompressedFrameByFrame() throws Exception {
        IngestFixture fixture = new IngestFixture(new DirectoryStorage(temp.resolve("store")),
                CompressionPolicy.of(UID.JPEGLSLossless, null, 0, false, true),
                () -> ReactorTranscoder.withReactorCodecs(temp.resolve("transcoder-spool")), 4 << 20,
                DuplicatePolicy.REJECT);
        DataSet ds;
        try (DicomReader r = DicomReader.open(CompressOnIngestTest.corpusFiles("native", "MR", 1).get(0))) {
            ds = r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        }
        ds.setInt(Tag.Rows, VR.US, ROWS);
        ds.setInt(Tag.Columns, VR.US, COLUMNS);
        ds.setString(Tag.NumberOfFrames, VR.IS, String.valueOf(FRAMES));
        long pixelBytes = (long) ROWS * COLUMNS * 2 * FRAMES;
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.create(head, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.defaults())) {
            w.writeDataSet(ds);
            w.writeHeader(Tag.PixelData, VR.OW, pixelBytes);
        }
        InputStream stream = new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), new Frames());

        Ingest.Stored stored = fixture.ingest.store(new StoreRequest("DIMSE", "MODALITY", "MOSAIC", null,
                UID.ExplicitVRLittleEndian, false, null, null), stream);

        assertThat(stored.outcome().instance().transferSyntaxUid()).isEqualTo(UID.JPEGLSLossless);
        long size = Files.size(fixture.storedPath(stored));
        assertThat(size).isEqualTo(stored.outcome().instance().size()).isLessThan(pixelBytes / 4);
        try (var left = Files.list(temp.resolve("store-spool"))) {
            assertThat(left).as("the spool file is deleted").isEmpty();
        }
        System.out.printf("%d MiB multi-frame image stored as JPEG-LS Lossless in %d MiB with -Xmx%d MiB%n",
                pixelBytes >> 20, size >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }

    /** 12-bit frames of a moving gradient with some texture, generated as they are read. */
    private static final class Frames extends InputStream {
        private long position;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long total = (long) ROWS * COLUMNS * 2 * FRAMES;
            if (position >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - position);
            for (int i = 0; i < n; i++) {
                long sample = (position + i) / 2;
                int frame = (int) (sample / (ROWS * COLUMNS));
                int y = (int) (sample / COLUMNS % ROWS);
                int x = (int) (sample % COLUMNS);
                int value = (x * 3 + y * 5 + frame * 7 + ((x * y) % 13)) & 0xFFF;
                b[off + i] = (byte) ((position + i) % 2 == 0 ? value : value >> 8);
            }
            position += n;
            return n;
        }
    }
}
