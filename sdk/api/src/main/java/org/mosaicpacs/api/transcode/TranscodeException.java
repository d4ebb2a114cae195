package org.mosaicpacs.api.transcode;

import java.util.Objects;

/**
 * An instance or frame cannot be converted. The {@link Reason} lets each caller answer in its
 * protocol (suggested below); the message says for a person what is wrong and, for a frame,
 * which one. It concerns this instance only: the association, request or worker carries on.
 */
public class TranscodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a conversion failed. */
    public enum Reason {
        /**
         * No codec registered now can decode the source or encode the target for this image, or
         * the target syntax cannot hold it (e.g. 16-bit pixels in JPEG Baseline). A retrieve
         * tries another accepted syntax or fails the sub-operation; WADO-RS answers 406.
         */
        UNSUPPORTED,
        /** The conversion would be lossy and {@link LossyPolicy#REFUSE} was asked (WADO-RS 406). */
        LOSSY_REFUSED,
        /** A compressed frame is corrupt or truncated: {@link #frameNumber()} names it (HTTP 500). */
        CORRUPT_FRAME,
        /**
         * The data set cannot be read or its Image Pixel attributes are inconsistent with its
         * Pixel Data (missing Rows, Pixel Data too short, fragments that cannot be assigned to
         * frames); a retrieve fails the sub-operation, HTTP 500.
         */
        MALFORMED,
        /** The instance has no Pixel Data, or a frame number outside 1..Number of Frames (HTTP 404). */
        NOT_AN_IMAGE
    }

    private final Reason reason;
    private final int frameNumber;

    /** A failure of the whole instance. */
    public TranscodeException(Reason reason, String message) {
        this(reason, 0, message, null);
    }

    /**
     * @param frameNumber the frame concerned, counted from 1 as in DICOM; 0 for the whole instance
     */
    public TranscodeException(Reason reason, int frameNumber, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.frameNumber = frameNumber;
    }

    public Reason reason() {
        return reason;
    }

    /** The frame concerned, counted from 1; 0 if the failure concerns the instance as a whole. */
    public int frameNumber() {
        return frameNumber;
    }
}
