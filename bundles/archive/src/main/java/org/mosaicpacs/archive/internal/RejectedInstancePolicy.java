package org.mosaicpacs.archive.internal;

/**
 * What the archive does with an instance that an IHE IOCM rejection note rejected when it arrives
 * again (a modality re-sending from its queue, another archive forwarding the study).
 */
public enum RejectedInstancePolicy {
    /** Refuse it (C-STORE 0124 Refused: Not authorized, HTTP 409) with a comment naming the note: it stays rejected. */
    REJECT,
    /** Store it again and forget its rejection (an operator sends it back on purpose). */
    ACCEPT
}
