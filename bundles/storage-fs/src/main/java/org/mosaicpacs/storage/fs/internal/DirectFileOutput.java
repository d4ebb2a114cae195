package org.mosaicpacs.storage.fs.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes a new file with direct I/O ({@code O_DIRECT}): from an aligned buffer straight to the
 * disk, not through the page cache. Direct I/O only takes whole aligned blocks, so full buffers
 * are written as they fill, and {@link #complete} writes the last part padded to a block and then
 * cuts the file to its real length.
 *
 * <p>Why: an archived object is written once and read later, so the page-cache copy is pure cost:
 * the copy itself (about as much CPU as receiving the object), and an fdatasync that still has the
 * whole object to write back. With direct I/O the bytes have reached the disk (its write cache)
 * when a write returns, and the commit's fdatasync is left with the file's metadata and a cache
 * flush (docs/performance.md).
 */
final class DirectFileOutput extends OutputStream {

    private final FileChannel channel;
    private final AlignedBufferPool pool;
    /** Null once completed or released. */
    private ByteBuffer buffer;
    private long length;

    /** @param channel opened with {@code ExtendedOpenOption.DIRECT}, at position 0 */
    DirectFileOutput(FileChannel channel, AlignedBufferPool pool) {
        this.channel = channel;
        this.pool = pool;
        this.buffer = pool.acquire();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        while (len > 0) {
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
            length += n;
            if (!buffer.hasRemaining()) {
                writeBuffer();
            }
        }
    }

    /** Nothing: only whole blocks can be written before {@link #complete}. */
    @Override
    public void flush() {
    }

    /**
     * Writes what is buffered, padded to the block size, and truncates the file to the bytes
     * written; returns the buffer to the pool. The file is then complete but not yet durable.
     */
    void complete() throws IOException {
        ensureOpen();
        try {
            int tail = buffer.position();
            if (tail > 0) {
                int padded = pool.roundUp(tail);
                while (buffer.position() < padded) {
                    buffer.put((byte) 0);
                }
                writeBuffer();
                channel.truncate(length);
            }
        } finally {
            release();
        }
    }

    /** Returns the buffer without writing what it holds (the object is being discarded). */
    void release() {
        if (buffer != null) {
            pool.release(buffer);
            buffer = null;
        }
    }

    private void writeBuffer() throws IOException {
        buffer.flip();
        int expected = buffer.remaining();
        int written = 0;
        while (buffer.hasRemaining()) {
            int n = channel.write(buffer);
            if (n <= 0) {
                // a short direct write leaves an unaligned position: nothing after it could be written
                throw new IOException("direct write stopped after " + written + " of " + expected + " bytes");
            }
            written += n;
        }
        buffer.clear();
    }

    private void ensureOpen() throws IOException {
        if (buffer == null) {
            throw new IOException("object output already completed or discarded");
        }
    }

    @Override
    public void close() {
        release();
    }
}
