package org.mosaicpacs.index.jdbc.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;

/** Synthetic instance headers and query helpers for the tests. */
final class Headers {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String SR = "1.2.840.10008.5.1.4.1.1.88.11";

    private Headers() {
    }

    /** An instance header with the usual patient, study, series and instance attributes. */
    static DataSet instance(String patientId, String patientName, String studyUid, String seriesUid, String sopUid,
                            String modality, String sopClassUid) {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClassUid);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
        ds.setString(Tag.StudyDate, VR.DA, "20240115");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AccessionNumber, VR.SH, "ACC-" + studyUid.substring(studyUid.length() - 3));
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.StudyDescription, VR.LO, "Study " + studyUid);
        ds.setString(Tag.PatientName, VR.PN, patientName);
        ds.setString(Tag.PatientID, VR.LO, patientId);
        ds.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        ds.setString(Tag.PatientSex, VR.CS, "O");
        ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, sopUid.substring(sopUid.lastIndexOf('.') + 1));
        return ds;
    }

    static StoredObject object(String sopUid) {
        return new StoredObject("fs", "objects/" + sopUid + ".dcm", 1234, "SHA-256", "ab".repeat(32));
    }

    static RecordOutcome record(ArchiveIndex index, DataSet header) throws IndexException {
        return index.record(header, object(header.getString(Tag.SOPInstanceUID)), UID.ExplicitVRLittleEndian,
                Instant.parse("2024-01-15T10:15:30.123456Z"), false);
    }

    /** Keys from "Keyword=value" pairs; an empty value is a return key. */
    static DataSet keys(String... pairs) {
        DataSet keys = new DataSet();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            int tag = ElementDictionary.tagOf(pair.substring(0, eq));
            String value = pair.substring(eq + 1);
            VR vr = ElementDictionary.vrOf(tag);
            if (value.isEmpty()) {
                keys.setNull(tag, vr);
            } else {
                keys.setString(tag, vr, value.split("\\\\", -1));
            }
        }
        return keys;
    }

    static IndexQuery studyQuery(DataSet keys) {
        return new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys, false, false, false, 0, 0);
    }

    /** All responses of a query. */
    static List<DataSet> all(ArchiveIndex index, IndexQuery query) throws IndexException {
        List<DataSet> out = new ArrayList<>();
        try (QueryResults results = index.query(query)) {
            results.forEachRemaining(out::add);
        }
        return out;
    }

    /** One attribute of every response. */
    static List<String> values(List<DataSet> responses, int tag) {
        return responses.stream().map(r -> String.join("\\", r.getStrings(tag))).toList();
    }
}
