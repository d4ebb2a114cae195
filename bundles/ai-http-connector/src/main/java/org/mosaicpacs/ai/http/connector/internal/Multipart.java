package org.mosaicpacs.ai.http.connector.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code multipart/related} (RFC 2387) as DICOMweb uses it (PS3.18 8.6.1.2): writing a body of
 * Part 10 instances as a stream, and splitting a received body into its parts.
 */
final class Multipart {

    private Multipart() {
    }

    /** Where each part's bytes come from, opened when the part is reached. */
    interface PartSource {
        InputStream open() throws IOException;
    }

    /** A new boundary. */
    static String newBoundary() {
        return "mosaic-" + UUID.randomUUID();
    }

    /**
     * The body as one stream: each part is opened only when the one before has been sent, so a
     * study of any size is sent without being held in memory. A part that cannot be opened ends the
     * stream with an {@link java.io.UncheckedIOException} naming the cause.
     */
    static InputStream body(String boundary, String partContentType, List<PartSource> parts) {
        List<Object> pieces = new ArrayList<>(); // byte[] delimiters and PartSources, in order
        for (PartSource part : parts) {
            pieces.add(("--" + boundary + "\r\nContent-Type: " + partContentType + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            pieces.add(part);
            pieces.add(new byte[] {'\r', '\n'});
        }
        pieces.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        Iterator<Object> it = pieces.iterator();
        return new SequenceInputStream(new Enumeration<InputStream>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public InputStream nextElement() {
                Object next = it.next();
                if (next instanceof byte[] bytes) {
                    return new ByteArrayInputStream(bytes);
                }
                try {
                    return ((PartSource) next).open();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open an instance to send: " + e.getMessage(), e);
                }
            }
        });
    }

    /** The {@code boundary} parameter of a multipart content type, or null. */
    static String boundary(String contentType) {
        String param = parameter(contentType, "boundary");
        return param == null || param.isEmpty() ? null : param;
    }

    /** A parameter of a content type, unquoted, or null. */
    static String parameter(String contentType, String name) {
        for (String p : contentType.split(";")) {
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** One received part: its Content-Type (lower case, without parameters; null if absent) and bytes. */
    record Part(String contentType, byte[] content) {
    }

    /**
     * Splits a body into its parts.
     *
     * @throws IOException if the body has no delimiter or ends inside a part
     */
    static List<Part> parse(byte[] body, String boundary) throws IOException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] crlfDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IOException("multipart body without its boundary " + boundary);
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            pos += delimiter.length;
            if (pos + 1 < body.length && body[pos] == '-' && body[pos + 1] == '-') {
                return parts; // close delimiter
            }
            int headersStart = indexOf(body, new byte[] {'\r', '\n'}, pos);
            int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, pos);
            if (headersStart < 0) {
                throw new IOException("multipart body ends after a delimiter");
            }
            String contentType = null;
            int contentStart;
            if (headersEnd == headersStart) {
                contentStart = headersStart + 4; // a part without headers
            } else if (headersEnd < 0) {
                throw new IOException("multipart part without the blank line after its headers");
            } else {
                String headers = new String(body, headersStart + 2, headersEnd - headersStart - 2, StandardCharsets.ISO_8859_1);
                for (String line : headers.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
                        contentType = line.substring(colon + 1).split(";")[0].trim().toLowerCase(Locale.ROOT);
                    }
                }
                contentStart = headersEnd + 4;
            }
            int next = indexOf(body, crlfDelimiter, contentStart);
            if (next < 0) {
                throw new IOException("multipart body ends inside a part (no closing boundary)");
            }
            byte[] content = new byte[next - contentStart];
            System.arraycopy(body, contentStart, content, 0, content.length);
            parts.add(new Part(contentType, content));
            pos = next + 2;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
