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

    /**
     * Deletes a study, or one series of it, from the archive: every instance leaves the index
     * first (so nothing can find it any more), then its object is deleted from storage. Posts
     * {@link ArchiveEvents#SERIES_DELETED} for every series that had instances removed, and
     * {@link ArchiveEvents#STUDY_DELETED} when the study has none left. Instances that arrive
     * while the deletion runs may survive it.
     *
     * @param studyInstanceUid  the study
     * @param seriesInstanceUid one series of it, or null for the whole study
     * @throws ArchiveException {@link ArchiveException.Reason#NOT_FOUND} if the archive has no
     *                          instance of it, {@link ArchiveException.Reason#PROCESSING_FAILURE}
     *                          if the index failed (the message says how many were removed before)
     * @since 1.1; the default refuses (an archive that cannot delete, such as a test double)
     */
    default Deletion delete(String studyInstanceUid, String seriesInstanceUid) throws ArchiveException {
        throw new ArchiveException(ArchiveException.Reason.PROCESSING_FAILURE, "this archive cannot delete");
    }
}
