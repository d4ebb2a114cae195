package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/related} body (RFC 2046 5.1, RFC 2387) part by part from a stream:
 * each part's body is a stream that ends at the next boundary, so parts of any size pass
 * through without being held in memory. Malformed input (no boundary, a body that ends before
 * the closing boundary, oversized part headers) is a {@link MalformedMultipartException}.
 * Not thread-safe.
 */
final class MultipartReader {

    /** The body is not well-formed multipart content. */
    static final class MalformedMultipartException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedMultipartException(String message) {
            super(message);
        }
    }

    /** One part: its headers (names in lower case) and its body, readable until the next boundary. */
    record Part(Map<String, String> headers, InputStream body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    /** CRLF "--" boundary: the delimiter between parts (the first one is matched as if preceded by CRLF). */
    private final byte[] delimiter;
    private final byte[] buffer;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean finished;
    private PartBody current;

    MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw new IllegalArgumentException("multipart boundary must be 1..200 characters");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buffer = new byte[Math.max(65536, delimiter.length * 4)];
        // a virtual CRLF so that a boundary at the very start matches the delimiter
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /** The next part, or null after the closing boundary. The previous part's body is skipped if unread. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current == null) {
            skipPreamble();
        } else {
            current.skipRest();
        }
        // after a delimiter: "--" closes the body, otherwise optional whitespace and CRLF start a part
        fill(2);
        if (buffered() >= 2 && buffer[pos] == '-' && buffer[pos + 1] == '-') {
            finished = true;
            return null;
        }
        readLine(); // transport padding up to CRLF
        Map<String, String> headers = readHeaders();
        current = new PartBody();
        return new Part(headers, current);
    }

    private void skipPreamble() throws IOException {
        while (true) {
            int i = indexOfDelimiter();
            if (i >= 0) {
                pos = i + delimiter.length;
                return;
            }
            int keep = Math.min(buffered(), delimiter.length - 1);
            pos = limit - keep;
            if (!fillMore()) {
                throw new MalformedMultipartException("no multipart boundary found in the body");
            }
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        String lastName = null;
        while (true) {
            String line = readLine();
            total += line.length() + 2;
            if (total > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("part headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return headers;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && lastName != null) {
                headers.merge(lastName, " " + line.strip(), String::concat); // folded header line
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedMultipartException("malformed part header line \"" + line + "\"");
            }
            lastName = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.put(lastName, line.substring(colon + 1).strip());
        }
    }

    /** A line up to CRLF (or LF), without it, as ISO-8859-1. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (pos >= limit && !fillMore()) {
                throw new MalformedMultipartException("multipart body ends inside part headers");
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xFF));
            if (line.length() > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("part header line longer than " + MAX_HEADER_BYTES + " bytes");
            }
        }
    }

    private int buffered() {
        return limit - pos;
    }

    /** Reads until at least {@code n} bytes are buffered or the input ends. */
    private void fill(int n) throws IOException {
        while (buffered() < n && fillMore()) {
            // keep reading
        }
    }

    /** Reads more input into the buffer (compacting it first); false at end of input. */
    private boolean fillMore() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buffer.length) {
            return true;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** Index of the delimiter in the buffered bytes, or -1. */
    private int indexOfDelimiter() {
        int last = limit - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buffer[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The body of the current part: ends where the delimiter starts. */
    private final class PartBody extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                fill(delimiter.length);
                int i = indexOfDelimiter();
                int safe = i >= 0 ? i - pos : buffered() - (delimiter.length - 1);
                if (safe > 0) {
                    int n = Math.min(len, safe);
                    System.arraycopy(buffer, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (i >= 0) { // at the delimiter
                    pos += delimiter.length;
                    ended = true;
                    return -1;
                }
                if (!fillMore()) {
                    throw new MalformedMultipartException("multipart body ends before the closing boundary");
                }
            }
        }

        void skipRest() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
    }
}
