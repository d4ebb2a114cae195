package org.mosaicpacs.service.retrieve.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;

/**
 * A C-MOVE or C-GET Identifier (PS3.4 C.4.2.1.4, C.4.3.1.3): the Query/Retrieve Level and the
 * unique keys that name what to retrieve, resolved to the stored instances through the index.
 *
 * <p>The level's unique key must have a value: one Patient ID at PATIENT level, one UID or a list
 * of UIDs at STUDY, SERIES and IMAGE level (PS3.4 C.4.2.2.1). Unique keys of the levels above,
 * when given, narrow the retrieve; when absent the entities are found anyway, as relational
 * retrieval (C.4.2.2.2) allows. Other keys are ignored.
 *
 * @param model the information model of the SOP class
 * @param level the Query/Retrieve Level
 * @param keys  the unique keys given, at the level and above
 */
record RetrieveIdentifier(InformationModel model, QueryLevel level, DataSet keys) {

    private static final int[] UNIQUE_KEYS = {Tag.PatientID, Tag.StudyInstanceUID, Tag.SeriesInstanceUID,
            Tag.SOPInstanceUID};

    /** The information model of a C-MOVE or C-GET SOP class this service serves, or null. */
    static InformationModel modelOf(String sopClassUid) {
        return switch (sopClassUid) {
            case UID.PatientRootQueryRetrieveInformationModelMove, UID.PatientRootQueryRetrieveInformationModelGet ->
                    InformationModel.PATIENT_ROOT;
            case UID.StudyRootQueryRetrieveInformationModelMove, UID.StudyRootQueryRetrieveInformationModelGet ->
                    InformationModel.STUDY_ROOT;
            default -> null;
        };
    }

    /**
     * Checks an identifier.
     *
     * @throws DimseStatusException A900 Identifier Does Not Match SOP Class, with the Offending
     *                              Element and an Error Comment
     */
    static RetrieveIdentifier parse(InformationModel model, DataSet identifier) throws DimseStatusException {
        if (identifier == null) {
            throw new DimseStatusException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "the request has no Identifier");
        }
        if (!identifier.containsValue(Tag.QueryRetrieveLevel)) {
            throw mismatch("Query/Retrieve Level (0008,0052) is missing", Tag.QueryRetrieveLevel);
        }
        String value = identifier.getString(Tag.QueryRetrieveLevel).strip();
        QueryLevel level = QueryLevel.of(value);
        if (level == null) {
            throw mismatch("Query/Retrieve Level '" + printable(value) + "' is unknown", Tag.QueryRetrieveLevel);
        }
        if (model == InformationModel.STUDY_ROOT && level == QueryLevel.PATIENT) {
            throw mismatch("the Study Root model has no PATIENT level", Tag.QueryRetrieveLevel);
        }
        DataSet keys = new DataSet();
        for (int l = 0; l <= level.ordinal(); l++) {
            int tag = UNIQUE_KEYS[l];
            VR vr = l == 0 ? VR.LO : VR.UI;
            if (!identifier.containsValue(tag)) {
                if (l == level.ordinal()) {
                    throw mismatch(level + " retrieve needs a value of " + ElementDictionary.keywordOf(tag), tag);
                }
                continue;
            }
            if (identifier.vr(tag) != vr && identifier.vr(tag) != VR.UN) {
                throw mismatch(ElementDictionary.keywordOf(tag) + " has VR " + identifier.vr(tag) + ", not " + vr, tag);
            }
            String[] values = identifier.getStrings(tag);
            for (String v : values) {
                if (v.isBlank() || v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
                    throw mismatch(ElementDictionary.keywordOf(tag) + " must name entities, not match them", tag);
                }
            }
            if (values.length > 1 && (l == 0 || l < level.ordinal())) {
                throw mismatch("one " + ElementDictionary.keywordOf(tag) + " only above the retrieve level", tag);
            }
            keys.setString(tag, vr, values);
        }
        return new RetrieveIdentifier(model, level, keys);
    }

    /**
     * The instances to retrieve, study by study and series by series in the index's order, each
     * once.
     *
     * @throws IndexException if the index cannot answer
     */
    List<InstanceRecord> instances(ArchiveIndex index) throws IndexException {
        Map<String, InstanceRecord> found = new LinkedHashMap<>();
        if (level == QueryLevel.IMAGE && !keys.containsValue(Tag.SeriesInstanceUID)) {
            for (String sop : keys.getStrings(Tag.SOPInstanceUID)) {
                index.findInstance(sop).filter(this::within).ifPresent(r -> found.putIfAbsent(r.sopInstanceUid(), r));
            }
            return new ArrayList<>(found.values());
        }
        QueryLevel entityLevel = level == QueryLevel.IMAGE ? QueryLevel.SERIES : level;
        for (DataSet entity : entities(index, level == QueryLevel.PATIENT ? QueryLevel.STUDY : entityLevel)) {
            String study = entity.getString(Tag.StudyInstanceUID);
            String series = entityLevel == QueryLevel.SERIES ? entity.getString(Tag.SeriesInstanceUID) : null;
            for (InstanceRecord r : index.findInstances(study, series)) {
                if (level != QueryLevel.IMAGE || contains(Tag.SOPInstanceUID, r.sopInstanceUid())) {
                    found.putIfAbsent(r.sopInstanceUid(), r);
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /**
     * The studies or series the keys name, found with a relational query on the unique keys only
     * (so that missing keys of upper levels do not matter), page by page past the index's maximum.
     */
    private List<DataSet> entities(ArchiveIndex index, QueryLevel entityLevel) throws IndexException {
        DataSet query = new DataSet();
        for (int l = 0; l <= entityLevel.ordinal(); l++) {
            int tag = UNIQUE_KEYS[l];
            VR vr = l == 0 ? VR.LO : VR.UI;
            if (keys.containsValue(tag)) {
                query.setString(tag, vr, keys.getStrings(tag));
            } else {
                query.setNull(tag, vr);
            }
        }
        List<DataSet> entities = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int offset = 0;
        while (true) {
            int before = entities.size();
            boolean more;
            try (QueryResults results = index.query(new IndexQuery(model, entityLevel, query, false, true, false,
                    offset, 0))) {
                while (results.hasNext()) {
                    DataSet e = results.next();
                    if (seen.add(e.getString(Tag.StudyInstanceUID) + "/" + e.getString(Tag.SeriesInstanceUID))) {
                        entities.add(e);
                    }
                    offset++;
                }
                more = results.limitReached();
            }
            if (!more || entities.size() == before) {
                return entities;
            }
        }
    }

    /** True if an instance found by SOP Instance UID lies within the study and series given, if any. */
    private boolean within(InstanceRecord r) {
        return contains(Tag.StudyInstanceUID, r.studyInstanceUid()) && contains(Tag.SeriesInstanceUID, r.seriesInstanceUid());
    }

    private boolean contains(int tag, String uid) {
        if (!keys.containsValue(tag)) {
            return true;
        }
        for (String v : keys.getStrings(tag)) {
            if (v.strip().equals(uid)) {
                return true;
            }
        }
        return false;
    }

    private static DimseStatusException mismatch(String comment, int offending) {
        return new DimseStatusException(DimseResponse.of(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS)
                .withErrorComment(comment).withOffendingElements(offending));
    }

    private static String printable(String value) {
        String s = value.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 16 ? s.substring(0, 16) : s;
    }
}
