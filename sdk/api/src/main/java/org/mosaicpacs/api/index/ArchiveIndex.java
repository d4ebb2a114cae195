package org.mosaicpacs.api.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

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

    /**
     * Records an instance whose object the storage is still making durable, so that the two overlap:
     * the rows are written meanwhile, but the transaction commits only once {@code objectDurable}
     * has completed normally. The index therefore never names an object that a crash could still
     * lose. If it completes exceptionally (or the wait is interrupted), nothing is recorded and an
     * {@link IndexException} is thrown with that failure as its cause.
     *
     * <p>The default waits for the object, then records as
     * {@link #record(DataSet, StoredObject, String, Instant, boolean)} does; an index whose
     * transaction can be held open overrides it.
     *
     * @param object        the object as it will be once durable (key, size, checksum final)
     * @param objectDurable completes when the object is durable and visible under its key
     * @since 1.1
     */
    default RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid, Instant received,
                                 boolean replaceExisting, Future<?> objectDurable) throws IndexException {
        awaitDurable(objectDurable, object);
        return record(header, object, transferSyntaxUid, received, replaceExisting);
    }

    /**
     * Waits until an object is durable, for implementations of
     * {@link #record(DataSet, StoredObject, String, Instant, boolean, Future)}.
     *
     * @throws IndexException with the object's failure as cause if it did not become durable
     * @since 1.1
     */
    static void awaitDurable(Future<?> objectDurable, StoredObject object) throws IndexException {
        try {
            objectDurable.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IndexException("object " + object.key() + " was not stored, so it is not recorded: " + cause.getMessage(),
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexException("interrupted while waiting for object " + object.key() + " to be stored", e);
        } catch (CancellationException e) {
            throw new IndexException("storing object " + object.key() + " was cancelled, so it is not recorded", e);
        }
    }

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

    /**
     * Remembers that a rejection note rejected an instance (IHE IOCM), whether or not the index
     * holds it, in place of an earlier rejection of the same instance. The instance itself is
     * removed separately ({@link #removeInstance}); remembering first means a crash in between
     * leaves it rejected, not forgotten.
     *
     * <p>The default refuses: an index that keeps no rejections cannot refuse rejected instances.
     *
     * @throws IndexException if the index keeps no rejections or the database fails
     * @since 1.2
     */
    default void recordRejection(Rejection rejection) throws IndexException {
        throw new IndexException("this index keeps no rejections, so rejected instance " + rejection.sopInstanceUid()
                + " would be accepted again");
    }

    /**
     * The rejection remembered for this SOP Instance UID, if any. The default finds none.
     *
     * @since 1.2
     */
    default Optional<Rejection> findRejection(String sopInstanceUid) throws IndexException {
        return Optional.empty();
    }

    /**
     * The rejections remembered for a study (as the rejection notes listed it), in SOP Instance UID
     * order. The default finds none.
     *
     * @since 1.2
     */
    default List<Rejection> findRejections(String studyInstanceUid) throws IndexException {
        return List.of();
    }

    /**
     * Forgets the rejection of an instance, when it is accepted again.
     *
     * @return whether a rejection was remembered
     * @since 1.2
     */
    default boolean forgetRejection(String sopInstanceUid) throws IndexException {
        return false;
    }
}
