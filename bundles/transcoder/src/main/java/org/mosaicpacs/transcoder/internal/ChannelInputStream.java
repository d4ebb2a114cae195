package org.mosaicpacs.transcoder.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * A channel read as a stream from its current position, whose {@link #skip} moves the position
 * instead of reading (the DICOM reader skips Pixel Data values that way). Closing it leaves the
 * channel open: it belongs to the caller.
 */
final class ChannelInputStream extends InputStream {

    private final SeekableByteChannel channel;

    ChannelInputStream(SeekableByteChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        do {
            n = channel.read(ByteBuffer.wrap(b, off, len));
        } while (n == 0);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long position = channel.position();
        long skipped = Math.max(0, Math.min(n, channel.size() - position));
        channel.position(position + skipped);
        return skipped;
    }

    /** Reads exactly {@code length} bytes at {@code position}, leaving the channel after them. */
    static byte[] readAt(SeekableByteChannel channel, long position, int length) throws IOException {
        channel.position(position);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new java.io.EOFException("the instance ends " + buffer.remaining() + " bytes early at offset "
                        + (position + buffer.position()));
            }
        }
        return buffer.array();
    }
}
