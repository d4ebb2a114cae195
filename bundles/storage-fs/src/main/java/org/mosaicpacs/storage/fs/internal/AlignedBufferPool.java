package org.mosaicpacs.storage.fs.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers aligned to the file system's block size, for direct I/O. Kept for reuse: a new
 * direct buffer is zeroed when allocated and its memory is freed only after a garbage collection
 * finds it unreachable, so one per object would add work and memory that reuse avoids.
 *
 * <p>Last in, first out: the buffer released last is still in the CPU's cache. Copying a CT image
 * into it took half the time of copying into buffers taken in turn from all 32 kept (12.5–12.7
 * against 21.6–27.4 µs, {@code BufferReuseBenchmarkTest}, docs/performance.md).
 */
final class AlignedBufferPool {

    private final int alignment;
    private final int size;
    private final int kept;
    /** Guarded by itself. */
    private final ArrayDeque<ByteBuffer> idle;

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
        this.kept = kept;
        this.idle = new ArrayDeque<>(kept);
    }

    ByteBuffer acquire() {
        ByteBuffer b;
        synchronized (idle) {
            b = idle.pollFirst();
        }
        return b != null ? b : ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).limit(size).slice();
    }

    void release(ByteBuffer b) {
        b.clear();
        synchronized (idle) {
            if (idle.size() < kept) {
                idle.addFirst(b);
            }
        }
    }

    /** The smallest multiple of the alignment that holds {@code n} bytes. */
    int roundUp(int n) {
        return (n + alignment - 1) & -alignment;
    }
}
