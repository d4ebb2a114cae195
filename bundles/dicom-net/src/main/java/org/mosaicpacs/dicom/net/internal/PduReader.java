package org.mosaicpacs.dicom.net.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

import org.mosaicpacs.dicom.net.AAbort;

/**
 * Reads PDUs from the transport one at a time into a reusable buffer, and walks the PDV items of
 * a P-DATA-TF PDU (PS3.8 9.3.5) without copying them. Lengths are checked before anything is
 * allocated: a P-DATA-TF longer than the maximum we announced, an association PDU beyond
 * {@link #MAX_ASSOCIATE_PDU_LENGTH} or a fixed-size PDU of the wrong size is a {@link PduException}.
 *
 * <p>A read timeout between PDUs surfaces as {@link SocketTimeoutException} (the caller decides:
 * ARTIM, idle); a timeout inside a PDU means a silent or truncating peer and is a
 * {@link PduException}. Used by one thread at a time (the association's reader, or the worker it
 * lends a C-STORE data stream to).
 */
public final class PduReader {

    /** The longest A-ASSOCIATE-RQ/AC we accept: 128 contexts with many syntaxes fit easily. */
    public static final int MAX_ASSOCIATE_PDU_LENGTH = 1 << 20;

    private final InputStream in;
    private final int maxPDataLength;
    private final byte[] header = new byte[6];
    private byte[] body;
    private int type = -1;
    private int length;
    private boolean pushedBack;

    private int pdvNext;
    private int pdvContextId;
    private boolean pdvCommand;
    private boolean pdvLast;
    private int pdvOffset;
    private int pdvLength;

    /**
     * @param in the transport's input
     * @param maxPDataLength the Maximum Length we announced: the largest P-DATA-TF variable field accepted
     */
    public PduReader(InputStream in, int maxPDataLength) {
        this.in = in;
        this.maxPDataLength = maxPDataLength;
        this.body = new byte[Math.min(maxPDataLength, 4096)];
    }

    /**
     * Reads the next PDU (or returns the pushed-back one).
     *
     * @return the PDU type, or -1 at the end of the stream before a PDU started
     * @throws PduException for an unknown type, a bad length, a truncated PDU or a peer silent mid-PDU
     * @throws SocketTimeoutException if nothing arrived within the socket's timeout
     */
    public int readPdu() throws IOException {
        if (pushedBack) {
            pushedBack = false;
            return type;
        }
        type = -1;
        int n = readSome(header, 0, 6, true);
        if (n < 0) {
            return -1;
        }
        int t = header[0] & 0xFF;
        long len = ((long) (header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8)
                | (header[5] & 0xFF);
        checkLength(t, len);
        length = (int) len;
        if (body.length < length) {
            body = new byte[Math.max(length, Math.min(2 * body.length, maxBodyFor(t)))];
        }
        readSome(body, 0, length, false);
        type = t;
        if (t == PduCodec.P_DATA_TF) {
            checkPdvs();
            pdvNext = 0;
        }
        return t;
    }

    private int maxBodyFor(int t) {
        return t == PduCodec.P_DATA_TF ? maxPDataLength : MAX_ASSOCIATE_PDU_LENGTH;
    }

    private void checkLength(int t, long len) throws PduException {
        switch (t) {
            case PduCodec.A_ASSOCIATE_RQ, PduCodec.A_ASSOCIATE_AC -> {
                if (len < 68 || len > MAX_ASSOCIATE_PDU_LENGTH) {
                    throw PduException.invalid(PduCodec.name(t) + " with PDU-length " + len + " (must be 68.."
                            + MAX_ASSOCIATE_PDU_LENGTH + ")");
                }
            }
            case PduCodec.P_DATA_TF -> {
                if (len < 6 || len > maxPDataLength) {
                    throw PduException.invalid("P-DATA-TF with PDU-length " + len + " (must be 6.." + maxPDataLength
                            + ", the Maximum Length we announced)");
                }
            }
            case PduCodec.A_ASSOCIATE_RJ, PduCodec.A_RELEASE_RQ, PduCodec.A_RELEASE_RP, PduCodec.A_ABORT ->
                    PduCodec.checkFixedLength(PduCodec.name(t), len);
            default -> throw new PduException(AAbort.REASON_UNRECOGNIZED_PDU,
                    String.format("unrecognized PDU type %02XH (PDU-length %d)", t, len));
        }
    }

    /** Every PDV item must fit the PDU and hold at least its 2-byte header (PS3.8 9.3.5.1). */
    private void checkPdvs() throws PduException {
        int p = 0;
        if (length == 0) {
            throw PduException.invalid("P-DATA-TF without PDV items");
        }
        while (p < length) {
            if (length - p < 6) {
                throw PduException.invalid("P-DATA-TF has " + (length - p) + " trailing bytes, too few for a PDV item");
            }
            long itemLength = ((long) (body[p] & 0xFF) << 24) | ((body[p + 1] & 0xFF) << 16)
                    | ((body[p + 2] & 0xFF) << 8) | (body[p + 3] & 0xFF);
            if (itemLength < 2 || itemLength > length - p - 4) {
                throw PduException.invalid("PDV item length " + itemLength + " does not fit the P-DATA-TF ("
                        + (length - p - 4) + " bytes left)");
            }
            p += 4 + (int) itemLength;
        }
    }

    /** Reads exactly {@code n} bytes; -1 if the stream ends before the first byte and {@code atStart}. */
    private int readSome(byte[] b, int off, int n, boolean atStart) throws IOException {
        int done = 0;
        while (done < n) {
            int r;
            try {
                r = in.read(b, off + done, n - done);
            } catch (SocketTimeoutException e) {
                if (atStart && done == 0) {
                    throw e;
                }
                throw new PduException(AAbort.REASON_NOT_SPECIFIED, "peer silent inside a PDU: " + describeProgress(done, n, atStart));
            }
            if (r < 0) {
                if (atStart && done == 0) {
                    return -1;
                }
                throw new PduException(AAbort.REASON_NOT_SPECIFIED, "connection closed inside a PDU: "
                        + describeProgress(done, n, atStart), new EOFException());
            }
            done += r;
        }
        return done;
    }

    private String describeProgress(int done, int n, boolean inHeader) {
        return inHeader ? "got " + done + " of the 6 header bytes"
                : "got " + done + " of " + n + " bytes of a " + PduCodec.name(header[0] & 0xFF);
    }

    /** Makes the next {@link #readPdu()} return the current PDU again. */
    public void pushBack() {
        if (type < 0) {
            throw new IllegalStateException("no PDU to push back");
        }
        pushedBack = true;
    }

    /** The type of the current PDU. */
    public int type() {
        return type;
    }

    /** The variable field of the current PDU. */
    public byte[] body() {
        return body;
    }

    /** The length of the variable field of the current PDU. */
    public int length() {
        return length;
    }

    /** Moves to the next PDV item of the current P-DATA-TF; false when there is none left. */
    public boolean nextPdv() {
        if (type != PduCodec.P_DATA_TF || pdvNext >= length) {
            return false;
        }
        int p = pdvNext;
        int itemLength = ((body[p] & 0xFF) << 24) | ((body[p + 1] & 0xFF) << 16) | ((body[p + 2] & 0xFF) << 8)
                | (body[p + 3] & 0xFF);
        pdvContextId = body[p + 4] & 0xFF;
        int control = body[p + 5] & 0xFF;
        pdvCommand = (control & 1) != 0;
        pdvLast = (control & 2) != 0;
        pdvOffset = p + 6;
        pdvLength = itemLength - 2;
        pdvNext = p + 4 + itemLength;
        return true;
    }

    public int pdvContextId() {
        return pdvContextId;
    }

    public boolean pdvCommand() {
        return pdvCommand;
    }

    public boolean pdvLast() {
        return pdvLast;
    }

    /** Offset of the current PDV's fragment in {@link #body()}. */
    public int pdvOffset() {
        return pdvOffset;
    }

    public int pdvLength() {
        return pdvLength;
    }
}
