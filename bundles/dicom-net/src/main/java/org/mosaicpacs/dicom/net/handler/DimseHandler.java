package org.mosaicpacs.dicom.net.handler;

import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Performs the DIMSE requests an association receives for some SOP classes: the SPI of every
 * DICOM service (Verification, Storage, Query/Retrieve, Worklist, MPPS, Storage Commitment,
 * vendor SOP classes).
 *
 * <p>In OSGi a handler is a whiteboard service with the service properties
 * {@value #SOP_CLASS_PROPERTY} (the SOP Class UIDs it serves) and {@value #ROLE_PROPERTY}
 * ({@value #ROLE_SCP}); set them with {@link DimseHandlerProperties}. The acceptor accepts a
 * presentation context only while a handler for its abstract syntax is registered.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>Threads: called on a worker thread, never on the thread that reads the socket, so it may
 *     block (database, disk, opening other associations). Calls for different associations, and
 *     for one association with an asynchronous operations window, run concurrently: a handler
 *     must be thread-safe.</li>
 * <li>Outcome: return the final response (usually {@link DimseResponse#success()} or a status
 *     from {@link org.mosaicpacs.dicom.net.Status}), or throw {@link DimseStatusException} with a
 *     status and Error Comment. Any other exception becomes the request's failure status
 *     ({@link org.mosaicpacs.dicom.net.Status#forUnexpectedFailure}) with the exception in the
 *     Error Comment; the association carries on. Each implementation lists its statuses in its
 *     Javadoc.</li>
 * <li>Pending responses (C-FIND, C-GET, C-MOVE): send them with {@link DimseContext#sendPending}
 *     and poll {@link DimseContext#isCancelled()} between them; after a C-CANCEL return a
 *     response with status {@link org.mosaicpacs.dicom.net.Status#CANCEL}.</li>
 * <li>Data: the request's data set is read through {@link DimseRequest#dataSet()} or, for
 *     C-STORE, streamed with {@link DimseRequest#dataStream()} without being decoded or held in
 *     memory. Whatever the handler leaves unread is skipped after it returns.</li>
 * </ul>
 */
@ConsumerType
public interface DimseHandler {

    /** Service property: the SOP Class UIDs (String or String[]) the handler serves. */
    String SOP_CLASS_PROPERTY = "mosaic.dimse.sopclass";

    /** Service property: the role the handler plays for those SOP classes: {@value #ROLE_SCP}. */
    String ROLE_PROPERTY = "mosaic.dimse.role";

    /**
     * Optional service property: the transfer syntaxes the handler accepts for data it receives;
     * absent means every syntax the node supports (the uncompressed ones and those of the
     * registered codecs).
     */
    String TRANSFER_SYNTAX_PROPERTY = "mosaic.dimse.transfersyntax";

    /** The handler performs the requests (it is the SCP). */
    String ROLE_SCP = "SCP";

    /**
     * Performs one request.
     *
     * @param request the request, with its command set and data
     * @param context the association it arrived on and the means to answer in several parts
     * @return the final response
     * @throws DimseStatusException to answer with a non-success status and an Error Comment
     * @throws Exception anything else becomes a failure status (see class comment)
     */
    DimseResponse handle(DimseRequest request, DimseContext context) throws Exception;

    /**
     * SOP Class Extended Negotiation (PS3.7 D.3.3.5): the application information to answer a
     * requestor's proposal with, or null to send no reply item (the requestor then assumes
     * none of the extended behaviour). Default: null.
     *
     * @param sopClassUid the SOP class of an accepted presentation context
     * @param requested the requestor's service-class-application-information
     */
    default byte[] extendedNegotiation(String sopClassUid, byte[] requested) {
        return null;
    }
}
