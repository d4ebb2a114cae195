package org.mosaicpacs.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Keeps the bytes of stored objects: files on a filesystem, objects in an S3 bucket, a vendor's
 * archive. Registered as a service with {@link StorageBackendProperties}.
 *
 * <p>Threading: every method may be called concurrently from many threads. Calls block on I/O.
 *
 * <p>Failures: {@link StorageFullException} when a new object is refused for lack of space;
 * {@link StorageException} with a message naming the object and the cause for everything else.
 * A missing object on read is a {@link java.nio.file.NoSuchFileException}.
 */
@ConsumerType
public interface StorageBackend {

    /** Service property: the id the archive configuration and the index use for this backend. */
    String ID_PROPERTY = "mosaic.storage.id";

    /** This backend's id, the value of {@value #ID_PROPERTY}. */
    String id();

    /**
     * Starts writing a new object.
     *
     * @param object       the identity the backend derives the key from
     * @param expectedSize the size if known (for the free-space check), or -1
     * @throws StorageFullException when accepting it would break the free-space reserve
     */
    ObjectWriter create(ObjectDescriptor object, long expectedSize) throws IOException;

    /** Opens a stored object for sequential reading. */
    InputStream open(String key) throws IOException;

    /**
     * Opens a stored object for random access, for reading frames or bulk data by offset without
     * reading the whole object.
     */
    SeekableByteChannel openChannel(String key) throws IOException;

    /** Whether an object exists under the key. */
    boolean exists(String key) throws IOException;

    /** Deletes an object; deleting a missing object is not an error. */
    void delete(String key) throws IOException;
}
