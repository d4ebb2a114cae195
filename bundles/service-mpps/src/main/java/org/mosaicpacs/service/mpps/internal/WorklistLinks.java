package org.mosaicpacs.service.mpps.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links a performed step to the worklist items it was scheduled as, and moves their Scheduled
 * Procedure Step Status as the step starts and ends.
 *
 * <p>Each item of the Scheduled Step Attributes Sequence names a scheduled step by Study Instance
 * UID, Accession Number, Requested Procedure ID and Scheduled Procedure Step ID (PS3.4 F.7.2-1,
 * copied by the modality from the worklist, IHE RAD TF-2 4.6). Only items with a Scheduled
 * Procedure Step ID are looked up: an unscheduled step (IHE "unscheduled case") leaves it empty,
 * and matching it by study alone would mark steps it never performed.
 *
 * <p>The worklist is optional: without a {@link WorklistStore} service, or when it fails, the
 * MPPS is stored all the same (a modality's report must not be lost because the worklist is
 * down); the failure is logged.
 */
final class WorklistLinks {

    private static final Logger LOG = LoggerFactory.getLogger(WorklistLinks.class);

    private static final String COMPLETED = "COMPLETED";

    private final Supplier<WorklistStore> store;

    WorklistLinks(Supplier<WorklistStore> store) {
        this.store = store;
    }

    /** Ids of the worklist items the step's Scheduled Step Attributes Sequence names; empty without a worklist. */
    List<String> find(String mppsUid, DataSet attributes) {
        WorklistStore worklist = store.get();
        Sequence scheduled = attributes.getSequence(Tag.ScheduledStepAttributesSequence);
        if (worklist == null || scheduled == null) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (DataSet item : scheduled) {
            String stepId = valueOrNull(item, Tag.ScheduledProcedureStepID);
            if (stepId == null) {
                continue;
            }
            try {
                for (WorklistItem found : worklist.findByStep(valueOrNull(item, Tag.StudyInstanceUID),
                        valueOrNull(item, Tag.AccessionNumber), valueOrNull(item, Tag.RequestedProcedureID), stepId)) {
                    ids.add(found.id());
                }
            } catch (WorklistException | RuntimeException e) {
                LOG.warn("MPPS {}: cannot look up its worklist item: {}", mppsUid, e.getMessage());
            }
        }
        return new ArrayList<>(ids);
    }

    /**
     * Sets the Scheduled Procedure Step Status of the linked items to what this MPPS status means.
     * An item already COMPLETED stays so: another performed step of the same scheduled step (a
     * repeat that was then discontinued, IHE's "append" case) does not undo that it was done.
     */
    void moveTo(String mppsUid, List<String> itemIds, MppsStatus status) {
        WorklistStore worklist = store.get();
        if (worklist == null || itemIds.isEmpty()) {
            return;
        }
        for (String id : itemIds) {
            try {
                String current = worklist.get(id).map(item -> item.attributes()
                        .getNestedDataSet(Tag.ScheduledProcedureStepSequence))
                        .map(sps -> sps.getString(Tag.ScheduledProcedureStepStatus)).orElse(null);
                if (COMPLETED.equals(current)) {
                    LOG.debug("MPPS {}: worklist item {} is COMPLETED already; left so", mppsUid, id);
                    continue;
                }
                worklist.setStepStatus(id, status.scheduledStepStatus());
            } catch (WorklistException | RuntimeException e) {
                LOG.warn("MPPS {}: cannot set worklist item {} to {}: {}", mppsUid, id, status.scheduledStepStatus(),
                        e.getMessage());
            }
        }
    }

    private static String valueOrNull(DataSet ds, int tag) {
        String v = ds.getString(tag);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
