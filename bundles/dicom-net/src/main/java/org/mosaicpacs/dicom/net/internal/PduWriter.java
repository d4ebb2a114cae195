package org.mosaicpacs.dicom.net.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Builds P-DATA-TF PDUs (PS3.8 9.3.5) from the command and data set bytes of DIMSE messages,
 * fragmenting so that no PDU's variable field exceeds the peer's Maximum Length, and packing
 * several PDVs into one PDU where they fit (a small command and its small data set travel in
 * one TCP segment). The association serialises messages; a message's bytes go out through
 * {@link #fragmentStream} and are flushed at the end of the message.
 */
final class PduWriter {

    /** Sends one finished PDU (the association checks the state machine and holds the socket). */
    interface Transport {
        void sendPdu(byte[] pdu, int length) throws IOException;
    }

    /** Buffers start small and grow to the PDU size only when messages need it (memory per association). */
    private static final int INITIAL_BUFFER = 8192;

    private final Transport transport;
    private final int capacity;
    private byte[] buf;
    private int pos = 6;
    private int pdvStart = -1;
    private int contextId;
    private boolean command;

    /** @param maxPduLength the largest variable field the peer accepts (at least 7) */
    PduWriter(Transport transport, int maxPduLength) {
        this.transport = transport;
        this.capacity = 6 + Math.max(7, maxPduLength);
        this.buf = new byte[Math.min(capacity, INITIAL_BUFFER)];
    }

    /** Starts a message part: the command or the data set of a message on a presentation context. */
    OutputStream fragmentStream(int presentationContextId, boolean isCommand) {
        startPdv(presentationContextId, isCommand);
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("message part already finished");
                }
                PduWriter.this.write(b, off, len);
            }

            /** Ends the part: marks its last fragment. */
            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    endPdv(true);
                }
            }
        };
    }

    private void startPdv(int pcid, boolean isCommand) {
        if (buf.length - pos < 7) {
            throw new IllegalStateException("flush before starting a PDV");
        }
        contextId = pcid;
        command = isCommand;
        pdvStart = pos;
        pos += 6;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int space = buf.length - pos;
            if (space == 0 && buf.length < capacity) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(capacity, 2L * buf.length));
                space = buf.length - pos;
            }
            if (space == 0) {
                endPdv(false);
                flush();
                startPdv(contextId, command);
                space = buf.length - pos;
            }
            int n = Math.min(space, len);
            System.arraycopy(b, off, buf, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    private void endPdv(boolean last) throws IOException {
        int itemLength = pos - pdvStart - 4;
        buf[pdvStart] = (byte) (itemLength >>> 24);
        buf[pdvStart + 1] = (byte) (itemLength >>> 16);
        buf[pdvStart + 2] = (byte) (itemLength >>> 8);
        buf[pdvStart + 3] = (byte) itemLength;
        buf[pdvStart + 4] = (byte) contextId;
        buf[pdvStart + 5] = (byte) ((command ? 1 : 0) | (last ? 2 : 0));
        pdvStart = -1;
        if (last && buf.length - pos < 7) {
            // no room for another PDV header and a byte: send now
            flush();
        }
    }

    /** Sends the PDU under construction, if it holds any PDV. */
    void flush() throws IOException {
        if (pos == 6) {
            return;
        }
        int len = pos - 6;
        buf[0] = PduCodec.P_DATA_TF;
        buf[1] = 0;
        buf[2] = (byte) (len >>> 24);
        buf[3] = (byte) (len >>> 16);
        buf[4] = (byte) (len >>> 8);
        buf[5] = (byte) len;
        pos = 6;
        transport.sendPdu(buf, len + 6);
    }

    /** Drops whatever was built (after a failed message: the association is being aborted). */
    void reset() {
        pos = 6;
        pdvStart = -1;
    }
}
