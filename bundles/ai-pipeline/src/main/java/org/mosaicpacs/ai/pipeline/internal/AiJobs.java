package org.mosaicpacs.ai.pipeline.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The job queue as admins see it, for the REST resource and the shell commands (a service of
 * this bundle only: its package is not exported).
 */
public interface AiJobs {

    /** A registered connector and its default rule, if it has one and default rules are on. */
    record ConnectorInfo(String name, int ranking, String defaultRule) {
    }

    /** A rule in force, as text. */
    record RuleInfo(String name, String connector, List<String> modalities, List<String> bodyParts,
                    List<String> sopClasses, List<String> callingAeTitles, List<String> parameters) {
    }

    /** Jobs, newest first; null filters match everything. */
    List<Job> jobs(JobState state, String studyUid, String connector, int limit) throws SQLException;

    Optional<Job> job(long id) throws SQLException;

    /** Queues a COMPLETED or FAILED job again with fresh attempts; false if it is queued, running or unknown. */
    boolean retry(long id) throws SQLException;

    List<ConnectorInfo> connectors();

    List<RuleInfo> rules();
}
