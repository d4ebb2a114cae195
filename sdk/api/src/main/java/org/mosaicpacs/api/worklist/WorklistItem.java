package org.mosaicpacs.api.worklist;

import java.time.Instant;

import org.mosaicpacs.dicom.DataSet;

/**
 * One stored worklist item.
 *
 * @param id the store's key (opaque string, used in REST URLs)
 * @param attributes the full data set, with its Scheduled Procedure Step Sequence
 * @param updated when the item was created or last changed
 */
public record WorklistItem(String id, DataSet attributes, Instant updated) {
}
