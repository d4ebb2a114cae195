package org.mosaicpacs.api.archive;

/**
 * EventAdmin topics the archive posts (asynchronously, after the change is committed) and the
 * names of their properties. Property values are Strings unless stated.
 */
public final class ArchiveEvents {

    /** An instance was stored (or replaced). Properties: all of the UID and source properties below. */
    public static final String INSTANCE_STORED = "org/mosaicpacs/archive/INSTANCE_STORED";
    /** A series got new or replaced instances. Properties: study, series, modality, {@link #INSTANCE_COUNT}. */
    public static final String SERIES_UPDATED = "org/mosaicpacs/archive/SERIES_UPDATED";
    /** A study got new or replaced instances. Properties: study, {@link #INSTANCE_COUNT}. */
    public static final String STUDY_UPDATED = "org/mosaicpacs/archive/STUDY_UPDATED";
    /**
     * No instance arrived for a study during the configured stable time: the study is presumably
     * complete (AI connectors and routing wait for this). Properties: study, {@link #MODALITIES},
     * {@link #INSTANCE_COUNT}, {@link #CALLING_AE_TITLE} of the last sender.
     */
    public static final String STUDY_STABLE = "org/mosaicpacs/archive/STUDY_STABLE";
    /**
     * Instances of a series were deleted ({@link Archive#delete}, or an IHE IOCM rejection note the
     * archive is configured to act on). Properties: study, series,
     * {@link #INSTANCE_COUNT} of instances deleted from the series.
     */
    public static final String SERIES_DELETED = "org/mosaicpacs/archive/SERIES_DELETED";
    /**
     * A study was deleted: it has no instance left ({@link Archive#delete}, or a rejection note).
     * Properties: study,
     * {@link #INSTANCE_COUNT} of instances deleted by that call.
     */
    public static final String STUDY_DELETED = "org/mosaicpacs/archive/STUDY_DELETED";
    /** All archive topics, for a handler's {@code event.topics} property. */
    public static final String ALL = "org/mosaicpacs/archive/*";

    /** Study Instance UID. */
    public static final String STUDY_INSTANCE_UID = "study.uid";
    /** Series Instance UID. */
    public static final String SERIES_INSTANCE_UID = "series.uid";
    /** SOP Instance UID. */
    public static final String SOP_INSTANCE_UID = "sop.uid";
    /** SOP Class UID. */
    public static final String SOP_CLASS_UID = "sop.class.uid";
    /** Modality of the series (0008,0060). */
    public static final String MODALITY = "modality";
    /** Modalities in the study (String[]). */
    public static final String MODALITIES = "modalities";
    /** Body Part Examined (0018,0015) of the series, if present. */
    public static final String BODY_PART = "body.part";
    /** Number of instances of the series or study after the change (Integer). */
    public static final String INSTANCE_COUNT = "instance.count";
    /** Calling AE title of the sender, for DIMSE sources. */
    public static final String CALLING_AE_TITLE = "calling.aet";
    /** Where the object came from: {@link StoreRequest#source()}. */
    public static final String SOURCE = "source";

    private ArchiveEvents() {
    }
}
