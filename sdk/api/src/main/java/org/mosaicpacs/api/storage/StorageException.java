package org.mosaicpacs.api.storage;

import java.io.IOException;

/** A backend could not write, read or delete an object; the message says which and why. */
public class StorageException extends IOException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
