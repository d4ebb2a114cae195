package org.mosaicpacs.service.query.internal;

import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;

/**
 * A C-FIND Request Identifier (PS3.4 C.4.1.1.3.1) checked against its information model: the
 * Query/Retrieve Level is present and belongs to the model, every key has the VR PS3.6 gives it,
 * and a hierarchical query names the entities above its level. How the keys match is the index's
 * business (PS3.4 C.2.2.2 lives there once).
 *
 * @param model the information model of the SOP class
 * @param level the Query/Retrieve Level (0008,0052)
 * @param keys  the identifier as received
 */
record QueryIdentifier(InformationModel model, QueryLevel level, DataSet keys) {

    /** The information model of a C-FIND SOP class this service serves, or null. */
    static InformationModel modelOf(String sopClassUid) {
        return switch (sopClassUid) {
            case UID.PatientRootQueryRetrieveInformationModelFind -> InformationModel.PATIENT_ROOT;
            case UID.StudyRootQueryRetrieveInformationModelFind -> InformationModel.STUDY_ROOT;
            default -> null;
        };
    }

    /**
     * Checks an identifier.
     *
     * @throws DimseStatusException A900 Identifier Does Not Match SOP Class, with the Offending
     *                              Element(s) and an Error Comment saying what is wrong
     */
    static QueryIdentifier parse(InformationModel model, DataSet keys, boolean relational) throws DimseStatusException {
        if (keys == null) {
            throw new DimseStatusException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "the request has no Identifier");
        }
        if (!keys.containsValue(Tag.QueryRetrieveLevel)) {
            throw mismatch("Query/Retrieve Level (0008,0052) is missing", Tag.QueryRetrieveLevel);
        }
        String value = keys.getString(Tag.QueryRetrieveLevel).strip();
        QueryLevel level = QueryLevel.of(value);
        if (level == null) {
            throw mismatch("Query/Retrieve Level '" + printable(value) + "' is unknown",
                    Tag.QueryRetrieveLevel);
        }
        if (model == InformationModel.STUDY_ROOT && level == QueryLevel.PATIENT) {
            throw mismatch("the Study Root model has no PATIENT level", Tag.QueryRetrieveLevel);
        }
        List<Integer> wrongVr = new ArrayList<>();
        String firstReason = wrongVrs(keys, wrongVr, null);
        if (!wrongVr.isEmpty()) {
            throw mismatch(firstReason, wrongVr.stream().mapToInt(Integer::intValue).toArray());
        }
        if (!relational) {
            requireUniqueKeysAbove(model, level, keys);
        }
        return new QueryIdentifier(model, level, keys);
    }

    /**
     * Hierarchical search (PS3.4 C.4.1.2.2.1): each level above the query level is named by a
     * value of its unique key, without wild cards; relational queries (C.4.1.2.2.2) lift this.
     */
    private static void requireUniqueKeysAbove(InformationModel model, QueryLevel level, DataSet keys)
            throws DimseStatusException {
        List<Integer> required = new ArrayList<>();
        if (model == InformationModel.PATIENT_ROOT && level.compareTo(QueryLevel.PATIENT) > 0) {
            required.add(Tag.PatientID);
        }
        if (level.compareTo(QueryLevel.STUDY) > 0) {
            required.add(Tag.StudyInstanceUID);
        }
        if (level.compareTo(QueryLevel.SERIES) > 0) {
            required.add(Tag.SeriesInstanceUID);
        }
        for (int tag : required) {
            String[] values = keys.containsValue(tag) ? keys.getStrings(tag) : new String[0];
            boolean named = values.length > 0;
            for (String v : values) {
                named &= !v.isBlank() && v.indexOf('*') < 0 && v.indexOf('?') < 0;
            }
            if (!named) {
                throw mismatch(level + " query needs a value of " + ElementDictionary.keywordOf(tag)
                        + " (hierarchical)", tag);
            }
        }
    }

    /**
     * Collects the keys (at any depth) whose VR contradicts the dictionary and returns the reason
     * for the first one. UN is accepted (a requestor that does not know the attribute), as are
     * private elements and attributes whose VR PS3.6 leaves open (US or SS...).
     */
    private static String wrongVrs(DataSet keys, List<Integer> found, String reason) {
        for (int tag : keys.tags()) {
            VR vr = keys.vr(tag);
            if (!Tags.isPrivate(tag) && !Tags.isGroupLength(tag) && vr != VR.UN) {
                DictionaryEntry entry = ElementDictionary.lookup(tag);
                if (entry != null && !entry.hasAmbiguousVR() && entry.vr() != vr) {
                    found.add(tag);
                    if (reason == null) {
                        reason = entry.keyword() + " " + Tags.toString(tag) + " has VR " + vr + ", not " + entry.vr();
                    }
                    continue;
                }
            }
            if (vr == VR.SQ) {
                Sequence items = keys.getSequence(tag);
                if (items != null) {
                    for (DataSet item : items) {
                        reason = wrongVrs(item, found, reason);
                    }
                }
            }
        }
        return reason;
    }

    private static DimseStatusException mismatch(String comment, int... offending) {
        return new DimseStatusException(DimseResponse.of(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS)
                .withErrorComment(comment).withOffendingElements(offending));
    }

    /** A level value as it may appear in a comment: printable ASCII, at most 16 characters. */
    private static String printable(String value) {
        String s = value.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 16 ? s.substring(0, 16) : s;
    }
}
