package org.mosaicpacs.dicom.net.handler;

import java.io.IOException;
import java.util.function.Consumer;

import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a handler can do besides returning its final response.
 */
@ProviderType
public interface DimseContext {

    /**
     * The association the request arrived on: calling and called AE titles, peer address, TLS
     * session, and the request methods to send C-STORE sub-operations (C-GET) or an
     * N-EVENT-REPORT to the requestor.
     */
    Association association();

    /**
     * Sends a pending response (status FF00 or FF01) now: a C-FIND match, C-GET/C-MOVE progress.
     *
     * @throws IllegalArgumentException if the status is not pending or the request is not C-FIND, C-GET or C-MOVE
     * @throws IOException if the association failed (stop working and return)
     */
    void sendPending(DimseResponse pending) throws IOException;

    /** True once the requestor sent a C-CANCEL-RQ for this request (or the association ended). */
    boolean isCancelled();

    /**
     * A client for new associations as SCU (C-MOVE destinations, Storage Commitment
     * N-EVENT-REPORT on a new association) over plain TCP, with the acceptor's timeouts and PDU
     * size; a destination that needs TLS is reached with a {@code DicomClient} built with
     * {@code TlsSettings}. The handler names the calling AE title in its A-ASSOCIATE-RQ, normally
     * this association's {@link Association#calledAeTitle()}.
     */
    DicomClient client();

    /**
     * Runs {@code task} on this worker thread after the final response has been sent, e.g. the
     * N-EVENT-REPORT that follows an N-ACTION on the same association. It may block on the
     * association; exceptions are logged.
     */
    void afterResponse(Consumer<Association> task);
}
