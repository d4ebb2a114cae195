package org.mosaicpacs.api.ai;

/**
 * EventAdmin topics the AI pipeline posts when a job ends, and their properties (Strings unless
 * stated). For notifications and audit; a job's full state is in the pipeline's job list.
 */
public final class AiEvents {

    /** A job's results were stored. Properties: all below; {@link #RESULT_SOP_INSTANCE_UIDS} may be empty. */
    public static final String JOB_COMPLETED = "org/mosaicpacs/ai/JOB_COMPLETED";
    /** A job failed for good (permanent failure, or its last attempt failed). Properties: all but the results, plus {@link #ERROR}. */
    public static final String JOB_FAILED = "org/mosaicpacs/ai/JOB_FAILED";
    /** All AI topics, for a handler's {@code event.topics} property. */
    public static final String ALL = "org/mosaicpacs/ai/*";

    /** The job number (Long). */
    public static final String JOB_ID = "job.id";
    /** The connector's name. */
    public static final String CONNECTOR = "connector";
    /** Study Instance UID. */
    public static final String STUDY_INSTANCE_UID = "study.uid";
    /** SOP Instance UIDs of the stored results (String[]). */
    public static final String RESULT_SOP_INSTANCE_UIDS = "result.sop.uids";
    /** The connector's summary line. */
    public static final String SUMMARY = "summary";
    /** Why the job failed. */
    public static final String ERROR = "error";
    /** Attempts made (Integer). */
    public static final String ATTEMPTS = "attempts";

    private AiEvents() {
    }
}
