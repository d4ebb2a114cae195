package org.mosaicpacs.api.archive;

import java.io.InputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The archive: the one way objects enter, and the way to read them back.
 *
 * <p>{@link #store} streams the object to the configured storage backend while it parses only
 * the header, applies the configured attribute coercions and duplicate policy, records the
 * instance in the index and posts {@link ArchiveEvents}. It returns only after the object and its
 * index rows are committed: a success can be reported to the sender at once, and a crash at any
 * later point loses nothing acknowledged.
 *
 * <p>Threading: safe for concurrent use; calls block for the duration of the I/O.
 */
@ProviderType
public interface Archive {

    /**
     * Stores one object read from {@code stream} (not closed by this method; read up to the end
     * of the data set).
     *
     * @throws ArchiveException with the reason a protocol needs to answer; nothing of the object
     *                          is kept then
     */
    StoreResult store(StoreRequest request, InputStream stream) throws ArchiveException;

    /**
     * Opens a stored instance.
     *
     * @throws ArchiveException {@link ArchiveException.Reason#NOT_FOUND} if the archive has no such
     *                          instance, {@link ArchiveException.Reason#PROCESSING_FAILURE} if its
     *                          storage cannot be read
     */
    StoredInstance open(String sopInstanceUid) throws ArchiveException;
}
