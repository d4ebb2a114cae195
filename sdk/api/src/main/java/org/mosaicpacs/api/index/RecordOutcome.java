package org.mosaicpacs.api.index;

import java.util.Objects;

/**
 * What {@link ArchiveIndex#record} changed.
 *
 * @param instance             the instance as now recorded
 * @param replaced             the record it replaced (its object may now be deleted from storage
 *                             if its key differs), or null
 * @param seriesInstanceCount  instances of the series after the change
 * @param studyInstanceCount   instances of the study after the change
 */
public record RecordOutcome(InstanceRecord instance, InstanceRecord replaced, int seriesInstanceCount,
                            int studyInstanceCount) {

    public RecordOutcome {
        Objects.requireNonNull(instance, "instance");
    }
}
