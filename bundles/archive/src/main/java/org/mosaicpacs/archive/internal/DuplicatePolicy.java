package org.mosaicpacs.archive.internal;

/** What the archive does with an instance whose SOP Instance UID it already holds. */
public enum DuplicatePolicy {
    /** Refuse it with a failure status (C-STORE A900 class, HTTP 409); keep the stored copy. */
    REJECT,
    /** Answer success and keep the stored copy (modalities resend after timeouts: this is the quiet default). */
    IGNORE,
    /** Store the new copy in place of the old one. */
    REPLACE
}
