package org.mosaicpacs.api.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A new object being written. The caller writes the bytes to {@link #stream()}, then either
 * {@link #commit()}s, after which the object is durable and visible under its key, or
 * {@link #close()}s without committing, after which nothing of it remains. Until commit no
 * reader can see a partial object, and a crash at any point leaves either the whole object or
 * none (a leftover temporary file is removed by the backend on its next start).
 *
 * <p>Not thread-safe: one writer belongs to one ingest.
 */
@ConsumerType
public interface ObjectWriter extends AutoCloseable {

    /** Where the object's bytes go. Closing this stream does not commit. */
    OutputStream stream();

    /**
     * Ends the object's bytes and tells what {@link #commit()} will store: key, size and checksum
     * are final from here on, but the object is neither durable nor visible yet. A caller uses
     * this to prepare what depends on those values (the index rows) while {@link #commit()} runs,
     * possibly on another thread; nothing may be made to depend on the object until that returned.
     * Nothing more may be written to {@link #stream()}.
     *
     * @return the object as it will be committed, or empty if this backend learns its key, size or
     *         checksum only when committing (the caller then waits for {@link #commit()})
     * @throws StorageException when the bytes cannot be written; {@link #close()} still discards them
     */
    default Optional<StoredObject> finish() throws IOException {
        return Optional.empty();
    }

    /**
     * Makes the object durable (flushed to stable storage) and visible under its key, replacing
     * an object with the same key.
     *
     * @return the stored object with its size and checksum
     * @throws StorageException when the bytes cannot be made durable; nothing is visible then
     */
    StoredObject commit() throws IOException;

    /** Discards the object unless it was committed. Never throws for an already committed writer. */
    @Override
    void close() throws IOException;
}
