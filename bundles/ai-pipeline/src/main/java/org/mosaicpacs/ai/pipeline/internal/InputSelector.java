package org.mosaicpacs.ai.pipeline.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * Finds the instances of a study a rule selects, through the index: series by Modality and Body
 * Part Examined (a series-level query), then their instances by SOP class.
 */
final class InputSelector {

    private final ArchiveIndex index;

    InputSelector(ArchiveIndex index) {
        this.index = index;
    }

    /**
     * The instances of the study the rule selects, in series and instance number order.
     *
     * @param excludedSeries series never used as input (those AI jobs wrote)
     */
    List<InstanceRecord> select(Rule rule, String studyUid, Set<String> excludedSeries) throws IndexException {
        Set<String> series = new TreeSet<>();
        DataSet keys = new DataSet();
        keys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        keys.setNull(Tag.SeriesInstanceUID, VR.UI);
        keys.setNull(Tag.Modality, VR.CS);
        keys.setNull(Tag.BodyPartExamined, VR.CS);
        try (QueryResults results = index.query(new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.SERIES, keys,
                false, false, false, 0, 0))) {
            while (results.hasNext()) {
                DataSet s = results.next();
                String uid = s.getString(Tag.SeriesInstanceUID);
                if (uid != null && !excludedSeries.contains(uid)
                        && rule.matchesSeries(s.getString(Tag.Modality), s.getString(Tag.BodyPartExamined))) {
                    series.add(uid);
                }
            }
        }
        if (series.isEmpty()) {
            return List.of();
        }
        return index.findInstances(studyUid, null).stream()
                .filter(i -> series.contains(i.seriesInstanceUid()) && rule.matchesSopClass(i.sopClassUid()))
                .toList();
    }

    /** What identifies a set of inputs: SHA-256 of the sorted SOP Instance UIDs, hex. */
    static String inputKey(List<InstanceRecord> instances) {
        Set<String> uids = new TreeSet<>();
        instances.forEach(i -> uids.add(i.sopInstanceUid()));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(String.join("\n", uids).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
