package org.mosaicpacs.dicom.net.handler;

import java.io.IOException;
import java.io.InputStream;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.net.Dimse;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A DIMSE request received on an association, as a handler sees it.
 */
@ProviderType
public interface DimseRequest {

    /** Which request: C-STORE-RQ, C-FIND-RQ, N-ACTION-RQ... */
    Dimse dimse();

    /** The command set as received (read-only, Implicit VR Little Endian decoded). */
    DataSet command();

    /** Message ID (0000,0110). */
    int messageId();

    /** Affected SOP Class UID, or Requested SOP Class UID for N-GET, N-SET, N-ACTION, N-DELETE. */
    String sopClassUid();

    /** Affected or Requested SOP Instance UID, or null (C-FIND, C-GET, C-MOVE, an N-CREATE without one). */
    String sopInstanceUid();

    /** Priority (0000,0700): 0 medium, 1 high, 2 low; 0 where the request has none. */
    int priority();

    /** The presentation context the request arrived on. */
    int presentationContextId();

    /** The transfer syntax negotiated for that context: the encoding of the data set. */
    String transferSyntax();

    /** True if a data set follows the command. */
    boolean hasDataSet();

    /**
     * The data set decoded into memory (bulk data included), or null if there is none. For
     * C-STORE prefer {@link #dataStream()}: this would hold the whole object in the heap.
     *
     * @throws IOException if the data set cannot be read or decoded
     * @throws IllegalStateException if {@link #dataStream()} was used
     */
    DataSet dataSet() throws IOException;

    /**
     * The raw bytes of the data set in {@link #transferSyntax()}, read from the association as
     * they arrive (C-STORE: never decoded or buffered whole); empty if there is none. One call
     * only; closing it skips the rest.
     *
     * @throws IllegalStateException if {@link #dataSet()} or this method was already used
     */
    InputStream dataStream();

    /** Move Destination (0000,0600) of a C-MOVE-RQ, else null. */
    default String moveDestination() {
        return command().getString(org.mosaicpacs.dicom.Tag.MoveDestination);
    }

    /** Event Type ID of an N-EVENT-REPORT-RQ, Action Type ID of an N-ACTION-RQ, else -1. */
    default int eventOrActionTypeId() {
        return switch (dimse()) {
            case N_EVENT_REPORT_RQ -> command().getInt(org.mosaicpacs.dicom.Tag.EventTypeID, -1);
            case N_ACTION_RQ -> command().getInt(org.mosaicpacs.dicom.Tag.ActionTypeID, -1);
            default -> -1;
        };
    }

    /** Attribute Identifier List of an N-GET-RQ (empty: all attributes). */
    default int[] attributeIdentifiers() {
        int[] tags = command().getInts(org.mosaicpacs.dicom.Tag.AttributeIdentifierList);
        return tags == null ? new int[0] : tags;
    }
}
