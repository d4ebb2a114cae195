package org.mosaicpacs.api.archive;

import java.io.IOException;
import java.io.InputStream;

import org.mosaicpacs.api.index.InstanceRecord;

/**
 * A stored instance opened for reading: its index record and its Part 10 bytes as stored (in
 * {@link InstanceRecord#transferSyntaxUid()}). Close it to release the stream.
 *
 * <p>Threading: one reader; not to be shared between threads. Reads block on the storage
 * backend. Failures while reading surface as {@code IOException}s from {@link #stream()}'s
 * methods (the backend's {@code StorageException} naming the object).
 */
public interface StoredInstance extends AutoCloseable {

    /** The index record of the instance as it was when it was opened. */
    InstanceRecord record();

    /**
     * The Part 10 bytes (preamble, meta information, data set) as stored. The same stream on
     * every call; read it once, sequentially.
     */
    InputStream stream();

    @Override
    void close() throws IOException;
}
