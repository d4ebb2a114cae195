package org.mosaicpacs.api.index;

/** The index could not answer or record: database unreachable, constraint broken, bad query. */
public class IndexException extends Exception {

    private static final long serialVersionUID = 1L;

    public IndexException(String message) {
        super(message);
    }

    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
