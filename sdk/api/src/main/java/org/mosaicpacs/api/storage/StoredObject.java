package org.mosaicpacs.api.storage;

import java.util.Objects;

/**
 * An object a backend holds durably.
 *
 * @param storageId         the {@value StorageBackend#ID_PROPERTY} of the backend that holds it
 * @param key               the backend's key for it (for example a relative path); opaque to callers
 * @param size              its length in bytes
 * @param checksumAlgorithm the digest algorithm, e.g. {@code MD5} or {@code SHA-256}
 * @param checksum          the digest of its bytes, lower-case hex
 */
public record StoredObject(String storageId, String key, long size, String checksumAlgorithm, String checksum) {

    public StoredObject {
        Objects.requireNonNull(storageId, "storageId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(checksumAlgorithm, "checksumAlgorithm");
        Objects.requireNonNull(checksum, "checksum");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }
}
