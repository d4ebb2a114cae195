package org.mosaicpacs.archive.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies every byte read from the source to a sink, so that the object is stored exactly as it
 * was received while a parser reads it. The sink starts as an in-memory buffer (the header, until
 * the archive knows where to store the object) and is then switched to the storage stream.
 *
 * <p>A failure of the sink (disk full) is remembered, so that the caller can tell it apart from a
 * parse error of the source even when the parser wraps or rethrows it.
 */
final class TeeInputStream extends FilterInputStream {

    // headers are a few KB; the buffer grows for the rare large one
    private final ByteArrayOutputStream header = new ByteArrayOutputStream(8 * 1024);
    private final long headerLimit;
    private OutputStream sink = header;
    private IOException sinkFailure;

    /**
     * @param headerLimit the most bytes kept in memory before the sink is switched; beyond it
     *                    the object is refused as not understood (a header that large is not a header)
     */
    TeeInputStream(InputStream source, long headerLimit) {
        super(source);
        this.headerLimit = headerLimit;
    }

    /** The bytes read so far while the sink was the buffer. */
    byte[] buffered() {
        return header.toByteArray();
    }

    /** From now on copies go to {@code target}; the buffer is released. */
    void switchTo(OutputStream target) {
        sink = target;
        header.reset();
    }

    /** The exception the sink threw, if any. */
    IOException sinkFailure() {
        return sinkFailure;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            copy(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            copy(b, off, n);
        }
        return n;
    }

    /** Skipping must still copy: every received byte belongs to the stored object. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(n, 64 * 1024)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void copy(byte[] b, int off, int len) throws IOException {
        if (sink == header && header.size() + len > headerLimit) {
            throw new HeaderTooLargeException("more than " + headerLimit + " bytes before the study and series "
                    + "identification ends");
        }
        try {
            sink.write(b, off, len);
        } catch (IOException e) {
            sinkFailure = e;
            throw e;
        }
    }

    /** The data set's leading part exceeds the in-memory limit. */
    static final class HeaderTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        HeaderTooLargeException(String message) {
            super(message);
        }
    }
}
