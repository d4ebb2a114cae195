package org.mosaicpacs.api.index;

/** The query information model (PS3.4 C.6): which entity is the root of the hierarchy. */
public enum InformationModel {
    /** Patient Root: PATIENT, STUDY, SERIES, IMAGE. */
    PATIENT_ROOT,
    /** Study Root: STUDY, SERIES, IMAGE, patient attributes as study attributes. */
    STUDY_ROOT
}
