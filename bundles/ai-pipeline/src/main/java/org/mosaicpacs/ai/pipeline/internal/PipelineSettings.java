package org.mosaicpacs.ai.pipeline.internal;

/**
 * The pipeline's configuration in the units the code uses.
 *
 * @param workers          jobs run at once on this node
 * @param pollMillis       how often the queue is looked at (besides when a job is queued or ends)
 * @param jobTimeoutMillis how long one attempt may run before it is interrupted
 * @param maxAttempts      attempts before a job fails for good
 * @param retryBaseMillis  wait after the first failed attempt; doubled after each further one
 * @param retryMaxMillis   the longest wait between attempts
 * @param connectorRules   whether connectors' own default rules apply (admin rules always do)
 */
record PipelineSettings(int workers, long pollMillis, long jobTimeoutMillis, int maxAttempts, long retryBaseMillis,
                        long retryMaxMillis, boolean connectorRules) {

    PipelineSettings {
        if (workers < 1 || pollMillis < 1 || jobTimeoutMillis < 1 || maxAttempts < 1 || retryBaseMillis < 0
                || retryMaxMillis < retryBaseMillis) {
            throw new IllegalArgumentException("invalid AI pipeline settings: workers " + workers + ", poll " + pollMillis
                    + " ms, timeout " + jobTimeoutMillis + " ms, attempts " + maxAttempts + ", retry " + retryBaseMillis
                    + "-" + retryMaxMillis + " ms");
        }
    }

    /** The wait before the attempt after attempt number {@code attempt} (1-based): base, 2 x base, 4 x base... capped. */
    long backoffMillis(int attempt) {
        long wait = retryBaseMillis;
        for (int i = 1; i < attempt && wait < retryMaxMillis; i++) {
            wait *= 2;
        }
        return Math.min(wait, retryMaxMillis);
    }

    /**
     * How long a node holds a claimed job: the attempt's time-out plus a margin for storing the
     * results. Another node takes the job over only after this, so it must outlast a slow attempt.
     */
    long leaseMillis() {
        return jobTimeoutMillis * 2 + 60_000;
    }
}
