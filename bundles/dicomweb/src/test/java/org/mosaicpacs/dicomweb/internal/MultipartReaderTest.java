package org.mosaicpacs.dicomweb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    private static byte[] body(String boundary, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Reads in small chunks, as servlet streams and BufferedInputStream do. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static List<byte[]> readAll(InputStream in, String boundary) throws IOException {
        MultipartReader reader = new MultipartReader(in, boundary);
        List<byte[]> parts = new ArrayList<>();
        for (MultipartReader.Part p; (p = reader.next()) != null; ) {
            assertThat(p.header("content-type")).isEqualTo("application/dicom");
            parts.add(p.body().readAllBytes());
        }
        return parts;
    }

    @Test
    void readsPartsOfAnySizeWhateverTheChunking() throws IOException {
        Random random = new Random(7);
        byte[] small = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] large = new byte[300_000];
        random.nextBytes(large);
        byte[] crlfs = "\r\n--not-the-boundary\r\n\r\n--".getBytes(StandardCharsets.US_ASCII);
        byte[] empty = new byte[0];
        for (int chunk : new int[] {1, 7, 100, 8192, 1 << 20}) {
            List<byte[]> parts = readAll(trickle(body("b0und", small, large, crlfs, empty), chunk), "b0und");
            assertThat(parts).hasSize(4);
            assertThat(parts.get(0)).isEqualTo(small);
            assertThat(parts.get(1)).isEqualTo(large);
            assertThat(parts.get(2)).isEqualTo(crlfs);
            assertThat(parts.get(3)).isEmpty();
        }
    }

    @Test
    void skipsPreambleAndUnreadParts() throws IOException {
        byte[] b = ("preamble\r\n" + new String(body("x", "one".getBytes(), "two".getBytes()), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(b), "x");
        reader.next(); // not read
        assertThat(reader.next().body().readAllBytes()).isEqualTo("two".getBytes());
        assertThat(reader.next()).isNull();
    }

    @Test
    void refusesBrokenBodies() {
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream("no boundary here".getBytes()), "x"))
                .isInstanceOf(MultipartReader.MalformedMultipartException.class).hasMessageContaining("no multipart boundary");
        byte[] truncated = "--x\r\nContent-Type: application/dicom\r\n\r\nabcdef".getBytes();
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(truncated), "x"))
                .isInstanceOf(MultipartReader.MalformedMultipartException.class).hasMessageContaining("closing boundary");
        byte[] noHeaderEnd = "--x\r\nContent-Type: application/dicom".getBytes();
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(noHeaderEnd), "x"))
                .isInstanceOf(MultipartReader.MalformedMultipartException.class);
    }
}
