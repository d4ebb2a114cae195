package org.mosaicpacs.api.index;

import java.time.Instant;
import java.util.Objects;

/**
 * An instance as the index knows it: identity, where its bytes are, and how they are encoded.
 *
 * @param studyInstanceUid  Study Instance UID
 * @param seriesInstanceUid Series Instance UID
 * @param sopInstanceUid    SOP Instance UID
 * @param sopClassUid       SOP Class UID
 * @param transferSyntaxUid the transfer syntax the object is stored in
 * @param storageId         the storage backend holding it
 * @param storageKey        the backend's key for it
 * @param size              stored size in bytes
 * @param checksumAlgorithm digest algorithm of {@code checksum}
 * @param checksum          digest of the stored bytes, lower-case hex
 * @param received          when the archive received it
 */
public record InstanceRecord(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                             String sopClassUid, String transferSyntaxUid, String storageId, String storageKey,
                             long size, String checksumAlgorithm, String checksum, Instant received) {

    public InstanceRecord {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(transferSyntaxUid, "transferSyntaxUid");
        Objects.requireNonNull(storageId, "storageId");
        Objects.requireNonNull(storageKey, "storageKey");
        Objects.requireNonNull(received, "received");
    }
}
