package org.mosaicpacs.dicom.net.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import org.mosaicpacs.dicom.net.AAbort;

/**
 * The data set of one received DIMSE message, read PDV by PDV straight from the association's
 * {@link PduReader} (PS3.8 9.3.5, PS3.7 8.2): nothing is buffered beyond the current PDU. For a
 * C-STORE the reader thread lends the socket to the handler's thread until this stream ends
 * (last fragment read, closed, or interrupted) and waits on {@link #awaitEnd()}.
 *
 * <p>Anything but data fragments of the message's presentation context ends the stream with an
 * {@link Interruption} that the reader thread acts on: a PDU of another type is pushed back for
 * the state machine; a malformed PDU, a fragment of another context or a command fragment is a
 * protocol error; silence or a closed connection ends the association.
 */
final class PDataInputStream extends InputStream {

    /** Why the stream ended early, for the reader thread. */
    record Interruption(Kind kind, int abortReason, String message, IOException cause) {
        enum Kind { PUSHED_BACK, PROTOCOL_ERROR, CLOSED }
    }

    private final PduReader reader;
    private final int contextId;
    private final AssociationImpl association;
    private final CountDownLatch ended = new CountDownLatch(1);
    private int pos;
    private int remaining;
    private boolean last;
    private boolean done;
    private volatile Interruption interruption;

    PDataInputStream(AssociationImpl association, PduReader reader, int contextId) {
        this.association = association;
        this.reader = reader;
        this.contextId = contextId;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, remaining);
        System.arraycopy(reader.body(), pos, b, off, n);
        pos += n;
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || !fill()) {
            return 0;
        }
        int k = (int) Math.min(n, remaining);
        pos += k;
        remaining -= k;
        return k;
    }

    @Override
    public int available() {
        return done ? 0 : remaining;
    }

    /** True if bytes are available in the current fragment, false at the end of the data set. */
    private boolean fill() throws IOException {
        if (interruption != null) {
            throw new IOException("the data set was interrupted: " + interruption.message(), interruption.cause());
        }
        while (remaining == 0) {
            if (done) {
                return false;
            }
            if (last) {
                end();
                return false;
            }
            advance();
        }
        return true;
    }

    private void advance() throws IOException {
        while (true) {
            if (reader.nextPdv()) {
                if (reader.pdvContextId() != contextId) {
                    fail(new Interruption(Interruption.Kind.PROTOCOL_ERROR, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                            "data set fragment on presentation context " + reader.pdvContextId()
                                    + " inside a message on context " + contextId, null));
                }
                if (reader.pdvCommand()) {
                    fail(new Interruption(Interruption.Kind.PROTOCOL_ERROR, AAbort.REASON_UNEXPECTED_PDU_PARAMETER,
                            "command fragment before the last fragment of the data set", null));
                }
                pos = reader.pdvOffset();
                remaining = reader.pdvLength();
                last = reader.pdvLast();
                return;
            }
            int type;
            try {
                type = reader.readPdu();
            } catch (SocketTimeoutException e) {
                fail(new Interruption(Interruption.Kind.PROTOCOL_ERROR, AAbort.REASON_NOT_SPECIFIED,
                        "peer silent in the middle of a data set", e));
                return;
            } catch (PduException e) {
                fail(new Interruption(Interruption.Kind.PROTOCOL_ERROR, e.abortReason(), e.getMessage(), e));
                return;
            } catch (IOException e) {
                fail(new Interruption(Interruption.Kind.CLOSED, 0, "transport failed: " + e.getMessage(), e));
                return;
            }
            if (type < 0) {
                fail(new Interruption(Interruption.Kind.CLOSED, 0, "connection closed in the middle of a data set", null));
            }
            association.touch();
            if (type != PduCodec.P_DATA_TF || !association.receivingData()) {
                reader.pushBack();
                fail(new Interruption(Interruption.Kind.PUSHED_BACK, 0, PduCodec.name(type) + " in the middle of a data set",
                        null));
            }
        }
    }

    private void fail(Interruption why) throws IOException {
        interruption = why;
        end();
        throw new IOException("the data set was interrupted: " + why.message(), why.cause());
    }

    private void end() {
        done = true;
        remaining = 0;
        ended.countDown();
    }

    /** Reads the rest into memory, up to {@code limit} bytes (beyond is a protocol error). */
    byte[] readAll(long limit) throws IOException {
        byte[] buf = new byte[Math.min(8192, (int) Math.min(limit, Integer.MAX_VALUE - 8))];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= limit) {
                    if (read() < 0) {
                        return buf;
                    }
                    fail(new Interruption(Interruption.Kind.PROTOCOL_ERROR, AAbort.REASON_NOT_SPECIFIED,
                            "data set longer than the " + limit + " bytes kept in memory for this message", null));
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.min((long) n * 2, Integer.MAX_VALUE - 8)));
            }
            int r = read(buf, n, buf.length - n);
            if (r < 0) {
                return Arrays.copyOf(buf, n);
            }
            n += r;
        }
    }

    /** Skips the rest of the data set and ends the stream (never throws). */
    @Override
    public void close() {
        try {
            while (fill()) {
                pos += remaining;
                remaining = 0;
            }
        } catch (IOException e) {
            // interruption recorded; the reader thread handles it
        } finally {
            end();
        }
    }

    /** Blocks until the stream has ended. */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Why the stream ended early, or null if it ended at its last fragment. */
    Interruption interruption() {
        return interruption;
    }
}
