package org.mosaicpacs.dicom.net.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSession;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.AAbort;
import org.mosaicpacs.dicom.net.AAssociateAc;
import org.mosaicpacs.dicom.net.AAssociateRj;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.AssociationAbortedException;
import org.mosaicpacs.dicom.net.AssociationRejectedException;
import org.mosaicpacs.dicom.net.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.DataSetWriter;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.NoPresentationContextException;
import org.mosaicpacs.dicom.net.PresentationContext;
import org.mosaicpacs.dicom.net.PresentationContextResult;
import org.mosaicpacs.dicom.net.ResponseStream;
import org.mosaicpacs.dicom.net.StoreOptions;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.dicom.net.internal.StateMachine.Action;
import org.mosaicpacs.dicom.net.internal.StateMachine.Event;
import org.mosaicpacs.dicom.net.internal.StateMachine.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One association over one TCP (or TLS) connection: the PS3.8 state machine driven by a reader
 * thread, the P-DATA fragmentation, and the DIMSE message exchange of both the invoker (requests
 * we send, {@link OutgoingRequest}) and the performer (requests we receive, {@link IncomingRequest}).
 *
 * <h2>Threads</h2>
 * One reader thread per association reads PDUs and fires state machine events; handlers run on
 * the executor, at most as many at once as the negotiated asynchronous operations window allows.
 * A C-STORE data set is not read by the reader thread: it lends the socket to the handler's thread
 * through a {@link PDataInputStream} and waits until that stream has ended. Sending is serialised
 * per message ({@link #messageLock}) and per PDU ({@link #socketLock}); state changes happen under
 * {@link #stateLock}, never while waiting for the socket.
 */
public final class AssociationImpl implements Association {

    static final Logger LOG = LoggerFactory.getLogger(Association.class);

    private static final int MAX_COMMAND_LENGTH = 64 * 1024;
    private static final AtomicInteger SERIAL = new AtomicInteger();

    /** The acceptor's decision on an A-ASSOCIATE-RQ: exactly one of {@code accept} and {@code reject}. */
    public record Decision(AAssociateAc accept, AAssociateRj reject, String why) {
        public static Decision accept(AAssociateAc ac) {
            return new Decision(ac, null, null);
        }

        public static Decision reject(AAssociateRj rj, String why) {
            return new Decision(null, rj, why);
        }
    }

    /** The acceptor's policy: what to answer an A-ASSOCIATE-RQ with. */
    @FunctionalInterface
    public interface Negotiator {
        Decision negotiate(AAssociateRq rq, AssociationImpl association);
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean requestor;
    private final Settings settings;
    private final DimseHandlerRegistry handlers;
    private final int serial = SERIAL.incrementAndGet();
    private final InetSocketAddress remote;

    private final StateMachine fsm;
    private final Object stateLock = new Object();
    private volatile State state = State.STA1;
    private final ReentrantLock socketLock = new ReentrantLock();
    private final ReentrantLock messageLock = new ReentrantLock(true);
    private final PduReader reader;
    private PduWriter writer;

    private volatile AAssociateRq rq;
    private volatile AAssociateAc ac;
    private final Map<Integer, String> acceptedTransferSyntax = new HashMap<>();
    private final Map<Integer, String> abstractSyntax = new HashMap<>();
    private int maxSendPdu;

    private Semaphore invokeSlots = new Semaphore(1, true);
    private final Map<Integer, OutgoingRequest> outstanding = new ConcurrentHashMap<>();
    private final AtomicInteger messageIds = new AtomicInteger();
    private final Map<Integer, IncomingRequest> performing = new ConcurrentHashMap<>();
    private Dispatcher dispatcher;

    private final ByteArrayOutputStream commandBuffer = new ByteArrayOutputStream(256);
    private int commandContextId = -1;

    /** Whether the socket takes TCP_QUICKACK ({@link PromptAcks}); cleared if setting it fails. */
    private volatile boolean promptAcks;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean releaseIndicated;
    private volatile IOException endCause;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Consumer<AssociationImpl>> closeListeners = new ArrayList<>();
    private ScheduledFuture<?> artim;

    // acceptor side only
    private Negotiator negotiator;
    private final Map<String, String> handlerAliases = new ConcurrentHashMap<>();

    private AssociationImpl(Socket socket, boolean requestor, Settings settings, DimseHandlerRegistry handlers)
            throws IOException {
        this.socket = socket;
        this.requestor = requestor;
        this.settings = settings;
        this.handlers = handlers;
        this.fsm = new StateMachine(requestor);
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        socket.setTcpNoDelay(true);
        this.promptAcks = PromptAcks.supported(socket);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.reader = new PduReader(in, settings.maxReceivePduLength());
    }

    // ================================================================== establishment

    /**
     * Requests an association over a connected socket (AE-1 and AE-2 done by the caller's connect)
     * and waits for the answer; on acceptance starts the reader thread.
     *
     * @throws AssociationRejectedException on A-ASSOCIATE-RJ
     * @throws AssociationAbortedException on A-ABORT, a malformed answer, a timeout or a closed connection
     */
    public static AssociationImpl request(Socket socket, AAssociateRq rq, Settings settings,
                                          DimseHandlerRegistry incoming) throws IOException {
        AssociationImpl a = new AssociationImpl(socket, true, settings, incoming);
        a.rq = rq;
        a.fire(Event.EVT1);
        a.fire(Event.EVT2);
        try {
            a.sendControl(PduCodec.encode(rq));
            socket.setSoTimeout(settings.acseTimeoutMs());
            int type;
            try {
                type = a.reader.readPdu();
            } catch (SocketTimeoutException e) {
                throw a.handshakeFailure("no A-ASSOCIATE-AC or -RJ within " + settings.acseTimeoutMs() + " ms", null, e);
            } catch (PduException e) {
                a.fire(Event.EVT19);
                a.sendAbortQuietly(AAbort.byProvider(e.abortReason()));
                throw a.handshakeFailure("invalid answer to A-ASSOCIATE-RQ: " + e.getMessage(), null, e);
            }
            switch (type) {
                case PduCodec.A_ASSOCIATE_AC -> {
                    AAssociateAc accept;
                    try {
                        accept = PduCodec.decodeAssociateAc(a.reader.body(), a.reader.length());
                    } catch (PduException e) {
                        a.fire(Event.EVT19);
                        a.sendAbortQuietly(AAbort.byProvider(e.abortReason()));
                        throw a.handshakeFailure("invalid A-ASSOCIATE-AC: " + e.getMessage(), null, e);
                    }
                    a.fire(Event.EVT3);
                    a.established(accept);
                    settings.executor().execute(a::readLoop);
                    return a;
                }
                case PduCodec.A_ASSOCIATE_RJ -> {
                    AAssociateRj rj = PduCodec.decodeAssociateRj(a.reader.body(), a.reader.length());
                    a.fire(Event.EVT4);
                    a.closeTransport();
                    throw new AssociationRejectedException(rj, rq.calledAeTitle() + " at " + a.remote);
                }
                case PduCodec.A_ABORT -> {
                    AAbort abort = PduCodec.decodeAbort(a.reader.body(), a.reader.length());
                    a.fire(Event.EVT16);
                    throw a.handshakeFailure("aborted by the peer (" + abort + ") instead of an answer", abort, null);
                }
                case -1 -> {
                    a.fire(Event.EVT17);
                    throw a.handshakeFailure("connection closed without an answer to A-ASSOCIATE-RQ", null, null);
                }
                default -> {
                    a.fire(Event.EVT19);
                    a.sendAbortQuietly(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
                    throw a.handshakeFailure(PduCodec.name(type) + " instead of A-ASSOCIATE-AC/RJ", null, null);
                }
            }
        } catch (IOException | RuntimeException e) {
            a.closeTransport();
            a.ended();
            throw e;
        }
    }

    private AssociationAbortedException handshakeFailure(String message, AAbort abort, Throwable cause) {
        closeTransport();
        return new AssociationAbortedException("association with " + rq.calledAeTitle() + " at " + remote + " failed: "
                + message, abort, cause);
    }

    /**
     * Serves an accepted connection on the calling thread until it closes: waits (ARTIM) for the
     * A-ASSOCIATE-RQ, answers it with the negotiator's decision, then runs the reader loop.
     */
    public static void serve(Socket socket, Settings settings, DimseHandlerRegistry handlers, Negotiator negotiator,
                             Consumer<AssociationImpl> onStart, Consumer<AssociationImpl> onClose) {
        AssociationImpl a;
        try {
            a = new AssociationImpl(socket, false, settings, handlers);
        } catch (IOException e) {
            LOG.info("cannot serve connection from {}: {}", socket.getRemoteSocketAddress(), e.toString());
            closeQuietly(socket);
            return;
        }
        a.closeListeners.add(onClose);
        a.negotiator = negotiator;
        onStart.accept(a);
        a.fire(Event.EVT5);
        a.readLoop();
    }

    /** Requests on {@code sopClassUid} go to the handler of {@code generalSopClassUid} (Common Extended Negotiation). */
    void aliasHandler(String sopClassUid, String generalSopClassUid) {
        handlerAliases.put(sopClassUid, generalSopClassUid);
    }

    /** The SOP class whose handler serves {@code sopClassUid} on this association. */
    String handlerSopClass(String sopClassUid) {
        return handlerAliases.getOrDefault(sopClassUid, sopClassUid);
    }

    private void onAssociateRq() {
        AAssociateRq request;
        try {
            request = PduCodec.decodeAssociateRq(reader.body(), reader.length());
        } catch (PduException e) {
            onInvalidPdu(e);
            return;
        }
        rq = request;
        fire(Event.EVT6);
        if ((request.protocolVersion() & 1) == 0) {
            synchronized (stateLock) {
                fsm.acceptableRequest(false);
                state = fsm.state();
            }
            reject(new AAssociateRj(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_PROVIDER_ACSE,
                    AAssociateRj.REASON_PROTOCOL_VERSION_NOT_SUPPORTED),
                    "protocol version " + request.protocolVersion() + " has no bit 0 (version 1)");
            return;
        }
        synchronized (stateLock) {
            fsm.acceptableRequest(true);
            state = fsm.state();
        }
        Decision d;
        try {
            d = negotiator.negotiate(request, this);
        } catch (RuntimeException e) {
            LOG.error("{}: negotiation failed", this, e);
            d = Decision.reject(new AAssociateRj(AAssociateRj.REJECTED_TRANSIENT, AAssociateRj.SOURCE_SERVICE_USER,
                    AAssociateRj.REASON_NO_REASON_GIVEN), "negotiation failed: " + e);
        }
        if (d.reject() != null) {
            fire(Event.EVT8);
            reject(d.reject(), d.why());
            return;
        }
        fire(Event.EVT7);
        try {
            sendControl(PduCodec.encode(d.accept()));
        } catch (IOException e) {
            onTransportClosed(e);
            return;
        }
        established(d.accept());
        LOG.debug("{}: accepted from {}", this, remote);
    }

    private void reject(AAssociateRj rj, String why) {
        LOG.info("{}: association from {} rejected ({}): {}", this, remote, rj, why);
        try {
            sendControl(PduCodec.encode(rj));
        } catch (IOException e) {
            closeTransport();
            return;
        }
        startArtim();
    }

    /** Records the negotiated parameters (both sides). */
    private void established(AAssociateAc accept) {
        ac = accept;
        for (PresentationContextResult r : accept.presentationContexts()) {
            Optional<PresentationContext> proposed = rq.presentationContext(r.id());
            if (r.accepted() && proposed.isPresent()) {
                acceptedTransferSyntax.put(r.id(), r.transferSyntax());
                abstractSyntax.put(r.id(), proposed.get().abstractSyntax());
            }
        }
        long peerMax = requestor ? accept.userInformation().maxPduLength() : rq.userInformation().maxPduLength();
        maxSendPdu = (int) (peerMax == 0 ? settings.maxSendPduLength() : Math.min(peerMax, settings.maxSendPduLength()));
        writer = new PduWriter(this::sendPData, maxSendPdu);
        AsyncOperationsWindow w = accept.userInformation().effectiveAsyncOperationsWindow();
        // the window is seen from the requestor (PS3.7 D.3.3.3): swap on the acceptor side
        int mayInvoke = requestor ? w.maxOperationsInvoked() : w.maxOperationsPerformed();
        int mayPerform = requestor ? w.maxOperationsPerformed() : w.maxOperationsInvoked();
        invokeSlots = new Semaphore(mayInvoke == 0 ? Integer.MAX_VALUE : mayInvoke, true);
        dispatcher = new Dispatcher(settings.executor(), mayPerform == 0 ? Integer.MAX_VALUE : mayPerform);
        touch();
    }

    // ================================================================== the reader loop

    private void readLoop() {
        Thread.currentThread().setName("dicom-assoc-" + serial);
        try {
            while (true) {
                State s = state;
                if (s == State.STA1) {
                    return;
                }
                int type;
                try {
                    socket.setSoTimeout(readTimeout(s));
                    type = reader.readPdu();
                } catch (SocketTimeoutException e) {
                    onReadTimeout(s);
                    continue;
                } catch (PduException e) {
                    onInvalidPdu(e);
                    continue;
                } catch (IOException e) {
                    onTransportClosed(e);
                    return;
                }
                if (type < 0) {
                    onTransportClosed(null);
                    return;
                }
                touch();
                onPdu(type);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: internal error, aborting", this, e);
            abortWith(AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED), "internal error: " + e);
            closeTransport();
        } finally {
            if (state != State.STA1) {
                closeTransport();
            }
            ended();
        }
    }

    private int readTimeout(State s) {
        return switch (s) {
            case STA6 -> settings.idleTimeoutMs();
            case STA2, STA13, STA7, STA8, STA9, STA10, STA11, STA12 -> settings.acseTimeoutMs();
            default -> 0;
        };
    }

    private void onPdu(int type) {
        State before = state;
        switch (type) {
            case PduCodec.A_ASSOCIATE_RQ -> {
                if (state == State.STA2) {
                    onAssociateRq();
                } else {
                    unexpected(Event.EVT6, "A-ASSOCIATE-RQ", before);
                }
            }
            case PduCodec.A_ASSOCIATE_AC -> unexpected(Event.EVT3, "A-ASSOCIATE-AC", before);
            case PduCodec.A_ASSOCIATE_RJ -> unexpected(Event.EVT4, "A-ASSOCIATE-RJ", before);
            case PduCodec.P_DATA_TF -> {
                Action a = fire(Event.EVT10);
                if (a == Action.DT_2 || a == Action.AR_6) {
                    processPData();
                } else {
                    performAbortAction(a, AAbort.REASON_UNEXPECTED_PDU, "P-DATA-TF received in " + before);
                }
            }
            case PduCodec.A_RELEASE_RQ -> onReleaseRq(before);
            case PduCodec.A_RELEASE_RP -> onReleaseRp(before);
            case PduCodec.A_ABORT -> {
                AAbort abort;
                try {
                    abort = PduCodec.decodeAbort(reader.body(), reader.length());
                } catch (PduException e) {
                    abort = AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED);
                }
                Action a = fire(Event.EVT16);
                if (a == Action.AA_3) {
                    endCause = new AssociationAbortedException(this + " aborted by the peer: " + abort, abort, null);
                    LOG.info("{}: aborted by the peer ({})", this, abort);
                }
                closeTransport();
            }
            default -> onInvalidPdu(new PduException(AAbort.REASON_UNRECOGNIZED_PDU, PduCodec.name(type)));
        }
    }

    /** A PDU valid in itself but not in this state: the table says AA-1, AA-8, AA-6 or AA-7. */
    private void unexpected(Event e, String what, State before) {
        Action a = fire(e);
        performAbortAction(a, AAbort.REASON_UNEXPECTED_PDU, what + " received in " + before);
    }

    /** Evt19: a malformed, truncated, oversized or unrecognized PDU. */
    private void onInvalidPdu(PduException e) {
        State before = state;
        if (before == State.STA13) {
            // we already aborted or rejected: the byte stream is not trustworthy, close now
            LOG.debug("{}: {} while waiting for the peer to close; closing", this, e.getMessage());
            fire(Event.EVT19);
            closeTransport();
            return;
        }
        Action a = fire(Event.EVT19);
        performAbortAction(a, e.abortReason(), "invalid PDU in " + before + ": " + e.getMessage());
    }

    /** Performs AA-1, AA-2, AA-6, AA-7 or AA-8 for a protocol error seen by the provider. */
    private void performAbortAction(Action a, int reason, String why) {
        switch (a) {
            case AA_1, AA_7, AA_8 -> {
                AAbort abort = AAbort.byProvider(reason);
                LOG.warn("{}: protocol error, sending A-ABORT ({}): {}", this, abort, why);
                endCause = new AssociationAbortedException(this + " aborted: " + why, abort, null);
                sendAbortQuietly(abort);
                failOutstanding(endCause);
                startArtim();
            }
            case AA_2 -> closeTransport();
            case AA_6 -> LOG.debug("{}: ignored: {}", this, why);
            default -> throw new IllegalStateException(a + " is not an abort action");
        }
    }

    private void onReadTimeout(State s) {
        switch (s) {
            case STA2 -> {
                LOG.info("{}: ARTIM expired: no A-ASSOCIATE-RQ from {} within {} ms; closing", this, remote,
                        settings.acseTimeoutMs());
                fire(Event.EVT18);
                closeTransport();
            }
            case STA13 -> {
                LOG.debug("{}: ARTIM expired waiting for the peer to close", this);
                fire(Event.EVT18);
                closeTransport();
            }
            case STA6 -> {
                long idleMs = (System.nanoTime() - lastActivityNanos) / 1_000_000;
                if (outstanding.isEmpty() && performing.isEmpty() && idleMs >= settings.idleTimeoutMs()) {
                    LOG.info("{}: idle for {} ms with no operation outstanding; aborting", this, idleMs);
                    abortWith(AAbort.byUser(), "idle timeout");
                }
            }
            default -> {
                LOG.info("{}: peer silent for {} ms in {}; aborting", this, settings.acseTimeoutMs(), s);
                abortWith(AAbort.byUser(), "peer silent during release");
            }
        }
    }

    private void onTransportClosed(IOException e) {
        State before = state;
        if (before == State.STA1) {
            return;
        }
        Action a = fire(Event.EVT17);
        if (before == State.STA2 && e instanceof javax.net.ssl.SSLException) {
            LOG.info("{}: TLS handshake with {} failed: {}", this, remote, e.getMessage());
        }
        if (a == Action.AA_4 && endCause == null) {
            endCause = new AssociationAbortedException(this + ": connection closed by the peer (A-P-ABORT)"
                    + (e != null ? ": " + e.getMessage() : ""), null, e);
            if (before != State.STA6 || !performing.isEmpty() || !outstanding.isEmpty()) {
                LOG.info("{}: connection lost in {}{}", this, before, e != null ? ": " + e : "");
            } else {
                LOG.debug("{}: connection closed by the peer without release", this);
            }
        }
        closeTransport();
    }

    // ================================================================== P-DATA and DIMSE messages

    /** True while received P-DATA is delivered (Sta6, Sta7). */
    boolean receivingData() {
        State s = state;
        return s == State.STA6 || s == State.STA7;
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    private void processPData() {
        while (reader.nextPdv()) {
            int pcid = reader.pdvContextId();
            if (!acceptedTransferSyntax.containsKey(pcid)) {
                protocolError(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                        "PDV on presentation context " + pcid + ", which was not accepted");
                return;
            }
            if (!reader.pdvCommand()) {
                protocolError(AAbort.REASON_UNEXPECTED_PDU_PARAMETER,
                        "data set fragment on context " + pcid + " without a command before it");
                return;
            }
            if (commandContextId >= 0 && commandContextId != pcid) {
                protocolError(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                        "command fragments on presentation contexts " + commandContextId + " and " + pcid);
                return;
            }
            commandContextId = pcid;
            commandBuffer.write(reader.body(), reader.pdvOffset(), reader.pdvLength());
            if (commandBuffer.size() > MAX_COMMAND_LENGTH) {
                protocolError(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                        "command set longer than " + MAX_COMMAND_LENGTH + " bytes");
                return;
            }
            if (reader.pdvLast()) {
                byte[] command = commandBuffer.toByteArray();
                commandBuffer.reset();
                commandContextId = -1;
                if (!onCommand(pcid, command)) {
                    return;
                }
            }
        }
    }

    /** @return false if the PDV walk must stop (error, or a PDU was pushed back) */
    private boolean onCommand(int pcid, byte[] bytes) {
        DataSet command;
        try {
            command = Commands.decode(bytes, 0, bytes.length);
        } catch (PduException e) {
            protocolError(e.abortReason(), e.getMessage());
            return false;
        }
        Dimse dimse;
        try {
            dimse = Dimse.of(command.getInt(Tag.CommandField, -1));
            if (dimse == null) {
                protocolError(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                        String.format("unrecognized Command Field %04XH", command.getInt(Tag.CommandField, -1)));
                return false;
            }
            // a message we cannot refer to cannot be answered (PS3.7 9.3, 10.3)
            int id = command.getInt(dimse.isResponse() || dimse == Dimse.C_CANCEL_RQ ? Tag.MessageIDBeingRespondedTo
                    : Tag.MessageID, -1);
            if (id < 0 || id > 0xFFFF) {
                protocolError(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, dimse + " without a valid Message ID");
                return false;
            }
        } catch (RuntimeException e) {
            protocolError(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, "command set cannot be interpreted: " + e.getMessage());
            return false;
        }
        if (!Commands.hasDataSet(command)) {
            deliver(dimse, pcid, command, null, null);
            return true;
        }
        PDataInputStream data = new PDataInputStream(this, reader, pcid);
        if (dimse == Dimse.C_STORE_RQ) {
            deliver(dimse, pcid, command, null, data);
            try {
                data.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abortWith(AAbort.byProvider(AAbort.REASON_NOT_SPECIFIED), "interrupted");
                return false;
            }
        } else {
            byte[] dataBytes = null;
            try {
                dataBytes = data.readAll(settings.maxDataSetInMemory());
            } catch (IOException e) {
                // recorded as the stream's interruption
            }
            if (data.interruption() == null) {
                deliver(dimse, pcid, command, dataBytes, null);
            }
        }
        PDataInputStream.Interruption why = data.interruption();
        if (why == null) {
            return true;
        }
        switch (why.kind()) {
            case PUSHED_BACK -> LOG.debug("{}: {}", this, why.message());
            case PROTOCOL_ERROR -> protocolError(why.abortReason(), why.message());
            case CLOSED -> onTransportClosed(why.cause());
            default -> throw new IllegalStateException();
        }
        return false;
    }

    private void protocolError(int reason, String why) {
        State before = state;
        if (before == State.STA1 || before == State.STA13) {
            closeTransport();
            return;
        }
        Action a = fire(Event.EVT19);
        performAbortAction(a, reason, why);
    }

    private void deliver(Dimse dimse, int pcid, DataSet command, byte[] data, PDataInputStream stream) {
        if (dimse == Dimse.C_CANCEL_RQ) {
            IncomingRequest r = performing.get(command.getInt(Tag.MessageIDBeingRespondedTo, -1));
            if (r != null) {
                r.cancel();
            } else {
                LOG.debug("{}: C-CANCEL-RQ for a request no longer performed", this);
            }
            return;
        }
        if (dimse.isResponse()) {
            int id = command.getInt(Tag.MessageIDBeingRespondedTo, -1);
            OutgoingRequest request = outstanding.get(id);
            if (request == null) {
                LOG.warn("{}: {} for Message ID {}, which is not outstanding; ignored", this, dimse, id);
                return;
            }
            request.deliver(command, data, transferSyntax(pcid));
            return;
        }
        IncomingRequest r = new IncomingRequest(this, dimse, pcid, command, data, stream);
        IncomingRequest previous = performing.putIfAbsent(r.messageId(), r);
        if (previous != null) {
            LOG.warn("{}: {} reuses Message ID {} of a request still performed", this, dimse, r.messageId());
            r.markDuplicate();
        }
        dispatcher.submit(r);
    }

    /** Called by a finished incoming request. */
    void performed(IncomingRequest r) {
        performing.remove(r.messageId(), r);
        touch();
        if (releaseIndicated) {
            maybeSendReleaseResponse();
        }
    }

    /** Called by an outgoing request when its final response arrived or it failed. */
    void completed(OutgoingRequest r) {
        if (outstanding.remove(r.messageId(), r)) {
            invokeSlots.release();
        }
        touch();
    }

    String transferSyntax(int pcid) {
        return acceptedTransferSyntax.get(pcid);
    }

    DimseHandlerRegistry handlers() {
        return handlers;
    }

    Settings settings() {
        return settings;
    }

    // ================================================================== sending

    /** PduWriter's transport: one P-DATA-TF PDU, only while data may be sent (Evt9: Sta6, Sta8). */
    private void sendPData(byte[] pdu, int length) throws IOException {
        socketLock.lock();
        try {
            State s = state;
            if (s != State.STA6 && s != State.STA8) {
                throw closedFailure("cannot send P-DATA in " + s);
            }
            out.write(pdu, 0, length);
        } finally {
            socketLock.unlock();
        }
    }

    private IOException closedFailure(String what) {
        IOException cause = endCause;
        return cause != null ? new AssociationAbortedException(this + ": " + what + "; " + cause.getMessage(),
                cause instanceof AssociationAbortedException a ? a.abort() : null, cause)
                : new AssociationAbortedException(this + ": " + what, null, null);
    }

    /** Sends an association-control PDU (A-ASSOCIATE-*, A-RELEASE-*). */
    private void sendControl(byte[] pdu) throws IOException {
        socketLock.lock();
        try {
            out.write(pdu);
        } finally {
            socketLock.unlock();
        }
        requestPromptAcks();
    }

    /** After a send: the peer's next segments are acknowledged at once, not 40 ms later ({@link PromptAcks}). */
    private void requestPromptAcks() {
        if (promptAcks) {
            try {
                PromptAcks.request(socket);
            } catch (IOException | UnsupportedOperationException e) {
                promptAcks = false;
                LOG.debug("{}: TCP_QUICKACK not set, acknowledgements may be delayed: {}", this, e.toString());
            }
        }
    }

    /** Sends an A-ABORT, not waiting long for a socket blocked by a stalled peer. */
    private void sendAbortQuietly(AAbort abort) {
        try {
            if (socketLock.tryLock(2, TimeUnit.SECONDS)) {
                try {
                    out.write(PduCodec.encode(abort));
                    out.flush();
                } finally {
                    socketLock.unlock();
                }
            } else {
                closeTransport();
            }
        } catch (IOException e) {
            closeTransport();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeTransport();
        }
    }

    /**
     * Sends one DIMSE message: the command and, if {@code data} is not null, the data set, both on
     * presentation context {@code pcid}. A failure after part of the message left aborts the
     * association (the peer cannot resynchronise).
     */
    void sendMessage(int pcid, DataSet command, DataSetWriter data) throws IOException {
        byte[] commandBytes = Commands.encode(command);
        messageLock.lock();
        try {
            if (writer == null) {
                throw closedFailure("association not established");
            }
            boolean dataStarted = false;
            try {
                try (OutputStream cmd = writer.fragmentStream(pcid, true)) {
                    cmd.write(commandBytes);
                }
                if (data != null) {
                    dataStarted = true;
                    try (OutputStream ds = writer.fragmentStream(pcid, false)) {
                        data.writeTo(ds);
                    }
                }
                writer.flush();
                touch();
                requestPromptAcks();
            } catch (IOException | RuntimeException e) {
                writer.reset();
                if (dataStarted && isOpen()) {
                    abortWith(AAbort.byUser(), "a message could not be sent completely: " + e.getMessage());
                }
                throw e;
            }
        } finally {
            messageLock.unlock();
        }
    }

    // ================================================================== state machine plumbing

    private Action fire(Event e) {
        synchronized (stateLock) {
            Action a = fsm.fire(e);
            state = fsm.state();
            LOG.trace("{}: {} -> {} -> {}", this, e, a, state);
            return a;
        }
    }

    private void startArtim() {
        synchronized (stateLock) {
            if (artim != null) {
                artim.cancel(false);
            }
            artim = settings.scheduler().schedule(() -> {
                if (state != State.STA1) {
                    LOG.debug("{}: ARTIM expired in {}; closing the connection", this, state);
                    closeTransport();
                }
            }, settings.acseTimeoutMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void closeTransport() {
        synchronized (stateLock) {
            state = State.STA1;
            if (artim != null) {
                artim.cancel(false);
            }
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /**
     * After our A-ABORT no response can come (PS3.8 7.3.1): the requests awaiting one fail now, not
     * when the peer closes the connection or ARTIM expires.
     */
    private void failOutstanding(IOException cause) {
        for (OutgoingRequest r : outstanding.values()) {
            r.fail(cause);
        }
    }

    /** Runs once, when the reader loop ends: fails what is outstanding, wakes waiters, notifies listeners. */
    private void ended() {
        if (closed.getCount() == 0) {
            return;
        }
        IOException cause = endCause != null ? endCause
                : new AssociationAbortedException(this + " is closed", null, null);
        failOutstanding(cause);
        for (IncomingRequest r : performing.values()) {
            r.cancel();
        }
        closed.countDown();
        for (Consumer<AssociationImpl> l : closeListeners) {
            try {
                l.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("{}: close listener failed", this, e);
            }
        }
    }

    /** Evt15 (local A-ABORT request): AA-1 sends A-ABORT and waits (ARTIM) for the peer to close. */
    void abortWith(AAbort abort, String why) {
        Action a;
        synchronized (stateLock) {
            State s = fsm.state();
            if (s == State.STA1 || s == State.STA13 || s == State.STA2) {
                a = null;
            } else {
                a = fsm.fire(Event.EVT15);
                state = fsm.state();
            }
        }
        if (a == null) {
            closeTransport();
            return;
        }
        if (endCause == null) {
            endCause = new AssociationAbortedException(this + " aborted: " + why, abort, null);
        }
        if (a == Action.AA_1) {
            sendAbortQuietly(abort);
            failOutstanding(endCause);
            try {
                socket.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                // SSL sockets cannot half-close; ARTIM closes them
            }
            startArtim();
        } else {
            closeTransport();
        }
    }

    // ================================================================== release

    private void onReleaseRq(State before) {
        Action a = fire(Event.EVT12);
        switch (a) {
            case AR_2 -> {
                releaseIndicated = true;
                maybeSendReleaseResponse();
            }
            case AR_8 -> {
                LOG.debug("{}: release collision", this);
                if (state == State.STA9) {
                    respondRelease();
                }
            }
            default -> performAbortAction(a, AAbort.REASON_UNEXPECTED_PDU, "A-RELEASE-RQ received in " + before);
        }
    }

    private void onReleaseRp(State before) {
        Action a = fire(Event.EVT13);
        switch (a) {
            case AR_3 -> {
                LOG.debug("{}: released", this);
                closeTransport();
            }
            case AR_10 -> respondRelease();
            default -> performAbortAction(a, AAbort.REASON_UNEXPECTED_PDU, "A-RELEASE-RP received in " + before);
        }
    }

    /** After an A-RELEASE indication: answer once nothing is performed any more (PS3.8 7.2). */
    private void maybeSendReleaseResponse() {
        if (performing.isEmpty() && dispatcher.idle() && state == State.STA8) {
            respondRelease();
        }
    }

    /** Evt14, A-RELEASE response: AR-4 (send RP, ARTIM) or AR-9 (collision: send RP). */
    private void respondRelease() {
        Action a;
        synchronized (stateLock) {
            State s = fsm.state();
            if (s != State.STA8 && s != State.STA9 && s != State.STA12) {
                return;
            }
            a = fsm.fire(Event.EVT14);
            state = fsm.state();
        }
        try {
            sendControl(PduCodec.releaseRp());
        } catch (IOException e) {
            closeTransport();
            return;
        }
        if (a == Action.AR_4) {
            LOG.debug("{}: released by the peer", this);
            startArtim();
        }
    }

    // ================================================================== Association API

    @Override
    public AAssociateRq request() {
        return rq;
    }

    @Override
    public AAssociateAc accept() {
        return ac;
    }

    @Override
    public boolean isRequestor() {
        return requestor;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SSLSession tlsSession() {
        return socket instanceof SSLSocket s ? s.getSession() : null;
    }

    @Override
    public List<PresentationContextResult> acceptedContexts(String sopClassUid) {
        List<PresentationContextResult> r = new ArrayList<>();
        if (ac == null) {
            return r;
        }
        for (PresentationContextResult pc : ac.presentationContexts()) {
            if (pc.accepted() && sopClassUid.equals(abstractSyntax.get(pc.id()))) {
                r.add(pc);
            }
        }
        return r;
    }

    @Override
    public Optional<String> abstractSyntax(int presentationContextId) {
        return Optional.ofNullable(abstractSyntax.get(presentationContextId));
    }

    @Override
    public int maxSendPduLength() {
        return maxSendPdu;
    }

    @Override
    public boolean isOpen() {
        return state == State.STA6;
    }

    /** The accepted context for a SOP class, preferring {@code transferSyntax} when given. */
    PresentationContextResult contextFor(String sopClassUid, String transferSyntax) throws NoPresentationContextException {
        List<PresentationContextResult> candidates = acceptedContexts(sopClassUid);
        if (candidates.isEmpty()) {
            throw new NoPresentationContextException("no presentation context for " + sopClassUid
                    + " was accepted by " + remoteAeTitle());
        }
        if (transferSyntax == null) {
            return candidates.get(0);
        }
        return candidates.stream().filter(pc -> pc.transferSyntax().equals(transferSyntax)).findFirst()
                .orElseThrow(() -> new NoPresentationContextException("no presentation context for " + sopClassUid
                        + " with transfer syntax " + transferSyntax + " was accepted by " + remoteAeTitle()));
    }

    /**
     * Sends a request and returns the handle its responses arrive on. Waits for a slot of the
     * asynchronous operations window first.
     */
    OutgoingRequest invoke(Dimse dimse, int pcid, String sopClassUid, String sopInstanceUid,
                           Consumer<DataSet> commandFields, DataSetWriter data) throws IOException, InterruptedException {
        if (!isOpen()) {
            throw closedFailure("association is not open");
        }
        invokeSlots.acquire();
        int id = nextMessageId();
        OutgoingRequest request = new OutgoingRequest(this, dimse, id);
        outstanding.put(id, request);
        try {
            DataSet command = Commands.request(dimse, id, sopClassUid, sopInstanceUid, data != null);
            if (commandFields != null) {
                commandFields.accept(command);
            }
            request.context(pcid);
            sendMessage(pcid, command, data);
            return request;
        } catch (IOException | RuntimeException e) {
            completed(request);
            throw e;
        }
    }

    private int nextMessageId() {
        while (true) {
            int id = messageIds.incrementAndGet() & 0xFFFF;
            if (id != 0 && !outstanding.containsKey(id)) {
                return id;
            }
        }
    }

    /** Sends a C-CANCEL-RQ for an outstanding request on its context. */
    void sendCancel(int pcid, int messageId) throws IOException {
        sendMessage(pcid, Commands.cancel(messageId), null);
    }

    @Override
    public DimseResponse echo() throws IOException, InterruptedException {
        PresentationContextResult pc = contextFor(org.mosaicpacs.dicom.UID.Verification, null);
        return invoke(Dimse.C_ECHO_RQ, pc.id(), org.mosaicpacs.dicom.UID.Verification, null, null, null).finalResponse();
    }

    @Override
    public DimseResponse store(Path file) throws IOException, InterruptedException {
        return store(file, StoreOptions.DEFAULT);
    }

    @Override
    public DimseResponse store(Path file, StoreOptions options) throws IOException, InterruptedException {
        return Stores.storeFile(this, file, options);
    }

    @Override
    public DimseResponse store(String sopClassUid, String sopInstanceUid, DataSet dataSet)
            throws IOException, InterruptedException {
        return Stores.storeDataSet(this, sopClassUid, sopInstanceUid, dataSet);
    }

    @Override
    public DimseResponse store(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, DataSetWriter data,
                               StoreOptions options) throws IOException, InterruptedException {
        PresentationContextResult pc = contextFor(sopClassUid, transferSyntaxUid);
        return invoke(Dimse.C_STORE_RQ, pc.id(), sopClassUid, sopInstanceUid, cmd -> Stores.applyOptions(cmd, options),
                data).finalResponse();
    }

    @Override
    public ResponseStream find(String sopClassUid, DataSet keys) throws IOException, InterruptedException {
        return queryRetrieve(Dimse.C_FIND_RQ, sopClassUid, keys, null);
    }

    @Override
    public ResponseStream move(String sopClassUid, String moveDestination, DataSet keys)
            throws IOException, InterruptedException {
        AAssociateRq.checkAeTitle(moveDestination, "move destination");
        return queryRetrieve(Dimse.C_MOVE_RQ, sopClassUid, keys, cmd -> cmd.setString(Tag.MoveDestination, VR.AE,
                moveDestination));
    }

    @Override
    public ResponseStream get(String sopClassUid, DataSet keys) throws IOException, InterruptedException {
        return queryRetrieve(Dimse.C_GET_RQ, sopClassUid, keys, null);
    }

    private ResponseStream queryRetrieve(Dimse dimse, String sopClassUid, DataSet keys, Consumer<DataSet> fields)
            throws IOException, InterruptedException {
        PresentationContextResult pc = contextFor(sopClassUid, null);
        return invoke(dimse, pc.id(), sopClassUid, null, fields, DataSets.writer(keys, pc.transferSyntax()));
    }

    @Override
    public DimseResponse nEventReport(String sopClassUid, String sopInstanceUid, int eventTypeId, DataSet eventInformation)
            throws IOException, InterruptedException {
        return nRequest(Dimse.N_EVENT_REPORT_RQ, sopClassUid, sopInstanceUid,
                cmd -> cmd.setInt(Tag.EventTypeID, VR.US, eventTypeId), eventInformation);
    }

    @Override
    public DimseResponse nGet(String sopClassUid, String sopInstanceUid, int... attributeTags)
            throws IOException, InterruptedException {
        return nRequest(Dimse.N_GET_RQ, sopClassUid, sopInstanceUid, cmd -> {
            if (attributeTags.length > 0) {
                cmd.setInt(Tag.AttributeIdentifierList, VR.AT, attributeTags);
            }
        }, null);
    }

    @Override
    public DimseResponse nSet(String sopClassUid, String sopInstanceUid, DataSet modifications)
            throws IOException, InterruptedException {
        return nRequest(Dimse.N_SET_RQ, sopClassUid, sopInstanceUid, null, modifications);
    }

    @Override
    public DimseResponse nAction(String sopClassUid, String sopInstanceUid, int actionTypeId, DataSet actionInformation)
            throws IOException, InterruptedException {
        return nRequest(Dimse.N_ACTION_RQ, sopClassUid, sopInstanceUid,
                cmd -> cmd.setInt(Tag.ActionTypeID, VR.US, actionTypeId), actionInformation);
    }

    @Override
    public DimseResponse nCreate(String sopClassUid, String sopInstanceUid, DataSet attributes)
            throws IOException, InterruptedException {
        return nRequest(Dimse.N_CREATE_RQ, sopClassUid, sopInstanceUid, null, attributes);
    }

    @Override
    public DimseResponse nDelete(String sopClassUid, String sopInstanceUid) throws IOException, InterruptedException {
        return nRequest(Dimse.N_DELETE_RQ, sopClassUid, sopInstanceUid, null, null);
    }

    private DimseResponse nRequest(Dimse dimse, String sopClassUid, String sopInstanceUid, Consumer<DataSet> fields,
                                   DataSet data) throws IOException, InterruptedException {
        PresentationContextResult pc = contextFor(sopClassUid, null);
        DataSetWriter writer = data == null ? null : DataSets.writer(data, pc.transferSyntax());
        return invoke(dimse, pc.id(), sopClassUid, sopInstanceUid, fields, writer).finalResponse();
    }

    @Override
    public void release() throws IOException, InterruptedException {
        // Finish both directions first: our requests awaiting responses, and the peer's requests we
        // are still answering (an N-EVENT-REPORT after an N-ACTION): a peer waiting for our
        // response would not answer the A-RELEASE-RQ until its ACSE timeout.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(settings.dimseTimeoutMs(), 1000));
        while ((!outstanding.isEmpty() || !performing.isEmpty()) && System.nanoTime() < deadline && isOpen()) {
            Thread.sleep(1);
        }
        synchronized (stateLock) {
            if (fsm.state() != State.STA6) {
                if (closed.getCount() == 0 && endCause == null) {
                    return;
                }
                throw closedFailure("cannot release in " + fsm.state());
            }
            fsm.fire(Event.EVT11);
            state = fsm.state();
        }
        sendControl(PduCodec.releaseRq());
        if (!closed.await(settings.acseTimeoutMs(), TimeUnit.MILLISECONDS)) {
            abortWith(AAbort.byUser(), "no A-RELEASE-RP within " + settings.acseTimeoutMs() + " ms");
            throw closedFailure("release timed out");
        }
        if (endCause != null) {
            throw endCause;
        }
    }

    @Override
    public void abort() {
        LOG.debug("{}: aborted by the local user", this);
        abortWith(AAbort.byUser(), "aborted by the local user");
    }

    @Override
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Waits up to {@code millis} for the transport to close; true if it did. */
    public boolean awaitClosed(long millis) throws InterruptedException {
        return closed.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Closes the transport at once, without a PDU (a server shutting down after its aborts went unanswered). */
    public void closeNow() {
        closeTransport();
    }

    /** True once the reader loop ended and everything was notified. */
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    @Override
    public void close() {
        if (isClosed()) {
            return;
        }
        try {
            if (state == State.STA6) {
                release();
            } else {
                abort();
            }
        } catch (IOException e) {
            LOG.debug("{}: release failed, aborting: {}", this, e.getMessage());
            abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        }
    }

    /** Why the association ended abnormally, or null. */
    IOException endCause() {
        return endCause;
    }

    @Override
    public String toString() {
        AAssociateRq r = rq;
        if (r == null) {
            return "association#" + serial + "(" + remote + ")";
        }
        return r.callingAeTitle() + "->" + r.calledAeTitle() + "#" + serial;
    }

    /** Incoming requests run in arrival order, at most {@code limit} at once (the negotiated window). */
    final class Dispatcher {
        private final java.util.concurrent.Executor executor;
        private final int limit;
        private final java.util.ArrayDeque<IncomingRequest> queue = new java.util.ArrayDeque<>();
        private int running;

        Dispatcher(java.util.concurrent.Executor executor, int limit) {
            this.executor = executor;
            this.limit = limit;
        }

        synchronized void submit(IncomingRequest r) {
            if (running < limit) {
                running++;
                start(r);
            } else {
                queue.add(r);
            }
        }

        private void start(IncomingRequest r) {
            executor.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException | Error e) {
                    LOG.error("{}: performing {} failed", AssociationImpl.this, r.dimse(), e);
                } finally {
                    IncomingRequest next;
                    synchronized (this) {
                        next = queue.poll();
                        if (next == null) {
                            running--;
                        }
                    }
                    if (next != null) {
                        start(next);
                    }
                    r.afterSlotReleased();
                }
            });
        }

        synchronized boolean idle() {
            return running == 0 && queue.isEmpty();
        }
    }
}
