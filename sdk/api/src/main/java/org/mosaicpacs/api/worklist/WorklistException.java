package org.mosaicpacs.api.worklist;

/**
 * A worklist operation failed: invalid item, unknown id, database failure. The message says, for
 * a person, what to do about it (it becomes a DIMSE Error Comment or an HTTP error body).
 */
public class WorklistException extends Exception {

    private static final long serialVersionUID = 1L;

    public WorklistException(String message) {
        super(message);
    }

    public WorklistException(String message, Throwable cause) {
        super(message, cause);
    }
}
