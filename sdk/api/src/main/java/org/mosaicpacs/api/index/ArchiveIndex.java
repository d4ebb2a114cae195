package org.mosaicpacs.api.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The index of stored instances: patient, study, series and instance entities with the attributes
 * queries match and return, and where each instance's bytes are.
 *
 * <p>Threading: safe for concurrent use. Each recording is one database transaction, committed
 * when the method returns.
 */
@ProviderType
public interface ArchiveIndex {

    /**
     * Records a stored instance: creates or updates its patient, study and series and inserts the
     * instance, all in one transaction committed before returning.
     *
     * @param header            the instance's data set without bulk data (at least up to Pixel Data)
     * @param object            where its bytes were committed
     * @param transferSyntaxUid the syntax the object is stored in
     * @param received          when it was received
     * @param replaceExisting   replace an instance with the same SOP Instance UID instead of failing
     * @throws DuplicateInstanceException if the instance exists and {@code replaceExisting} is false
     * @throws IndexException if the header lacks a required UID or the database fails
     */
    RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                         boolean replaceExisting) throws IndexException;

    /** The instance with this SOP Instance UID, if recorded. */
    Optional<InstanceRecord> findInstance(String sopInstanceUid) throws IndexException;

    /** The instances of a study, or of one series of it ({@code seriesInstanceUid} non-null), in series and instance number order. */
    List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) throws IndexException;

    /** Runs a query; close the results. */
    QueryResults query(IndexQuery query) throws IndexException;

    /**
     * Removes an instance from the index (and its series, study and patient when they become
     * empty). The caller deletes the object from storage afterwards.
     *
     * @return the removed record, if there was one
     */
    Optional<InstanceRecord> removeInstance(String sopInstanceUid) throws IndexException;
}
