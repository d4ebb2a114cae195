package org.mosaicpacs.api.archive;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Archive#delete} removed.
 *
 * @param studyInstanceUid   the study asked for
 * @param seriesInstanceUid  the series asked for, or null when the whole study was deleted
 * @param instances          instances removed from the index: no query or retrieve finds them any more
 * @param series             Series Instance UIDs that had instances removed
 * @param objectsNotDeleted  storage keys ({@code storageId:key}) of removed instances whose object
 *                           could not be deleted from storage: they take space but are no longer
 *                           part of the archive, and the log names the reason for each
 */
public record Deletion(String studyInstanceUid, String seriesInstanceUid, int instances, List<String> series,
                       List<String> objectsNotDeleted) {

    public Deletion {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        series = List.copyOf(series);
        objectsNotDeleted = List.copyOf(objectsNotDeleted);
    }
}
