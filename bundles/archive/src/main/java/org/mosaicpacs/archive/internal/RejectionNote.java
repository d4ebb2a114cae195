package org.mosaicpacs.archive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;

/**
 * An IHE IOCM rejection note (transaction RAD-66, Rejection Note Stored): a Key Object Selection
 * document whose Concept Name is one of the rejection codes, listing in its Current Requested
 * Procedure Evidence Sequence the instances it rejects.
 *
 * @param sopInstanceUid the note's own SOP Instance UID
 * @param code           the Concept Name's Code Value (113001, 113037, 113038 or 113039)
 * @param meaning        what the code means, for logs
 * @param references     the instances rejected, as the note lists them
 */
record RejectionNote(String sopInstanceUid, String code, String meaning, List<Reference> references) {

    /** The rejection titles of IOCM, in the DCM coding scheme (PS3.16 Annex D). */
    static final Map<String, String> CODES = Rejection.TITLES;

    /** One rejected instance as the note references it (PS3.3 C.17.2.1). */
    record Reference(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid) {
    }

    RejectionNote {
        references = List.copyOf(references);
    }

    /**
     * The rejection note a stored object is, if it is one: a Key Object Selection document
     * titled with a rejection code. Any other object, including a KOS with another title (a
     * "For Teaching" selection, say), is empty.
     */
    static Optional<RejectionNote> of(DataSet object) {
        if (!UID.KeyObjectSelectionDocumentStorage.equals(object.getString(Tag.SOPClassUID))) {
            return Optional.empty();
        }
        Sequence title = object.getSequence(Tag.ConceptNameCodeSequence);
        if (title == null || title.isEmpty()) {
            return Optional.empty();
        }
        DataSet concept = title.get(0);
        String code = concept.getString(Tag.CodeValue);
        if (!"DCM".equals(concept.getString(Tag.CodingSchemeDesignator)) || code == null || !CODES.containsKey(code)) {
            return Optional.empty();
        }
        List<Reference> references = new ArrayList<>();
        for (DataSet study : items(object, Tag.CurrentRequestedProcedureEvidenceSequence)) {
            String studyUid = study.getString(Tag.StudyInstanceUID);
            for (DataSet series : items(study, Tag.ReferencedSeriesSequence)) {
                String seriesUid = series.getString(Tag.SeriesInstanceUID);
                for (DataSet sop : items(series, Tag.ReferencedSOPSequence)) {
                    references.add(new Reference(studyUid, seriesUid, sop.getString(Tag.ReferencedSOPInstanceUID)));
                }
            }
        }
        return Optional.of(new RejectionNote(object.getString(Tag.SOPInstanceUID), code, CODES.get(code), references));
    }

    private static List<DataSet> items(DataSet parent, int sequenceTag) {
        Sequence sequence = parent.getSequence(sequenceTag);
        return sequence == null ? List.of() : sequence;
    }
}
