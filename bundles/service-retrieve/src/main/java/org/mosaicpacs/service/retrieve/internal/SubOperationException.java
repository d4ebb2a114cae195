package org.mosaicpacs.service.retrieve.internal;

/**
 * One C-STORE sub-operation could not be performed (nothing was sent for it): no acceptable
 * presentation context, no possible conversion, the stored object unreadable. The retrieve goes on
 * with the next instance; the message says why, without patient data.
 */
final class SubOperationException extends Exception {

    private static final long serialVersionUID = 1L;

    SubOperationException(String message) {
        super(message);
    }

    SubOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
