package org.mosaicpacs.api.transcode;

/**
 * What a transcode does when the conversion loses information (a lossy transfer syntax that the
 * source was not already in).
 */
public enum LossyPolicy {

    /** Refuse with {@link TranscodeException.Reason#LOSSY_REFUSED}; nothing is written. */
    REFUSE,

    /**
     * Convert and give the result a new SOP Instance UID, as PS3.3 C.7.6.1.1.5 requires of a
     * lossy compressed version of a DICOM image; the predecessor is referenced in Source Image
     * Sequence. The default: what is sent to a peer that stores it is a new instance.
     */
    NEW_SOP_INSTANCE_UID,

    /**
     * Convert but keep the SOP Instance UID. Only for copies that are displayed and not kept as
     * instances of their own (e.g. a viewer that asked for a lossy syntax); Lossy Image
     * Compression and its ratio and method are still recorded.
     */
    KEEP_SOP_INSTANCE_UID
}
