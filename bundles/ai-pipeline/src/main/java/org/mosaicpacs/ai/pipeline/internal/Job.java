package org.mosaicpacs.ai.pipeline.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as stored.
 *
 * @param id             job number
 * @param connector      connector name
 * @param rule           rule name
 * @param studyUid       Study Instance UID
 * @param inputCount     number of input instances
 * @param parameters     the rule's parameters when the job was queued
 * @param callingAeTitle the study's last sender, or null
 * @param state          the state
 * @param attempts       attempts started so far
 * @param maxAttempts    attempts allowed before the job fails
 * @param nextAttemptAt  when a QUEUED or RETRY_WAIT job is due
 * @param createdAt      when it was queued
 * @param updatedAt      last state change
 * @param summary        the connector's summary of a completed job, or null
 * @param lastError      why the last attempt failed, or null
 * @param results        SOP Instance UIDs stored by the job
 */
public record Job(long id, String connector, String rule, String studyUid, int inputCount, Map<String, String> parameters,
                  String callingAeTitle, JobState state, int attempts, int maxAttempts, Instant nextAttemptAt,
                  Instant createdAt, Instant updatedAt, String summary, String lastError, List<String> results) {
}
