package org.mosaicpacs.dicomweb.internal;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.io.BulkDataUriPolicy;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.json.DicomJsonWriter;

/**
 * Writes instance metadata (PS3.18 10.4.1.2.3) as DICOM JSON objects whose large values are
 * BulkDataURIs of this service. The URIs are written relative to the application base behind
 * the byte {@value #BASE_MARKER_BYTE} (JSON escapes every control character inside strings, so
 * the byte occurs nowhere else); {@link #withBase} puts the request's base URL in its place when
 * the document is sent. That way one document, built once per series and cached, serves every
 * host name the service is reached by.
 */
final class MetadataWriter {

    static final int BASE_MARKER_BYTE = 0x01;
    private static final String BASE_MARKER = "\u0001";
    private static final JsonFactory FACTORY = new JsonFactory();

    private MetadataWriter() {
    }

    /** The path of an instance relative to the application base: {@code studies/{s}/series/{r}/instances/{i}}. */
    static String instancePath(InstanceRecord r) {
        return "studies/" + r.studyInstanceUid() + "/series/" + r.seriesInstanceUid() + "/instances/"
                + r.sopInstanceUid();
    }

    /** BulkDataURIs {@code <base>studies/{s}/series/{r}/instances/{i}/bulkdata/{element path}}. */
    static BulkDataUriPolicy bulkDataUris(InstanceRecord r, String base) {
        String prefix = base + instancePath(r) + "/bulkdata/";
        return (path, vr, value) -> prefix + path;
    }

    /** Reads an instance's data set with values above the threshold (and Pixel Data) left as references. */
    static DataSet readMetadata(InputStream stored, InstanceRecord r, int bulkDataThreshold) throws IOException {
        ReadOptions options = ReadOptions.defaults().withBulkDataThreshold(bulkDataThreshold)
                .withSourceUri(URI.create("urn:mosaic:instance:" + r.sopInstanceUid()));
        try (DicomReader reader = DicomReader.open(new SmallReads(stored), options)) {
            return reader.readDataSet();
        }
    }

    /** Bytes asked of the stored object at a time while its metadata is read. */
    static final int METADATA_READ = 8 * 1024;

    /**
     * Reads of at most {@link #METADATA_READ} bytes. Linux reads ahead four times a small first
     * read: the parser's 64 KB buffer fill had it read 256 KB, half a CT image, of which only the
     * header is parsed (the pixel data is skipped, not read). Objects stored with direct I/O are not
     * in the page cache, so all of that came from the disk, for every instance whose metadata is
     * built; in 8 KB reads it is 32 KB.
     */
    private static final class SmallReads extends FilterInputStream {
        SmallReads(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, Math.min(len, METADATA_READ));
        }
    }

    /**
     * A generator for instance objects separated by commas at the root (the inside of a JSON
     * array) whose marked BulkDataURIs are written raw, the marker byte unescaped.
     */
    static JsonGenerator objectsGenerator(OutputStream out) throws IOException {
        JsonGenerator plain = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        plain.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        plain.setRootValueSeparator(new SerializedString(","));
        return new JsonGeneratorDelegate(plain, true) {
            @Override
            public void writeStringField(String fieldName, String value) throws IOException {
                if (value != null && value.startsWith(BASE_MARKER)) {
                    writeFieldName(fieldName);
                    writeRawValue("\"" + value + "\"");
                } else {
                    super.writeStringField(fieldName, value);
                }
            }

            @Override
            public void writeString(String value) throws IOException {
                if (value != null && value.startsWith(BASE_MARKER)) {
                    writeRawValue("\"" + value + "\"");
                } else {
                    super.writeString(value);
                }
            }
        };
    }

    /** Writes instances' data sets as comma-separated JSON objects with marked BulkDataURIs. */
    static DicomJsonWriter objectsWriter(OutputStream out) throws IOException {
        return DicomJsonWriter.create(objectsGenerator(out));
    }

    /** Writes one instance's metadata object with marked BulkDataURIs. */
    static void writeInstance(DicomJsonWriter writer, DataSet metadata, InstanceRecord r) throws IOException {
        writer.setBulkDataUriPolicy(bulkDataUris(r, BASE_MARKER));
        writer.writeDataSet(metadata);
    }

    /** A stream that writes {@code base} (the application's absolute base URL, ending in /) in place of each marker byte. */
    static OutputStream withBase(OutputStream out, String base) {
        byte[] baseBytes = base.getBytes(StandardCharsets.UTF_8);
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                if (b == BASE_MARKER_BYTE) {
                    out.write(baseBytes);
                } else {
                    out.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int off, int len) throws IOException {
                int start = off;
                int end = off + len;
                for (int i = off; i < end; i++) {
                    if (bytes[i] == BASE_MARKER_BYTE) {
                        out.write(bytes, start, i - start);
                        out.write(baseBytes);
                        start = i + 1;
                    }
                }
                out.write(bytes, start, end - start);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
