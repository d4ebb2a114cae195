package org.mosaicpacs.api.mpps;

/**
 * EventAdmin topics the MPPS SCP posts (asynchronously, after the change is committed) and the
 * names of their properties. Every event carries {@link #SOP_INSTANCE_UID}, {@link #STATUS},
 * {@link #STUDY_INSTANCE_UIDS}, {@link #SERIES_INSTANCE_UIDS}, {@link #WORKLIST_ITEM_IDS} and
 * {@link #PERFORMED_STATION_AE_TITLE}; none carries patient data (names, IDs, dates of birth).
 *
 * <p>One N-CREATE raises {@link #IN_PROGRESS}; an N-SET raises {@link #UPDATED} while the step
 * stays IN PROGRESS, {@link #COMPLETED} or {@link #DISCONTINUED} when it sets that final status.
 */
public final class MppsEvents {

    /** A performed procedure step was created (N-CREATE, status IN PROGRESS). */
    public static final String IN_PROGRESS = "org/mosaicpacs/mpps/IN_PROGRESS";
    /** A performed procedure step still IN PROGRESS was changed (N-SET). */
    public static final String UPDATED = "org/mosaicpacs/mpps/UPDATED";
    /** A performed procedure step was set to COMPLETED; it is final. */
    public static final String COMPLETED = "org/mosaicpacs/mpps/COMPLETED";
    /** A performed procedure step was set to DISCONTINUED; it is final. */
    public static final String DISCONTINUED = "org/mosaicpacs/mpps/DISCONTINUED";
    /** All MPPS topics, for a handler's {@code event.topics} property. */
    public static final String ALL = "org/mosaicpacs/mpps/*";

    /** SOP Instance UID of the performed procedure step (String). */
    public static final String SOP_INSTANCE_UID = "mpps.uid";
    /** Performed Procedure Step Status (0040,0252) after the change: one of the values below (String). */
    public static final String STATUS = "mpps.status";
    /** Study Instance UIDs of the Scheduled Step Attributes Sequence items (String[]). */
    public static final String STUDY_INSTANCE_UIDS = "study.uids";
    /** Series Instance UIDs of the Performed Series Sequence items (String[], may be empty). */
    public static final String SERIES_INSTANCE_UIDS = "series.uids";
    /** Ids of the linked worklist items ({@code WorklistItem.id()}, String[], may be empty). */
    public static final String WORKLIST_ITEM_IDS = "worklist.items";
    /** Performed Station AE Title (0040,0241) (String). */
    public static final String PERFORMED_STATION_AE_TITLE = "station.aet";

    /** Status value: started but not complete. */
    public static final String STATUS_IN_PROGRESS = "IN PROGRESS";
    /** Status value: successfully completed. */
    public static final String STATUS_COMPLETED = "COMPLETED";
    /** Status value: cancelled or unsuccessfully terminated. */
    public static final String STATUS_DISCONTINUED = "DISCONTINUED";

    private MppsEvents() {
    }
}
