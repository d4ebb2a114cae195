package org.mosaicpacs.service.worklist.internal;

import org.mosaicpacs.api.worklist.WorklistException;

/** The item an update or status change names does not exist (REST answers 404). */
final class NoSuchItemException extends WorklistException {

    private static final long serialVersionUID = 1L;

    NoSuchItemException(String id) {
        super("there is no worklist item " + id);
    }
}
