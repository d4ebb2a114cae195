package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.mosaicpacs.dicom.DataSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One DICOM association, seen from either end: opened by {@link DicomClient#connect} (we are
 * the requestor) or accepted by a {@link DicomServer} (a handler gets it from its context).
 *
 * <h2>Operations</h2>
 * The request methods send a request and block until its final response (or until the DIMSE
 * timeout, which aborts the association). A failure status is a normal {@link DimseResponse},
 * never an exception; exceptions mean the association or the transport failed. The methods are
 * thread-safe: several threads may invoke operations at once up to the negotiated asynchronous
 * operations window (further callers wait for a slot). Requests pick the accepted presentation
 * context of their SOP class; {@link NoPresentationContextException} if there is none.
 *
 * <p>On an association we accepted, the same methods send requests to the requestor: C-STORE
 * sub-operations of a C-GET (over contexts where the requestor took the SCP role) and
 * N-EVENT-REPORTs (Storage Commitment).
 *
 * <h2>Ending</h2>
 * {@link #release()} ends it in order (PS3.8 7.2, with release collision handled); {@link #abort()}
 * ends it at once. {@link #close()} releases and falls back to an abort.
 */
@ProviderType
public interface Association extends AutoCloseable {

    /** The A-ASSOCIATE-RQ as sent (requestor) or received (acceptor). */
    AAssociateRq request();

    /** The A-ASSOCIATE-AC as received (requestor) or sent (acceptor). */
    AAssociateAc accept();

    /** True if we requested the association, false if we accepted it. */
    boolean isRequestor();

    /** Calling AE title (the requestor's). */
    default String callingAeTitle() {
        return request().callingAeTitle();
    }

    /** Called AE title (the acceptor's). */
    default String calledAeTitle() {
        return request().calledAeTitle();
    }

    /** The peer's AE title. */
    default String remoteAeTitle() {
        return isRequestor() ? calledAeTitle() : callingAeTitle();
    }

    /** Our AE title on this association. */
    default String localAeTitle() {
        return isRequestor() ? callingAeTitle() : calledAeTitle();
    }

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** The TLS session, or null on a plain TCP connection. */
    SSLSession tlsSession();

    /** The accepted presentation contexts whose abstract syntax is this SOP class. */
    List<PresentationContextResult> acceptedContexts(String sopClassUid);

    /** The abstract syntax of an accepted presentation context, if that context was accepted. */
    Optional<String> abstractSyntax(int presentationContextId);

    /** The largest P-DATA-TF variable field we send (the peer's maximum, capped by our own setting). */
    int maxSendPduLength();

    /** True from acceptance until release or abort starts. */
    boolean isOpen();

    /** C-ECHO (Verification). */
    DimseResponse echo() throws IOException, InterruptedException;

    /**
     * C-STORE of a Part 10 file, streamed from disk: the data set after the File Meta Information
     * is sent as it is in the file when its transfer syntax was accepted, or converted on the fly
     * between the uncompressed syntaxes (Implicit/Explicit VR Little Endian, Explicit VR Big
     * Endian, Deflated) otherwise.
     */
    DimseResponse store(Path file) throws IOException, InterruptedException;

    /** C-STORE of a Part 10 file with options (priority, C-MOVE originator). */
    DimseResponse store(Path file, StoreOptions options) throws IOException, InterruptedException;

    /**
     * C-STORE of a data set held in memory, encoded in the transfer syntax accepted for its SOP class
     * (an uncompressed one unless its Pixel Data is already encapsulated in the accepted syntax).
     */
    DimseResponse store(String sopClassUid, String sopInstanceUid, DataSet dataSet)
            throws IOException, InterruptedException;

    /**
     * C-STORE of a data set whose bytes the writer produces in {@code transferSyntaxUid}; the
     * context used is one accepted for the SOP class with exactly that transfer syntax.
     */
    DimseResponse store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, DataSetWriter data,
                        StoreOptions options) throws IOException, InterruptedException;

    /** C-FIND: the matches arrive as pending responses in the stream. */
    ResponseStream find(String sopClassUid, DataSet keys) throws IOException, InterruptedException;

    /** C-MOVE to a destination AE; pending responses carry sub-operation counts. */
    ResponseStream move(String sopClassUid, String moveDestination, DataSet keys)
            throws IOException, InterruptedException;

    /**
     * C-GET: the C-STORE sub-operations arrive on this association and go to the storage
     * handler given when connecting ({@link DicomClient#connect(String, int, AAssociateRq,
     * org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry)}), for the SOP classes proposed with
     * the SCP role ({@link AAssociateRq.Builder#scpRoleContext}).
     */
    ResponseStream get(String sopClassUid, DataSet keys) throws IOException, InterruptedException;

    /** N-EVENT-REPORT. */
    DimseResponse nEventReport(String sopClassUid, String sopInstanceUid, int eventTypeId, DataSet eventInformation)
            throws IOException, InterruptedException;

    /** N-GET of the listed attributes (all when none are listed). */
    DimseResponse nGet(String sopClassUid, String sopInstanceUid, int... attributeTags)
            throws IOException, InterruptedException;

    /** N-SET. */
    DimseResponse nSet(String sopClassUid, String sopInstanceUid, DataSet modifications)
            throws IOException, InterruptedException;

    /** N-ACTION. */
    DimseResponse nAction(String sopClassUid, String sopInstanceUid, int actionTypeId, DataSet actionInformation)
            throws IOException, InterruptedException;

    /** N-CREATE; {@code sopInstanceUid} may be null to let the SCP assign it (returned in the response). */
    DimseResponse nCreate(String sopClassUid, String sopInstanceUid, DataSet attributes)
            throws IOException, InterruptedException;

    /** N-DELETE. */
    DimseResponse nDelete(String sopClassUid, String sopInstanceUid) throws IOException, InterruptedException;

    /**
     * Releases the association (A-RELEASE), after waiting for our outstanding operations; aborts
     * if the peer does not answer within the release timeout.
     */
    void release() throws IOException, InterruptedException;

    /** Aborts the association (A-ABORT, service-user) at once; outstanding operations fail. */
    void abort();

    /** Blocks until the transport connection is closed. */
    void awaitClosed() throws InterruptedException;

    /** Releases if still open, aborting if the release fails; never throws for a dead association. */
    @Override
    void close();
}
