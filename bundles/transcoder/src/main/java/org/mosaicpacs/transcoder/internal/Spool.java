package org.mosaicpacs.transcoder.internal;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The converted frames of one instance, kept until every frame has been converted so that
 * nothing is written before the conversion is known to succeed, and so that offset tables and the
 * compression ratio, which precede the frames in the data set, are known. Held in memory up to a
 * limit, beyond it in a temporary file that {@link #close()} deletes.
 */
final class Spool implements Closeable {

    private final long memoryLimit;
    private final Path directory;
    private byte[] memory = new byte[0];
    private int memoryLength;
    private Path file;
    private OutputStream fileOut;
    private long[] lengths = new long[8];
    private int frames;
    private long total;

    Spool(long memoryLimit, Path directory) {
        this.memoryLimit = memoryLimit;
        this.directory = directory;
    }

    /** Appends one frame's bytes. */
    void add(byte[] data, int length) throws IOException {
        if (fileOut == null && memoryLength + (long) length > memoryLimit) {
            Files.createDirectories(directory);
            file = Files.createTempFile(directory, "mosaic-transcode-", ".spool");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            fileOut.write(memory, 0, memoryLength);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(data, 0, length);
        } else {
            if (memoryLength + length > memory.length) {
                memory = Arrays.copyOf(memory, (int) Math.min(memoryLimit,
                        Math.max(memoryLength + (long) length, 2L * memory.length)));
            }
            System.arraycopy(data, 0, memory, memoryLength, length);
            memoryLength += length;
        }
        if (frames == lengths.length) {
            lengths = Arrays.copyOf(lengths, 2 * frames);
        }
        lengths[frames++] = length;
        total += length;
    }

    int frames() {
        return frames;
    }

    long length(int frame) {
        return lengths[frame];
    }

    long totalLength() {
        return total;
    }

    /** True once the frames went to a temporary file. */
    boolean onDisk() {
        return file != null;
    }

    /** All frames one after the other; the caller reads {@link #totalLength()} bytes and closes it. */
    InputStream open() throws IOException {
        if (fileOut == null) {
            return new ByteArrayInputStream(memory, 0, memoryLength);
        }
        fileOut.flush();
        return Files.newInputStream(file);
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
}
