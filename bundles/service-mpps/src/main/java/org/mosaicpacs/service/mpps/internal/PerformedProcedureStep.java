package org.mosaicpacs.service.mpps.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;

/**
 * One Modality Performed Procedure Step SOP Instance as stored: its whole data set and what it
 * is linked to.
 *
 * @param sopInstanceUid the SOP Instance UID (N-CREATE's Affected SOP Instance UID)
 * @param status the Performed Procedure Step Status
 * @param attributes the data set (read-only), N-CREATE's attributes with every N-SET applied
 * @param callingAeTitle the AE title that created it
 * @param created when the N-CREATE was committed
 * @param updated when the last N-SET was committed (= created before any)
 * @param worklistItemIds the worklist items it was scheduled as
 */
record PerformedProcedureStep(String sopInstanceUid, MppsStatus status, DataSet attributes, String callingAeTitle,
                              Instant created, Instant updated, List<String> worklistItemIds) {

    PerformedProcedureStep {
        attributes = attributes.isReadOnly() ? attributes : attributes.readOnlyCopy();
        worklistItemIds = List.copyOf(worklistItemIds);
    }

    /** Study Instance UIDs of the Scheduled Step Attributes Sequence items, in order, once each. */
    List<String> studyInstanceUids() {
        return itemValues(attributes, Tag.ScheduledStepAttributesSequence, Tag.StudyInstanceUID);
    }

    /** Series Instance UIDs of the Performed Series Sequence items, in order, once each. */
    List<String> seriesInstanceUids() {
        return itemValues(attributes, Tag.PerformedSeriesSequence, Tag.SeriesInstanceUID);
    }

    String stationAeTitle() {
        return attributes.getString(Tag.PerformedStationAETitle);
    }

    private static List<String> itemValues(DataSet ds, int sequenceTag, int tag) {
        Sequence seq = ds.getSequence(sequenceTag);
        if (seq == null) {
            return List.of();
        }
        Set<String> values = new LinkedHashSet<>();
        for (DataSet item : seq) {
            String v = item.getString(tag);
            if (v != null && !v.isBlank()) {
                values.add(v.strip());
            }
        }
        return new ArrayList<>(values);
    }
}
