package org.mosaicpacs.dicom.net.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseRequest;

/**
 * A request received on an association and performed by a handler on a worker thread: the
 * handler's view of it ({@link DimseRequest}) and of what it may do ({@link DimseContext}). This is
 * where a handler's outcome becomes the response status (see {@link Status}).
 */
final class IncomingRequest implements DimseRequest, DimseContext {

    private final AssociationImpl association;
    private final Dimse dimse;
    private final int contextId;
    private final DataSet command;
    private final int messageId;
    private final byte[] data;
    private final PDataInputStream stream;
    private boolean dataUsed;
    private DataSet decoded;
    private volatile boolean cancelled;
    private boolean duplicate;
    private final List<Consumer<Association>> afterResponse = new ArrayList<>();

    IncomingRequest(AssociationImpl association, Dimse dimse, int contextId, DataSet command, byte[] data,
                    PDataInputStream stream) {
        this.association = association;
        this.dimse = dimse;
        this.contextId = contextId;
        this.command = command;
        this.messageId = command.getInt(Tag.MessageID, -1);
        this.data = data;
        this.stream = stream;
    }

    void markDuplicate() {
        duplicate = true;
    }

    void cancel() {
        cancelled = true;
    }

    /** Performs the request and sends the final response. */
    void run() {
        DimseResponse response;
        try {
            response = perform();
        } finally {
            if (stream != null) {
                stream.close();
            }
        }
        try {
            association.sendMessage(contextId, Commands.response(dimse, messageId, sopClassUid(), sopInstanceUid(), response),
                    response.dataSet() == null ? null : DataSets.writer(response.dataSet(), transferSyntax()));
        } catch (IOException e) {
            AssociationImpl.LOG.debug("{}: {} dropped, the association ended: {}", association, dimse.response(),
                    e.getMessage());
        }
    }

    private DimseResponse perform() {
        if (duplicate) {
            return DimseResponse.of(Status.DUPLICATE_INVOCATION)
                    .withErrorComment("Message ID " + messageId + " is in use by a request still performed");
        }
        String sopClass = sopClassUid();
        Optional<DimseHandler> handler = sopClass == null ? Optional.empty()
                : association.handlers().handler(association.handlerSopClass(sopClass));
        if (handler.isEmpty()) {
            // a Meta SOP class context carries requests on its component SOP classes
            handler = association.abstractSyntax(contextId)
                    .flatMap(as -> association.handlers().handler(association.handlerSopClass(as)));
        }
        if (handler.isEmpty()) {
            return DimseResponse.of(Status.SOP_CLASS_NOT_SUPPORTED)
                    .withErrorComment("no service for SOP class " + sopClass + " is running");
        }
        try {
            DimseResponse r = handler.get().handle(this, this);
            if (r == null) {
                return DimseResponse.of(Status.forUnexpectedFailure(dimse)).withErrorComment("the service gave no response");
            }
            if (r.isPending()) {
                return DimseResponse.of(Status.forUnexpectedFailure(dimse))
                        .withErrorComment("the service ended with a pending status");
            }
            return r;
        } catch (DimseStatusException e) {
            AssociationImpl.LOG.debug("{}: {} answered {}", association, dimse, e.response());
            return e.response();
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // LinkageError: the handler's bundle may have been stopped during the call
            AssociationImpl.LOG.warn("{}: the service for {} failed on {} (Message ID {})", association, sopClass, dimse,
                    messageId, e);
            String what = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
            return DimseResponse.of(Status.forUnexpectedFailure(dimse)).withErrorComment(what);
        }
    }

    /** After the worker slot is free: the after-response tasks, then bookkeeping. */
    void afterSlotReleased() {
        try {
            for (Consumer<Association> task : afterResponse) {
                try {
                    task.accept(association);
                } catch (RuntimeException e) {
                    AssociationImpl.LOG.warn("{}: a task after the {} failed", association, dimse.response(), e);
                }
            }
        } finally {
            association.performed(this);
        }
    }

    // ------------------------------------------------------------------ DimseRequest

    @Override
    public Dimse dimse() {
        return dimse;
    }

    @Override
    public DataSet command() {
        return command;
    }

    @Override
    public int messageId() {
        return messageId;
    }

    @Override
    public String sopClassUid() {
        String uid = command.getString(Tag.AffectedSOPClassUID);
        return uid != null ? uid : command.getString(Tag.RequestedSOPClassUID);
    }

    @Override
    public String sopInstanceUid() {
        String uid = command.getString(Tag.AffectedSOPInstanceUID);
        return uid != null ? uid : command.getString(Tag.RequestedSOPInstanceUID);
    }

    @Override
    public int priority() {
        return command.getInt(Tag.Priority, 0);
    }

    @Override
    public int presentationContextId() {
        return contextId;
    }

    @Override
    public String transferSyntax() {
        return association.transferSyntax(contextId);
    }

    @Override
    public boolean hasDataSet() {
        return data != null || stream != null;
    }

    @Override
    public DataSet dataSet() throws IOException {
        if (decoded != null || !hasDataSet()) {
            return decoded;
        }
        try (InputStream in = dataStream()) {
            decoded = DataSets.decode(in, transferSyntax());
        }
        return decoded;
    }

    @Override
    public InputStream dataStream() {
        if (dataUsed) {
            throw new IllegalStateException("the data set of this request was already read");
        }
        dataUsed = true;
        if (stream != null) {
            return stream;
        }
        return new ByteArrayInputStream(data == null ? new byte[0] : data);
    }

    // ------------------------------------------------------------------ DimseContext

    @Override
    public Association association() {
        return association;
    }

    @Override
    public void sendPending(DimseResponse pending) throws IOException {
        if (!dimse.isCancellable()) {
            throw new IllegalArgumentException(dimse + " has no pending responses");
        }
        if (!pending.isPending()) {
            throw new IllegalArgumentException("status " + Status.describe(pending.status()) + " is not pending");
        }
        association.sendMessage(contextId, Commands.response(dimse, messageId, sopClassUid(), null, pending),
                pending.dataSet() == null ? null : DataSets.writer(pending.dataSet(), transferSyntax()));
    }

    @Override
    public boolean isCancelled() {
        return cancelled || association.isClosed();
    }

    @Override
    public DicomClient client() {
        DicomClient c = association.settings().client();
        if (c == null) {
            throw new IllegalStateException("this association has no client for new associations");
        }
        return c;
    }

    @Override
    public void afterResponse(Consumer<Association> task) {
        afterResponse.add(task);
    }
}
