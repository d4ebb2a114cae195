package org.mosaicpacs.service.mpps.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/** An in-memory worklist: items keyed by Scheduled Procedure Step ID, as the contract describes. */
final class FakeWorklist implements WorklistStore {

    final Map<String, WorklistItem> items = new ConcurrentHashMap<>();

    /** Adds an item scheduled as {@code stepId} of {@link MppsTestData}'s study and request; returns its id. */
    String schedule(String stepId) {
        return schedule(MppsTestData.STUDY_UID, "ACC-1", "RP-1", stepId);
    }

    /** Adds an item for this scheduled step; returns its id. */
    String schedule(String studyUid, String accessionNumber, String requestedProcedureId, String stepId) {
        DataSet ds = new DataSet();
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.AccessionNumber, VR.SH, accessionNumber);
        ds.setString(Tag.RequestedProcedureID, VR.SH, requestedProcedureId);
        DataSet sps = ds.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        sps.setString(Tag.ScheduledProcedureStepID, VR.SH, stepId);
        sps.setString(Tag.ScheduledProcedureStepStatus, VR.CS, "SCHEDULED");
        String id = "wl-" + stepId;
        items.put(id, new WorklistItem(id, ds, Instant.now()));
        return id;
    }

    String stepStatus(String id) {
        return items.get(id).attributes().getNestedDataSet(Tag.ScheduledProcedureStepSequence)
                .getString(Tag.ScheduledProcedureStepStatus);
    }

    @Override
    public WorklistItem create(DataSet attributes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<WorklistItem> get(String id) {
        return Optional.ofNullable(items.get(id));
    }

    @Override
    public WorklistItem update(String id, DataSet attributes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String id) {
        return items.remove(id) != null;
    }

    @Override
    public List<WorklistItem> findByStep(String studyInstanceUid, String accessionNumber, String requestedProcedureId,
                                         String scheduledProcedureStepId) {
        return items.values().stream().filter(i -> {
            DataSet a = i.attributes();
            DataSet sps = a.getNestedDataSet(Tag.ScheduledProcedureStepSequence);
            return matches(studyInstanceUid, a.getString(Tag.StudyInstanceUID))
                    && matches(accessionNumber, a.getString(Tag.AccessionNumber))
                    && matches(requestedProcedureId, a.getString(Tag.RequestedProcedureID))
                    && matches(scheduledProcedureStepId, sps.getString(Tag.ScheduledProcedureStepID));
        }).toList();
    }

    private static boolean matches(String key, String value) {
        return key == null || Objects.equals(key, value);
    }

    @Override
    public WorklistItem setStepStatus(String id, String status) throws WorklistException {
        WorklistItem item = items.get(id);
        if (item == null) {
            throw new WorklistException("no worklist item " + id);
        }
        DataSet ds = item.attributes().deepCopy();
        ds.getNestedDataSet(Tag.ScheduledProcedureStepSequence).setString(Tag.ScheduledProcedureStepStatus, VR.CS, status);
        WorklistItem changed = new WorklistItem(id, ds, Instant.now());
        items.put(id, changed);
        return changed;
    }
}
