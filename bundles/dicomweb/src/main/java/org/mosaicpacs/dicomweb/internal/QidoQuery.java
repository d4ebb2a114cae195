package org.mosaicpacs.dicomweb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;

/**
 * A QIDO-RS search (PS3.18 8.3.4 and 10.6) turned into an {@link IndexQuery}, so QIDO-RS and
 * C-FIND share one implementation of the matching rules (PS3.4 C.2.2.2). Query parameters
 * arrive already percent-decoded, so {@code %2A} is the wildcard {@code *} as PS3.18 8.3.4.1
 * intends. Parameters the service does not support are ignored and reported as warnings
 * (answered with {@code Warning: 299}, PS3.18 8.3.4.4.1).
 *
 * @param query          the index query
 * @param warnings       what was ignored, for Warning headers
 * @param includeFields  attributes asked for by includefield (besides the defaults)
 */
record QidoQuery(IndexQuery query, List<String> warnings, Set<Integer> includeFields) {

    /** Parameters of PS3.18 Table 8.3.4-1 that are not attribute matches. */
    private static final Set<String> CONTROL = Set.of("includefield", "fuzzymatching", "limit", "offset", "accept",
            "charset", "_", "emptyvaluematching", "multiplevaluematching");

    /** Default return attributes of PS3.18 Table 10.6.3-3 (study), 10.6.3-4 (series), 10.6.3-5 (instance). */
    static final int[] STUDY_DEFAULTS = {Tag.SpecificCharacterSet, Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber,
        Tag.ModalitiesInStudy, Tag.ReferringPhysicianName, Tag.TimezoneOffsetFromUTC, Tag.PatientName, Tag.PatientID,
        Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyID, Tag.StudyDescription,
        Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances, Tag.IssuerOfPatientID};
    static final int[] SERIES_DEFAULTS = {Tag.SpecificCharacterSet, Tag.Modality, Tag.TimezoneOffsetFromUTC,
        Tag.SeriesDescription, Tag.SeriesInstanceUID, Tag.SeriesNumber, Tag.NumberOfSeriesRelatedInstances,
        Tag.PerformedProcedureStepStartDate, Tag.PerformedProcedureStepStartTime, Tag.RequestAttributesSequence,
        Tag.SeriesDate, Tag.SeriesTime, Tag.BodyPartExamined, Tag.StudyInstanceUID};
    static final int[] INSTANCE_DEFAULTS = {Tag.SpecificCharacterSet, Tag.SOPClassUID, Tag.SOPInstanceUID,
        Tag.TimezoneOffsetFromUTC, Tag.InstanceNumber, Tag.Rows, Tag.Columns, Tag.BitsAllocated,
        Tag.NumberOfFrames, Tag.StudyInstanceUID, Tag.SeriesInstanceUID};

    /**
     * Parses a search.
     *
     * @param level        STUDY, SERIES or IMAGE
     * @param params       the decoded query parameters
     * @param studyUid     the study of the URL (/studies/{study}/...), or null
     * @param seriesUid    the series of the URL, or null
     * @param defaultLimit the limit when the request names none
     * @throws DicomWebException 400 for a malformed limit, offset, attribute or value
     */
    static QidoQuery parse(QueryLevel level, Map<String, List<String>> params, String studyUid, String seriesUid,
                           int defaultLimit) {
        DataSet keys = new DataSet();
        List<String> warnings = new ArrayList<>();
        Set<Integer> includes = new java.util.TreeSet<>();
        boolean all = false;
        boolean fuzzy = false;
        int limit = defaultLimit;
        int offset = 0;

        addDefaults(keys, level, studyUid == null, seriesUid == null);
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            String name = e.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            List<String> values = e.getValue();
            switch (lower) {
                case "includefield" -> {
                    for (String v : values) {
                        for (String field : v.split(",")) {
                            field = field.strip();
                            if (field.isEmpty()) {
                                continue;
                            }
                            if ("all".equalsIgnoreCase(field)) {
                                all = true;
                                continue;
                            }
                            AttributePath path = AttributePath.parse(field);
                            if (path == null) {
                                warnings.add("includefield " + field + " is not a DICOM attribute; ignored");
                                continue;
                            }
                            includes.add(path.tags()[0]);
                            path.addReturnKey(keys);
                        }
                    }
                }
                case "fuzzymatching" -> fuzzy = "true".equalsIgnoreCase(last(values).strip());
                case "limit" -> limit = nonNegative(name, last(values));
                case "offset" -> offset = nonNegative(name, last(values));
                default -> {
                    if (CONTROL.contains(lower)) {
                        if (!"accept".equals(lower) && !"_".equals(lower)) {
                            warnings.add("parameter " + name + " is not supported; ignored");
                        }
                        continue;
                    }
                    AttributePath path = AttributePath.parse(name);
                    if (path == null) {
                        warnings.add("parameter " + name + " is neither a DICOM attribute nor a QIDO-RS parameter; "
                                + "ignored");
                        continue;
                    }
                    path.addMatchingKey(keys, last(values));
                }
            }
        }
        // the UIDs of the URL are matching keys too (PS3.18 10.6.1)
        if (studyUid != null) {
            keys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        }
        if (seriesUid != null) {
            keys.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        }
        IndexQuery query = new IndexQuery(InformationModel.STUDY_ROOT, level, keys, fuzzy, true, all, offset, limit);
        return new QidoQuery(query, List.copyOf(warnings), Set.copyOf(includes));
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    private static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DicomWebException.badRequest(name + " must be a non-negative integer, not \"" + value + "\"");
    }

    /** The default return attributes of a level and, for searches across studies or series, of the levels above. */
    private static void addDefaults(DataSet keys, QueryLevel level, boolean acrossStudies, boolean acrossSeries) {
        switch (level) {
            case STUDY -> addReturnKeys(keys, STUDY_DEFAULTS);
            case SERIES -> {
                addReturnKeys(keys, SERIES_DEFAULTS);
                if (acrossStudies) {
                    addReturnKeys(keys, STUDY_DEFAULTS);
                }
            }
            case IMAGE -> {
                addReturnKeys(keys, INSTANCE_DEFAULTS);
                if (acrossSeries) {
                    addReturnKeys(keys, SERIES_DEFAULTS);
                }
                if (acrossStudies) {
                    addReturnKeys(keys, STUDY_DEFAULTS);
                }
            }
            default -> throw new IllegalArgumentException("QIDO-RS has no " + level + " level");
        }
    }

    private static void addReturnKeys(DataSet keys, int[] tags) {
        for (int tag : tags) {
            if (!keys.contains(tag)) {
                setEmpty(keys, tag);
            }
        }
    }

    static void setEmpty(DataSet keys, int tag) {
        VR vr = ElementDictionary.vrOf(tag);
        if (vr == VR.SQ) {
            keys.newSequence(tag);
        } else {
            keys.setNull(tag, vr);
        }
    }

    /**
     * An attribute as QIDO-RS names it (PS3.18 8.3.4.1): a keyword or eight hex digits, or a
     * dotted path of them into sequences ({@code RequestAttributesSequence.ScheduledProcedureStepID}).
     */
    record AttributePath(int[] tags) {

        static AttributePath parse(String text) {
            String[] parts = text.split("\\.");
            int[] tags = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                int tag = tagOf(parts[i].strip());
                if (tag == -1 || i < parts.length - 1 && ElementDictionary.vrOf(tag) != VR.SQ) {
                    return null;
                }
                tags[i] = tag;
            }
            return new AttributePath(tags);
        }

        private static int tagOf(String id) {
            if (id.length() == 8 && id.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return Tags.parse(id);
            }
            DictionaryEntry entry = ElementDictionary.lookup(id);
            return entry == null ? -1 : entry.tag();
        }

        /** The data set that holds the last tag: items of the sequences on the path, created as needed. */
        private DataSet holder(DataSet keys) {
            DataSet ds = keys;
            for (int i = 0; i < tags.length - 1; i++) {
                var seq = ds.getSequence(tags[i]);
                if (seq == null) {
                    seq = ds.newSequence(tags[i]);
                }
                ds = seq.isEmpty() ? seq.addNewItem() : seq.get(0);
            }
            return ds;
        }

        void addReturnKey(DataSet keys) {
            DataSet ds = holder(keys);
            int tag = tags[tags.length - 1];
            if (!ds.contains(tag)) {
                setEmpty(ds, tag);
            }
        }

        void addMatchingKey(DataSet keys, String value) {
            DataSet ds = holder(keys);
            int tag = tags[tags.length - 1];
            VR vr = ElementDictionary.vrOf(tag);
            if (vr == VR.SQ) {
                throw DicomWebException.badRequest(Tags.toString(tag) + " is a sequence: match one of its attributes "
                        + "(Sequence.Attribute)");
            }
            if (value.isEmpty()) {
                setEmpty(ds, tag);
            } else if (vr == VR.UI) {
                // a list of UIDs, separated by backslashes (PS3.4 C.2.2.2.2) or commas (PS3.18 8.3.4.1)
                ds.setString(tag, vr, value.split("[\\\\,]"));
            } else {
                ds.setString(tag, vr, value);
            }
        }
    }
}
