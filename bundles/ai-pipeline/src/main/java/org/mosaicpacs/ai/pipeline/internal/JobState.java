package org.mosaicpacs.ai.pipeline.internal;

/** Where a job is in its life. */
public enum JobState {
    /** Waiting for a worker (or for its connector to be installed). */
    QUEUED,
    /** A worker of some node holds it (until its lease ends). */
    RUNNING,
    /** An attempt failed transiently; the next one is due at the job's next attempt time. */
    RETRY_WAIT,
    /** The connector's results are stored. */
    COMPLETED,
    /** Failed permanently or on its last attempt; an admin may retry it. */
    FAILED
}
