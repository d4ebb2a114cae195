package org.mosaicpacs.dicomweb.internal;

/**
 * A request that cannot be answered as asked: the HTTP status and, for the person reading the
 * body, why. Mapped to a response by {@link DicomWebExceptionMapper}.
 */
final class DicomWebException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    DicomWebException(int status, String message) {
        super(message);
        this.status = status;
    }

    DicomWebException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    int status() {
        return status;
    }

    static DicomWebException badRequest(String message) {
        return new DicomWebException(400, message);
    }

    static DicomWebException notFound(String message) {
        return new DicomWebException(404, message);
    }

    static DicomWebException notAcceptable(String message) {
        return new DicomWebException(406, message);
    }
}
