package org.mosaicpacs.archive.internal;

import java.util.List;
import java.util.Objects;

/**
 * The archive's configuration, validated.
 *
 * @param storageId         the storage backend new objects go to
 * @param duplicatePolicy   what to do with an instance already stored
 * @param coercions         attribute coercion rules, applied in order
 * @param studyStableMillis quiet time after the last instance before a study counts as stable
 * @param headerLimitBytes  the most bytes of a data set's identification part kept in memory
 * @param compression       which images are stored compressed
 * @param rejectedInstances what to do with an instance a rejection note rejected when it comes again;
 *                          null when rejection notes are off (nothing is looked up)
 */
record ArchiveSettings(String storageId, DuplicatePolicy duplicatePolicy, List<CoercionRule> coercions,
                       long studyStableMillis, long headerLimitBytes, CompressionPolicy compression,
                       RejectedInstancePolicy rejectedInstances) {

    /** Settings with rejection notes off. */
    ArchiveSettings(String storageId, DuplicatePolicy duplicatePolicy, List<CoercionRule> coercions,
                    long studyStableMillis, long headerLimitBytes, CompressionPolicy compression) {
        this(storageId, duplicatePolicy, coercions, studyStableMillis, headerLimitBytes, compression, null);
    }

    ArchiveSettings {
        if (storageId == null || storageId.isBlank()) {
            throw new IllegalArgumentException("storageId must name a storage backend");
        }
        if (studyStableMillis < 0) {
            throw new IllegalArgumentException("study stable time must not be negative");
        }
        coercions = List.copyOf(coercions);
        Objects.requireNonNull(compression, "compression");
    }

    static ArchiveSettings of(ArchiveComponent.Config config) {
        return new ArchiveSettings(config.storageId(), config.duplicatePolicy(), CoercionRule.parseAll(config.coercions()),
                config.studyStableSeconds() * 1000L, config.headerLimitMB() * 1024L * 1024L,
                CompressionPolicy.of(config.compressOnIngest(), config.compressOnIngestModalities(),
                        config.compressOnIngestMinimumKiB(), config.compressOnIngestAllowLossy(),
                        config.compressOnIngestVerify()),
                config.rejectionNotes() ? config.rejectedInstances() : null);
    }
}
