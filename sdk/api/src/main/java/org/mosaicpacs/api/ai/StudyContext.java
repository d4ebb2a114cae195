package org.mosaicpacs.api.ai;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * The identity a result object shares with the study it belongs to: the Patient (PS3.3 C.7.1.1),
 * General Study (C.7.2.1) and Patient Study (C.7.2.2) module attributes, copied from an input
 * instance so that a result is filed under exactly the same patient and study.
 */
public final class StudyContext {

    /** Attributes copied, with their VR; Type 2 ones are written empty when the source lacks them. */
    private static final Object[][] ATTRIBUTES = {
        {Tag.SpecificCharacterSet, VR.CS, false},
        {Tag.PatientName, VR.PN, true},
        {Tag.PatientID, VR.LO, true},
        {Tag.IssuerOfPatientID, VR.LO, false},
        {Tag.PatientBirthDate, VR.DA, true},
        {Tag.PatientSex, VR.CS, true},
        {Tag.PatientAge, VR.AS, false},
        {Tag.PatientSize, VR.DS, false},
        {Tag.PatientWeight, VR.DS, false},
        {Tag.StudyInstanceUID, VR.UI, true},
        {Tag.StudyDate, VR.DA, true},
        {Tag.StudyTime, VR.TM, true},
        {Tag.ReferringPhysicianName, VR.PN, true},
        {Tag.StudyID, VR.SH, true},
        {Tag.AccessionNumber, VR.SH, true},
        {Tag.StudyDescription, VR.LO, false},
    };

    private StudyContext() {
    }

    /**
     * Copies the patient and study attributes of {@code source} into {@code target}.
     *
     * @return {@code target}
     */
    public static DataSet copy(DataSet source, DataSet target) {
        for (Object[] a : ATTRIBUTES) {
            int tag = (Integer) a[0];
            VR vr = (VR) a[1];
            String[] values = source.getStrings(tag);
            if (values != null && values.length > 0) {
                target.setString(tag, vr, values);
            } else if ((Boolean) a[2]) {
                target.setNull(tag, vr);
            }
        }
        return target;
    }
}
