package org.mosaicpacs.support.io;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bytes held until the writer knows what to do with them (the archive compressing an object on
 * ingest, the transcoder converting frames before it writes anything): in memory up to a limit,
 * beyond it in a temporary file that {@link #close()} deletes. Appended to, then read any number
 * of times.
 *
 * <p>Not thread-safe: a spool belongs to one task.
 */
public final class Spool implements Closeable {

    private final long memoryLimit;
    private final Path directory;
    private final String prefix;
    private byte[] memory = new byte[0];
    private int memoryLength;
    private Path file;
    private OutputStream fileOut;
    private long size;

    private final OutputStream stream = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            append(b, off, len);
        }
    };

    /**
     * @param memoryLimit the most bytes kept in memory (at most {@code Integer.MAX_VALUE - 8})
     * @param directory   where the temporary file goes beyond that
     * @param prefix      the temporary file's name prefix, to tell whose it is
     */
    public Spool(long memoryLimit, Path directory, String prefix) {
        this.memoryLimit = Math.min(memoryLimit, Integer.MAX_VALUE - 8);
        this.directory = directory;
        this.prefix = prefix;
    }

    /** Appends bytes; the same as writing them to {@link #stream()}. */
    public void append(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && memoryLength + (long) len > memoryLimit) {
            Files.createDirectories(directory);
            file = Files.createTempFile(directory, prefix, ".spool");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            fileOut.write(memory, 0, memoryLength);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            if (memoryLength + len > memory.length) {
                memory = Arrays.copyOf(memory, (int) Math.min(memoryLimit,
                        Math.max(memoryLength + (long) len, 2L * memory.length)));
            }
            System.arraycopy(b, off, memory, memoryLength, len);
            memoryLength += len;
        }
        size += len;
    }

    /** Where bytes are appended as a stream; closing it does nothing. */
    public OutputStream stream() {
        return stream;
    }

    /** The number of bytes appended. */
    public long size() {
        return size;
    }

    /** True once the bytes went to a temporary file. */
    public boolean onDisk() {
        return file != null;
    }

    /** The bytes written so far, from the start. */
    public InputStream openStream() throws IOException {
        if (fileOut == null) {
            return new ByteArrayInputStream(memory, 0, memoryLength);
        }
        fileOut.flush();
        return Files.newInputStream(file);
    }

    /** The bytes written so far, for random access (read-only). */
    public SeekableByteChannel openChannel() throws IOException {
        if (fileOut == null) {
            return new MemoryChannel(memory, memoryLength);
        }
        fileOut.flush();
        return FileChannel.open(file);
    }

    /** Copies every byte written to {@code out}. */
    public void copyTo(OutputStream out) throws IOException {
        if (fileOut == null) {
            out.write(memory, 0, memoryLength);
        } else {
            try (InputStream in = openStream()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public void close() throws IOException {
        memory = null;
        try {
            if (fileOut != null) {
                fileOut.close();
            }
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A read-only channel over a byte array (the JDK has none that is public). */
    private static final class MemoryChannel extends ReadOnlyChannel {
        private final byte[] data;

        MemoryChannel(byte[] data, int length) {
            super(length);
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), size - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }
    }
}
