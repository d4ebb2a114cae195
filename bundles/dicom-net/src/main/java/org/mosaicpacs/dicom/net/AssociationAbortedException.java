package org.mosaicpacs.dicom.net;

import java.io.IOException;

/**
 * The association ended abnormally: an A-ABORT from either side, a protocol error, a timeout or a
 * broken transport connection. {@link #abort()} is the A-ABORT sent or received, or null when the
 * transport failed without one (A-P-ABORT).
 */
public final class AssociationAbortedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final AAbort abort;

    public AssociationAbortedException(String message, AAbort abort, Throwable cause) {
        super(message, cause);
        this.abort = abort;
    }

    /** The A-ABORT, or null. */
    public AAbort abort() {
        return abort;
    }
}
