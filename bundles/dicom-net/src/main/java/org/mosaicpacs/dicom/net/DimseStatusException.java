package org.mosaicpacs.dicom.net;

/**
 * Thrown by a handler to answer a request with a status other than success, with an Error
 * Comment (0000,0902) that tells the peer why. Optional command attributes (Offending Element,
 * sub-operation counts) travel in {@link #response()}.
 */
public final class DimseStatusException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient DimseResponse response;

    /**
     * @param status the DIMSE status (see {@link Status})
     * @param errorComment why, in at most 64 characters (longer text is cut); no PHI
     */
    public DimseStatusException(int status, String errorComment) {
        this(DimseResponse.of(status).withErrorComment(errorComment));
    }

    /** With a status and a cause (its message becomes part of the Error Comment). */
    public DimseStatusException(int status, String errorComment, Throwable cause) {
        super(errorComment, cause);
        this.response = DimseResponse.of(status).withErrorComment(errorComment);
    }

    /** A fully built response, e.g. with Offending Element or sub-operation counts. */
    public DimseStatusException(DimseResponse response) {
        super(response.errorComment() != null ? response.errorComment() : Status.describe(response.status()));
        this.response = response;
    }

    public int status() {
        return response.status();
    }

    /** The response sent to the peer. */
    public DimseResponse response() {
        return response;
    }
}
