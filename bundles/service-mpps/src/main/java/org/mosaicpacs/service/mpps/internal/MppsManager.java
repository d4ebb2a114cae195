package org.mosaicpacs.service.mpps.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mosaicpacs.api.mpps.MppsEvents;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a performed procedure step (PS3.4 F.7.2): N-CREATE makes it IN PROGRESS, N-SETs
 * change it until one sets COMPLETED or DISCONTINUED, after which it is final. Validates with
 * {@link MppsAttributeRules}, stores through {@link MppsRepository}, then (after the commit) moves
 * the linked worklist items and posts the event. Thread-safe.
 */
final class MppsManager {

    /** Invalid Object Instance (PS3.7 Annex C): the SOP Instance UID breaks the UID rules of PS3.5 9.1. */
    static final int INVALID_OBJECT_INSTANCE = 0x0117;

    private static final Logger LOG = LoggerFactory.getLogger(MppsManager.class);

    private final MppsRepository repository;
    private final MppsAttributeRules rules;
    private final WorklistLinks worklist;
    private final EventAdmin events;
    private final Clock clock;

    MppsManager(MppsRepository repository, MppsAttributeRules rules, WorklistLinks worklist, EventAdmin events,
                Clock clock) {
        this.repository = repository;
        this.rules = rules;
        this.worklist = worklist;
        this.events = events;
        this.clock = clock;
    }

    /**
     * N-CREATE.
     *
     * @param requestedUid the Affected SOP Instance UID of the request, or null to assign one
     * @return the step as stored (its UID goes into the N-CREATE-RSP)
     * @throws DimseStatusException 0117 (invalid UID), 0120/0121/0106 (see {@link MppsAttributeRules#checkCreate}),
     *         0111 Duplicate SOP Instance
     */
    PerformedProcedureStep create(String requestedUid, DataSet attributes, String callingAeTitle)
            throws DimseStatusException, SQLException {
        String uid = requestedUid;
        if (uid == null || uid.isBlank()) {
            uid = UidGenerator.newUid();
        } else if (!UidGenerator.isValid(uid.strip())) {
            throw new DimseStatusException(INVALID_OBJECT_INSTANCE, "Affected SOP Instance UID is not a valid UID");
        }
        uid = uid.strip();
        rules.checkCreate(attributes);
        DataSet stored = withoutCommandLikeGroups(attributes);
        var now = clock.instant();
        PerformedProcedureStep step = new PerformedProcedureStep(uid, MppsStatus.IN_PROGRESS, stored, callingAeTitle,
                now, now, worklist.find(uid, stored));
        if (!repository.insert(step)) {
            throw new DimseStatusException(Status.DUPLICATE_SOP_INSTANCE, "an MPPS with this SOP Instance UID exists");
        }
        worklist.moveTo(uid, step.worklistItemIds(), MppsStatus.IN_PROGRESS);
        LOG.info("MPPS {} IN PROGRESS: created by {} (station {}, {} worklist item(s))", uid, callingAeTitle,
                step.stationAeTitle(), step.worklistItemIds().size());
        post(MppsStatus.IN_PROGRESS.topic(), step);
        return step;
    }

    /**
     * N-SET.
     *
     * @return the step as changed
     * @throws DimseStatusException 0112 (no such instance), 0110 with Error ID A710 (already
     *         COMPLETED or DISCONTINUED), 0105/0106/0121 (see {@link MppsAttributeRules})
     */
    PerformedProcedureStep set(String uid, DataSet modifications) throws DimseStatusException, SQLException {
        if (uid == null || uid.isBlank()) {
            throw noSuchInstance();
        }
        PerformedProcedureStep[] before = new PerformedProcedureStep[1]; // as read under the lock
        PerformedProcedureStep changed = repository.update(uid.strip(), current -> {
            before[0] = current;
            if (current.status().isFinal()) {
                throw noLongerUpdatable();
            }
            rules.checkSet(modifications, current.attributes());
            DataSet merged = current.attributes().deepCopy();
            merged.addAll(settable(modifications));
            MppsStatus status = MppsStatus.of(merged.getString(Tag.PerformedProcedureStepStatus));
            if (status.isFinal()) {
                rules.checkFinal(merged);
            }
            List<String> items = current.worklistItemIds().isEmpty() ? worklist.find(current.sopInstanceUid(), merged)
                    : current.worklistItemIds();
            return new PerformedProcedureStep(current.sopInstanceUid(), status, merged, current.callingAeTitle(),
                    current.created(), clock.instant(), items);
        }).orElseThrow(MppsManager::noSuchInstance);
        if (!changed.status().isFinal() && !changed.worklistItemIds().isEmpty() && before[0].worklistItemIds().isEmpty()) {
            // linked only now (no worklist was there at N-CREATE): it started
            worklist.moveTo(changed.sopInstanceUid(), changed.worklistItemIds(), MppsStatus.IN_PROGRESS);
        }
        if (changed.status().isFinal()) {
            worklist.moveTo(changed.sopInstanceUid(), changed.worklistItemIds(), changed.status());
            LOG.info("MPPS {} {} ({} series)", changed.sopInstanceUid(), changed.status().value(),
                    changed.seriesInstanceUids().size());
            post(changed.status().topic(), changed);
        } else {
            LOG.debug("MPPS {} updated", changed.sopInstanceUid());
            post(MppsEvents.UPDATED, changed);
        }
        return changed;
    }

    /**
     * N-GET of the Retrieve SOP Class (PS3.4 F.8): the listed attributes of a step, or all of them.
     *
     * @throws DimseStatusException 0112 No Such Object Instance
     */
    DataSet get(String uid, int[] attributeTags) throws DimseStatusException, SQLException {
        if (uid == null || uid.isBlank()) {
            throw noSuchInstance();
        }
        DataSet all = repository.find(uid.strip()).orElseThrow(MppsManager::noSuchInstance).attributes();
        if (attributeTags.length == 0) {
            return all;
        }
        DataSet selected = all.deepCopy();
        Set<Integer> wanted = new HashSet<>();
        for (int tag : attributeTags) {
            wanted.add(tag);
        }
        wanted.add(Tag.SpecificCharacterSet); // the text's encoding travels with it
        for (int tag : selected.tags()) {
            if (!wanted.contains(tag)) {
                selected.remove(tag);
            }
        }
        return selected;
    }

    /** PS3.4 F.7.2.2.3 and Table F.7.2-2: 0110 with the standard's Error Comment and Error ID A710. */
    private static DimseStatusException noLongerUpdatable() {
        DataSet command = new DataSet(3);
        command.setInt(Tag.Status, VR.US, Status.PROCESSING_FAILURE);
        command.setString(Tag.ErrorComment, VR.LO, MppsAttributeRules.NO_LONGER_UPDATABLE);
        command.setInt(Tag.ErrorID, VR.US, MppsAttributeRules.ERROR_ID_NO_LONGER_UPDATABLE);
        return new DimseStatusException(DimseResponse.fromCommand(command, null));
    }

    private static DimseStatusException noSuchInstance() {
        return new DimseStatusException(Status.NO_SUCH_SOP_INSTANCE, "no MPPS with this SOP Instance UID");
    }

    /** The modifications an N-SET may make: without the rows N-SET may not carry (checked equal before) and Specific Character Set. */
    private static DataSet settable(DataSet modifications) {
        DataSet copy = withoutCommandLikeGroups(modifications);
        copy.remove(Tag.SpecificCharacterSet);
        for (MppsAttributeRules.Row row : MppsAttributeRules.TABLE) {
            if (!row.settable()) {
                copy.remove(row.tag());
            }
        }
        return copy;
    }

    /** A copy without group lengths and groups 0000-0002 (never part of an Attribute List). */
    private static DataSet withoutCommandLikeGroups(DataSet ds) {
        DataSet copy = ds.deepCopy();
        for (int tag : copy.tags()) {
            if (Tags.group(tag) <= 0x0002 || Tags.element(tag) == 0) {
                copy.remove(tag);
            }
        }
        return copy;
    }

    private void post(String topic, PerformedProcedureStep step) {
        if (events == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(MppsEvents.SOP_INSTANCE_UID, step.sopInstanceUid());
        props.put(MppsEvents.STATUS, step.status().value());
        props.put(MppsEvents.STUDY_INSTANCE_UIDS, step.studyInstanceUids().toArray(String[]::new));
        props.put(MppsEvents.SERIES_INSTANCE_UIDS, step.seriesInstanceUids().toArray(String[]::new));
        props.put(MppsEvents.WORKLIST_ITEM_IDS, step.worklistItemIds().toArray(String[]::new));
        if (step.stationAeTitle() != null) {
            props.put(MppsEvents.PERFORMED_STATION_AE_TITLE, step.stationAeTitle());
        }
        events.postEvent(new Event(topic, props));
    }
}
