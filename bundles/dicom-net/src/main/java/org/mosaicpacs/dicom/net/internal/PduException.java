package org.mosaicpacs.dicom.net.internal;

import java.io.IOException;

import org.mosaicpacs.dicom.net.AAbort;

/**
 * A PDU that cannot be accepted: malformed, truncated, too long or of an unknown type. The
 * association answers it with an A-ABORT from the service-provider carrying {@link #abortReason()}
 * (PS3.8 9.2, event Evt19).
 */
public final class PduException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int abortReason;

    public PduException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    public PduException(int abortReason, String message, Throwable cause) {
        super(message, cause);
        this.abortReason = abortReason;
    }

    /** An {@link AAbort} reason code for the provider-initiated abort. */
    public int abortReason() {
        return abortReason;
    }

    static PduException invalid(String message) {
        return new PduException(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, message);
    }
}
