package org.mosaicpacs.transcoder.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;

import org.mosaicpacs.support.io.Spool;

/**
 * The converted frames of one instance, kept until every frame has been converted so that
 * nothing is written before the conversion is known to succeed, and so that offset tables and the
 * compression ratio, which precede the frames in the data set, are known. The bytes are in a
 * {@link Spool} (memory up to a limit, then a temporary file); this adds each frame's length.
 */
final class FrameSpool implements Closeable {

    private final Spool bytes;
    private long[] lengths = new long[8];
    private int frames;

    FrameSpool(long memoryLimit, Path directory) {
        this.bytes = new Spool(memoryLimit, directory, "mosaic-transcode-");
    }

    /** Appends one frame's bytes. */
    void add(byte[] data, int length) throws IOException {
        bytes.append(data, 0, length);
        if (frames == lengths.length) {
            lengths = Arrays.copyOf(lengths, 2 * frames);
        }
        lengths[frames++] = length;
    }

    int frames() {
        return frames;
    }

    long length(int frame) {
        return lengths[frame];
    }

    long totalLength() {
        return bytes.size();
    }

    /** All frames one after the other; the caller reads {@link #totalLength()} bytes and closes it. */
    InputStream open() throws IOException {
        return bytes.openStream();
    }

    @Override
    public void close() throws IOException {
        bytes.close();
    }
}
