package org.mosaicpacs.dicom.internal;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import org.mosaicpacs.dicom.DicomParseException;

/** A buffered input stream that counts its position, can peek ahead and switch to inflating. */
public final class DicomInput {

    private InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    /** Stream position of buf[0]. */
    private long base;
    private boolean inflating;

    public DicomInput(InputStream in) {
        this.in = in;
    }

    /** Bytes consumed so far (inflated bytes after {@link #startInflating()}). */
    public long position() {
        return base + pos;
    }

    public boolean isInflating() {
        return inflating;
    }

    /** Ensures n bytes (n &lt;= buffer size) are buffered if the stream has them; returns how many are. */
    public int ensure(int n) throws IOException {
        if (limit - pos >= n) {
            return n;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < n) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                break;
            }
            limit += r;
        }
        return Math.min(limit - pos, n);
    }

    /** The buffered byte at pos + i (after {@link #ensure}). */
    public int peek(int i) {
        return buf[pos + i] & 0xFF;
    }

    public void advance(int n) {
        pos += n;
    }

    /** Reads up to len bytes; -1 at the end. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == limit) {
            if (len >= buf.length) {
                int r = in.read(b, off, len);
                if (r > 0) {
                    base += r;
                }
                return r;
            }
            if (ensure(1) == 0) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Skips exactly n bytes. */
    public void skipFully(long n) throws IOException {
        long buffered = Math.min(n, limit - pos);
        pos += (int) buffered;
        n -= buffered;
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                // skip() may return 0 without being at the end: read one byte to tell
                if (in.read() < 0) {
                    throw new EOFException();
                }
                s = 1;
            }
            base += s;
            n -= s;
        }
    }

    /**
     * Inflates everything from the current position on (Deflated Explicit VR Little Endian,
     * PS3.5 A.5: raw deflate, RFC 1951). Some writers wrap it in zlib (RFC 1950): accepted too.
     */
    public void startInflating() throws IOException {
        ensure(2);
        boolean zlib = limit - pos >= 2 && (buf[pos] & 0x0F) == 8 && ((buf[pos] & 0xFF) << 8 | buf[pos + 1] & 0xFF) % 31 == 0;
        InputStream rest = new SequenceInputStream(new ByteArrayInputStream(Arrays.copyOfRange(buf, pos, limit)), in);
        in = new Inflating(new InflaterInputStream(rest, new Inflater(!zlib), 16 * 1024));
        base += pos;
        pos = 0;
        limit = 0;
        inflating = true;
    }

    public void close() throws IOException {
        in.close();
    }

    /** Inflated input whose corruption is bad DICOM input, not an I/O failure. */
    private final class Inflating extends FilterInputStream {
        Inflating(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        private DicomParseException corrupt(IOException e) {
            return new DicomParseException("the deflated data set is corrupt (" + e.getMessage() + ")", -1, position(), e);
        }
    }
}
