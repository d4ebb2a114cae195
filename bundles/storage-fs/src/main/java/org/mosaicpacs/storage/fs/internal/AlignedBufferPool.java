package org.mosaicpacs.storage.fs.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers aligned to the file system's block size, for direct I/O. Kept for reuse: a new
 * direct buffer is zeroed when allocated and its memory is freed only after a garbage collection
 * finds it unreachable, so one per object would add work and memory that reuse avoids.
 */
final class AlignedBufferPool {

    private final int alignment;
    private final int size;
    private final ArrayBlockingQueue<ByteBuffer> idle;

    /**
     * @param alignment the block size direct I/O needs (a power of two)
     * @param size      bytes per buffer, a multiple of the alignment
     * @param kept      buffers kept for reuse at most; more are allocated when needed and dropped after use
     */
    AlignedBufferPool(int alignment, int size, int kept) {
        if (Integer.bitCount(alignment) != 1 || size <= 0 || size % alignment != 0) {
            throw new IllegalArgumentException("buffer size " + size + " is not a multiple of the alignment " + alignment);
        }
        this.alignment = alignment;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(kept);
    }

    ByteBuffer acquire() {
        ByteBuffer b = idle.poll();
        return b != null ? b : ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).limit(size).slice();
    }

    void release(ByteBuffer b) {
        b.clear();
        idle.offer(b);
    }

    /** The smallest multiple of the alignment that holds {@code n} bytes. */
    int roundUp(int n) {
        return (n + alignment - 1) & -alignment;
    }
}
