package org.mosaicpacs.service.worklist.internal;

/** A matching key of a worklist query that is malformed: C-FIND answers A900, REST answers 400. */
final class InvalidKeyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int tag;

    InvalidKeyException(int tag, String message) {
        super(message);
        this.tag = tag;
    }

    /** The offending attribute. */
    int tag() {
        return tag;
    }
}
