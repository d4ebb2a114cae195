package org.mosaicpacs.dicomweb.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@code multipart/related} body (RFC 2387, PS3.18 8.7.3.5) part by part straight to
 * the response stream, so a 2 GB study is never held in memory.
 */
final class MultipartWriter {

    private final OutputStream out;
    private final String boundary;
    private boolean partsWritten;

    MultipartWriter(OutputStream out, String boundary) {
        this.out = out;
        this.boundary = boundary;
    }

    /** A boundary no part will contain (a random UUID). */
    static String newBoundary() {
        return "mosaic-" + UUID.randomUUID();
    }

    /** The Content-Type of the whole body, e.g. {@code multipart/related; type="application/dicom"; boundary=...}. */
    static String contentType(String partType, String boundary) {
        return MediaTypes.MULTIPART_RELATED + "; type=" + MediaTypes.quoted(partType) + "; boundary=" + boundary;
    }

    /** Starts a part with the given headers; the caller writes its body to the returned stream (not closing it). */
    OutputStream startPart(Map<String, String> headers) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append(partsWritten ? "\r\n--" : "--").append(boundary).append("\r\n");
        headers.forEach((name, value) -> b.append(name).append(": ").append(value).append("\r\n"));
        b.append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        partsWritten = true;
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int off, int len) throws IOException {
                out.write(bytes, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * A stream that starts the part only when the first byte is written: a producer that fails
     * before writing anything (a transcoding that cannot be done) leaves no empty part behind.
     */
    OutputStream lazyPart(Map<String, String> headers) {
        return new OutputStream() {
            private OutputStream part;

            private OutputStream part() throws IOException {
                if (part == null) {
                    part = startPart(headers);
                }
                return part;
            }

            @Override
            public void write(int b) throws IOException {
                part().write(b);
            }

            @Override
            public void write(byte[] bytes, int off, int len) throws IOException {
                if (len > 0) {
                    part().write(bytes, off, len);
                }
            }

            @Override
            public void flush() throws IOException {
                if (part != null) {
                    part.flush();
                }
            }
        };
    }

    /** Writes the closing boundary. */
    void finish() throws IOException {
        out.write(((partsWritten ? "\r\n--" : "--") + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
