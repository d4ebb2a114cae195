package org.mosaicpacs.support.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * What every read-only {@link SeekableByteChannel} of a known size shares: the position, the size,
 * the open state, and refusing writes. A subclass reads from {@link #position} in {@link #read}
 * and moves it on; {@link #closed} releases what it holds.
 */
public abstract class ReadOnlyChannel implements SeekableByteChannel {

    /** The channel's length in bytes. */
    protected final long size;
    private boolean open = true;
    /** Where the next read starts; a caller may set it anywhere, also beyond the end. */
    protected long position;

    protected ReadOnlyChannel(long size) {
        this.size = size;
    }

    @Override
    public final int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public final SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public final long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public final SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public final long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public final boolean isOpen() {
        return open;
    }

    @Override
    public final void close() {
        if (open) {
            open = false;
            closed();
        }
    }

    /** Releases what the channel holds; called once, by the first {@link #close()}. */
    protected void closed() {
    }

    protected final void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
