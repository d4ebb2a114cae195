package org.mosaicpacs.api.ai;

/**
 * A connector could not process a job. {@link #retryable()} tells the pipeline whether another
 * attempt may succeed. The message is shown on the job to admins: say what failed and why,
 * without patient data.
 */
public class AiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /** For subclasses that carry more detail; use the factories otherwise. */
    protected AiException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A failure that may go away (service down, HTTP 5xx, time-out): the job is retried with back-off. */
    public static AiException transientFailure(String message, Throwable cause) {
        return new AiException(message, cause, true);
    }

    /** A failure that will not go away (input the algorithm cannot use): the job fails without retrying. */
    public static AiException permanentFailure(String message) {
        return new AiException(message, null, false);
    }

    /** A failure that will not go away, with its cause. */
    public static AiException permanentFailure(String message, Throwable cause) {
        return new AiException(message, cause, false);
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
