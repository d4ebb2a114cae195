package org.mosaicpacs.api.archive;

import java.util.Objects;

/**
 * The archive refused or failed to store or read an object. The {@link Reason} lets each
 * protocol answer with its own status (DIMSE status, HTTP status); the message says, for a
 * person, what was wrong (it becomes the DIMSE Error Comment, at most 64 characters are sent).
 * Nothing already stored is lost when this is thrown.
 */
public class ArchiveException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an operation failed. */
    public enum Reason {
        /** No room: disk or storage reserve reached (C-STORE A700, HTTP 507). */
        OUT_OF_RESOURCES,
        /** The data set cannot be parsed: truncated, malformed (C-STORE C000, HTTP 400). */
        CANNOT_UNDERSTAND,
        /** The data set disagrees with what was announced, e.g. another SOP Instance UID (C-STORE A900, HTTP 409). */
        DATA_SET_MISMATCH,
        /** A required attribute (SOP Instance UID, Study Instance UID, ...) is missing or invalid (C-STORE C000/A900, HTTP 409). */
        MISSING_ATTRIBUTE,
        /** The instance exists and the duplicate policy is REJECT (C-STORE A900 class, HTTP 409). */
        DUPLICATE_REJECTED,
        /**
         * An IHE IOCM rejection note rejected this instance earlier, and the archive refuses it
         * again (C-STORE 0124 Refused: Not authorized, HTTP 409). Since 1.2.
         */
        REJECTED_INSTANCE,
        /** No such object (HTTP 404). */
        NOT_FOUND,
        /** Storage or index failure (C-STORE 0110 Processing failure, HTTP 500). */
        PROCESSING_FAILURE
    }

    private final Reason reason;

    public ArchiveException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ArchiveException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
