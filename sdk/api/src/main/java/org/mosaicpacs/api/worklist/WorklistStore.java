package org.mosaicpacs.api.worklist;

import java.util.List;
import java.util.Optional;

import org.mosaicpacs.dicom.DataSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The Modality Worklist: scheduled procedure steps (PS3.4 K.6), kept in the index database.
 *
 * <p>Each item is one requested procedure with exactly one Scheduled Procedure Step Sequence
 * (0040,0100) item. Implementations are thread-safe; every method blocks on the database and
 * commits before it returns; changes are then announced under {@link WorklistEvents}. Failures
 * (invalid item, unknown id, database down) are {@link WorklistException}s whose message says what
 * to do.
 */
@ProviderType
public interface WorklistStore {

    /**
     * Stores a new item (a DICOM data set with the K.6 attributes; one Scheduled Procedure Step
     * Sequence item). Assigns Scheduled Procedure Step ID / Requested Procedure ID / Study
     * Instance UID when absent. Returns the stored item.
     *
     * @throws WorklistException if the data set is not a valid item (no or several Scheduled
     *         Procedure Step Sequence items) or the database fails
     */
    WorklistItem create(DataSet attributes) throws WorklistException;

    /** The item with this id, or empty if there is none. */
    Optional<WorklistItem> get(String id) throws WorklistException;

    /**
     * Replaces the attributes of an existing item (same validation and defaults as
     * {@link #create}).
     *
     * @throws WorklistException if there is no such item, the data set is invalid or the database fails
     */
    WorklistItem update(String id, DataSet attributes) throws WorklistException;

    /** Removes the item; {@code false} if there was none. */
    boolean delete(String id) throws WorklistException;

    /**
     * The items whose Scheduled Procedure Step matches the given identifiers (any may be null =
     * not used; all null returns nothing).
     */
    List<WorklistItem> findByStep(String studyInstanceUid, String accessionNumber,
            String requestedProcedureId, String scheduledProcedureStepId) throws WorklistException;

    /**
     * The items that match a Modality Worklist C-FIND identifier (PS3.4 K.2.2.1: the matching of
     * C.2.2.2, sequence matching on the Scheduled Procedure Step Sequence, person names ignoring
     * case), in order of scheduled start. The whole items are returned, not only the keys.
     * Default: refuses (implementations that cannot search).
     *
     * @param keys   the matching keys; an empty data set matches every item
     * @param offset matches to skip first
     * @param limit  the most items to return, at least 1
     * @throws WorklistException if a key is malformed (e.g. a date range that is none) or the database fails
     */
    default List<WorklistItem> find(DataSet keys, int offset, int limit) throws WorklistException {
        throw new WorklistException("this worklist store cannot search");
    }

    /**
     * Sets (0040,0020) Scheduled Procedure Step Status of the item (SCHEDULED, ARRIVED, READY,
     * STARTED, DEPARTED, COMPLETED, DISCONTINUED...) — used when an MPPS starts or ends.
     *
     * @throws WorklistException if there is no such item or the database fails
     */
    WorklistItem setStepStatus(String id, String status) throws WorklistException;
}
