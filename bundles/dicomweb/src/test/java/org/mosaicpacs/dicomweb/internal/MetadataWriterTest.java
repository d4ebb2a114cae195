package org.mosaicpacs.dicomweb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.json.DicomJsonReader;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.testing.Tools;

class MetadataWriterTest {

    private static final InstanceRecord RECORD = new InstanceRecord("1.2", "1.2.3", "1.2.3.4", "1.2.840.10008.5.1.4.1.1.2",
            "1.2.840.10008.1.2.1", "fs", "k", 10, "MD5", "00", Instant.EPOCH);

    @Test
    void bulkDataUrisGetTheRequestBaseAndNothingElseChanges() throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.StudyDescription, VR.LO, "contains \u0001 a control character");
        ds.setBulkData(Tag.PixelData, VR.OW, new BulkData(URI.create("urn:x"), 100, 200, false));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStream withBase = MetadataWriter.withBase(out, "http://host:8181/dicom-web/");
        withBase.write('[');
        DicomJsonWriter writer = MetadataWriter.objectsWriter(withBase);
        MetadataWriter.writeInstance(writer, ds, RECORD);
        MetadataWriter.writeInstance(writer, ds, RECORD);
        writer.close();
        withBase.write(']');
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"BulkDataURI\":\"http://host:8181/dicom-web/studies/1.2/series/1.2.3/instances/"
                + "1.2.3.4/bulkdata/7FE00010\"");
        assertThat(json).contains("contains \\u0001 a control character");
        try (DicomJsonReader reader = DicomJsonReader.open(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            assertThat(reader.readNext().getString(Tag.StudyDescription)).contains("\u0001");
            assertThat(reader.readNext()).isNotNull();
            assertThat(reader.readNext()).isNull();
        }
    }

    /**
     * Reading a stored CT image's metadata reads its header, not its pixel data: counted by the
     * kernel (/proc/thread-self/io read_bytes: what this thread had fetched from the disk, read-ahead
     * included, so other threads of the test JVM do not count) after GNU dd dropped the file from
     * the page cache, as for an object stored with direct I/O.
     */
    @Test
    void metadataOfAnObjectNotInThePageCacheReadsLittleMoreThanItsHeader(@TempDir Path dir) throws Exception {
        DataSet ct = new DataSet();
        ct.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ct.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4");
        ct.setString(Tag.StudyInstanceUID, VR.UI, "1.2");
        ct.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3");
        ct.setString(Tag.PatientName, VR.PN, "Header^Only");
        ct.setBytes(Tag.PixelData, VR.OW, new byte[512 * 512 * 2]);
        Path file = dir.resolve("ct.dcm");
        DicomWriter.writeFile(file, ct, "1.2.840.10008.1.2.1", WriteOptions.defaults());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true); // clean pages, which dd can then drop
        }
        // once while it is cached: the classes the reading loads are not counted below
        try (InputStream in = Files.newInputStream(file)) {
            MetadataWriter.readMetadata(in, RECORD, 1024);
        }
        Tools.run(Duration.ofSeconds(10), List.of("dd", "if=" + file, "iflag=nocache", "count=0", "status=none"))
                .assertSuccess();

        long before = readBytes();
        DataSet metadata;
        try (InputStream in = Files.newInputStream(file)) {
            metadata = MetadataWriter.readMetadata(in, RECORD, 1024);
        }
        long read = readBytes() - before;
        assertThat(metadata.getString(Tag.PatientName)).isEqualTo("Header^Only");
        assertThat(metadata.containsValue(Tag.PixelData)).isTrue();
        assertThat(read).as("bytes read from disk for the metadata of a %d-byte object", Files.size(file))
                .isLessThanOrEqualTo(64 * 1024);
    }

    private static long readBytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/thread-self/io")).stream().filter(l -> l.startsWith("read_bytes:"))
                .mapToLong(l -> Long.parseLong(l.substring("read_bytes:".length()).trim())).findFirst().orElseThrow();
    }

    @Test
    void jsonStowBulkDataPartsReplaceTheirUris(@TempDir Path dir) throws IOException {
        Path part = Files.write(dir.resolve("p"), new byte[] {1, 2, 3, 4});
        DataSet ds = new DataSet();
        ds.setBulkData(Tag.PixelData, VR.OW, BulkData.of(URI.create("http://client/bulk/1")));
        DataSet item = ds.newSequence(Tag.IconImageSequence).addNewItem();
        item.setBulkData(Tag.PixelData, VR.OW, BulkData.of(URI.create("cid:icon")));
        assertThat(Stow.resolveBulkData(ds, Map.of("http://client/bulk/1", part))).isEqualTo("cid:icon");
        assertThat(Stow.resolveBulkData(ds, Map.of("http://client/bulk/1", part, "cid:icon", part))).isNull();
        assertThat(ds.getBulkData(Tag.PixelData).length()).isEqualTo(4);
        assertThat(item.getBulkData(Tag.PixelData).uri()).isEqualTo(part.toUri());
    }

    @Test
    void seriesFingerprintFollowsContent() {
        InstanceRecord other = new InstanceRecord("1.2", "1.2.3", "1.2.3.5", "1.2.840.10008.5.1.4.1.1.2",
                "1.2.840.10008.1.2.1", "fs", "k2", 10, "MD5", "01", Instant.EPOCH);
        long one = SeriesMetadataCache.fingerprint(List.of(RECORD));
        assertThat(SeriesMetadataCache.fingerprint(List.of(RECORD))).isEqualTo(one);
        assertThat(SeriesMetadataCache.fingerprint(List.of(RECORD, other))).isNotEqualTo(one);
    }

    @Test
    void corsOrigins() {
        CorsFilter any = new CorsFilter(List.of("*"), false, 60);
        assertThat(any.allowed("http://viewer.example")).isTrue();
        CorsFilter listed = new CorsFilter(List.of("https://ohif.example/", " http://localhost:3000 "), true, 60);
        assertThat(listed.allowed("https://ohif.example")).isTrue();
        assertThat(listed.allowed("http://localhost:3000")).isTrue();
        assertThat(listed.allowed("https://evil.example")).isFalse();
        assertThat(new CorsFilter(List.of(), false, 60).allowed("http://a")).isFalse();
    }

    @Test
    void exceptionStatuses() {
        assertThat(DicomWebExceptionMapper.status(new org.mosaicpacs.api.index.IndexException("bad key",
                new IllegalArgumentException("x")))).isEqualTo(400);
        assertThat(DicomWebExceptionMapper.status(new org.mosaicpacs.api.index.IndexException("db down"))).isEqualTo(503);
        assertThat(DicomWebExceptionMapper.status(new org.mosaicpacs.api.archive.ArchiveException(
                org.mosaicpacs.api.archive.ArchiveException.Reason.NOT_FOUND, "x"))).isEqualTo(404);
        assertThat(DicomWebExceptionMapper.status(new org.mosaicpacs.api.transcode.TranscodeException(
                org.mosaicpacs.api.transcode.TranscodeException.Reason.UNSUPPORTED, "x"))).isEqualTo(406);
    }
}
