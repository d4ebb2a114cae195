package org.mosaicpacs.dicom.net;

import java.io.IOException;

/**
 * No accepted presentation context fits a request: its SOP class was not accepted, or not with a
 * transfer syntax the data is in (or can be converted to without a codec).
 */
public final class NoPresentationContextException extends IOException {

    private static final long serialVersionUID = 1L;

    public NoPresentationContextException(String message) {
        super(message);
    }
}
