package org.mosaicpacs.dicom.net.internal;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.net.AAbort;
import org.mosaicpacs.dicom.net.AssociationAbortedException;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ResponseStream;
import org.mosaicpacs.dicom.net.Status;

/**
 * A request we sent and its responses as they arrive. The reader thread {@link #deliver}s; the
 * invoking thread reads with {@link #next()}. At most {@link #BUFFERED} pending responses wait
 * unread: beyond that the reader thread waits, which stops reading the socket (TCP flow control
 * then slows the peer).
 */
final class OutgoingRequest implements ResponseStream {

    static final int BUFFERED = 64;

    /** Ends the stream with the association's failure. */
    private record Terminal(IOException cause) {
    }

    private final AssociationImpl association;
    private final Dimse dimse;
    private final int messageId;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Semaphore buffered = new Semaphore(BUFFERED);
    private volatile int contextId;
    private boolean finished;
    private volatile boolean cancelSent;

    OutgoingRequest(AssociationImpl association, Dimse dimse, int messageId) {
        this.association = association;
        this.dimse = dimse;
        this.messageId = messageId;
    }

    void context(int pcid) {
        contextId = pcid;
    }

    @Override
    public int messageId() {
        return messageId;
    }

    /** On the reader thread: a response for this request. */
    void deliver(DataSet command, byte[] data, String transferSyntax) {
        boolean pending = Status.isPending(command.getInt(Tag.Status, -1));
        Object item;
        if (data != null) {
            try {
                item = DimseResponse.fromCommand(command, DataSets.decode(data, transferSyntax));
            } catch (IOException e) {
                item = new IOException("the data set of a " + dimse.response() + " cannot be decoded: " + e.getMessage(), e);
            }
        } else {
            item = DimseResponse.fromCommand(command, null);
        }
        if (pending) {
            try {
                int waitMs = Math.max(association.settings().dimseTimeoutMs(), 60_000);
                if (!buffered.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                    association.abortWith(AAbort.byUser(), "nobody read the responses to " + dimse + " for " + waitMs + " ms");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!pending) {
            // leave the window before waking the caller: it may release or invoke at once
            association.completed(this);
        }
        queue.add(item);
    }

    /** The association ended before the final response. */
    void fail(IOException cause) {
        queue.add(new Terminal(cause));
        association.completed(this);
    }

    @Override
    public DimseResponse next() throws IOException, InterruptedException {
        if (finished) {
            return null;
        }
        int timeout = association.settings().dimseTimeoutMs();
        Object o = timeout > 0 ? queue.poll(timeout, TimeUnit.MILLISECONDS) : queue.take();
        if (o == null) {
            String why = "no response to " + dimse + " (Message ID " + messageId + ") within " + timeout + " ms";
            association.abortWith(AAbort.byUser(), why);
            finished = true;
            throw new AssociationAbortedException(association + " aborted: " + why, AAbort.byUser(), null);
        }
        if (o instanceof Terminal t) {
            finished = true;
            throw new AssociationAbortedException(association + ": " + dimse + " (Message ID " + messageId
                    + ") failed: " + t.cause().getMessage(), t.cause() instanceof AssociationAbortedException a
                    ? a.abort() : null, t.cause());
        }
        if (o instanceof IOException e) {
            buffered.release();
            throw e;
        }
        DimseResponse r = (DimseResponse) o;
        if (r.isPending()) {
            buffered.release();
        } else {
            finished = true;
        }
        return r;
    }

    @Override
    public DimseResponse finalResponse() throws IOException, InterruptedException {
        while (true) {
            DimseResponse r;
            try {
                r = next();
            } catch (AssociationAbortedException e) {
                throw e;
            } catch (IOException e) {
                // an undecodable pending data set: keep waiting for the final response
                continue;
            }
            if (r == null) {
                throw new IllegalStateException("the final response was already returned");
            }
            if (!r.isPending()) {
                return r;
            }
        }
    }

    @Override
    public void cancel() throws IOException {
        if (!cancelSent && !finished) {
            cancelSent = true;
            association.sendCancel(contextId, messageId);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (!finished) {
            cancel();
            finalResponse();
        }
    }
}
