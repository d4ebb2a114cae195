package org.mosaicpacs.api.archive;

import java.util.List;
import java.util.Objects;

import org.mosaicpacs.api.index.InstanceRecord;

/**
 * What the archive did with an object it accepted.
 *
 * @param outcome  stored, replaced an earlier copy, or ignored as a duplicate
 * @param instance where the object now lives (for an ignored duplicate: the copy already stored)
 * @param warnings what was changed or is doubtful (coerced attributes, ...), for a warning status
 *                 (C-STORE B000 family) and the logs; empty when all was clean
 */
public record StoreResult(Outcome outcome, InstanceRecord instance, List<String> warnings) {

    public StoreResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(instance, "instance");
        warnings = List.copyOf(warnings);
    }

    /** What happened to the object. */
    public enum Outcome {
        /** A new instance. */
        STORED,
        /** An instance with the same SOP Instance UID existed and was replaced (duplicate policy REPLACE). */
        REPLACED,
        /** An instance with the same SOP Instance UID existed and was kept (duplicate policy IGNORE). */
        DUPLICATE_IGNORED
    }
}
