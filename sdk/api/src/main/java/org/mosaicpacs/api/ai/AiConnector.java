package org.mosaicpacs.api.ai;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs an algorithm on a study and returns what it found as DICOM objects: an in-process model,
 * or a client of an external inference service.
 *
 * <p>Register it as a service with {@link AiConnectorProperties}: {@value #NAME_PROPERTY} names
 * it (rules and jobs refer to it by that name, so keep it stable across versions), and the
 * optional {@value #MODALITY_PROPERTY}, {@value #BODY_PART_PROPERTY}, {@value #SOP_CLASS_PROPERTY}
 * and {@value #CALLING_AE_PROPERTY} properties form the connector's default rule: a connector
 * that sets at least one of them runs for every stable study they match, without an admin rule.
 * A connector that sets none runs only where an admin's rule names it. All criteria are ANDed;
 * the values of one criterion are ORed; an absent criterion matches anything.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>Threads: {@link #process} is called on a pipeline worker thread, never on an EventAdmin or
 *     network thread, so it may block on I/O and computation. Several jobs run concurrently, for
 *     different studies and for the same connector: implementations must be thread-safe and keep
 *     no per-job state in fields.</li>
 * <li>Time: the pipeline interrupts a call that runs longer than its configured job timeout and
 *     counts it as a transient failure. Long computations should check
 *     {@link Thread#isInterrupted()} and blocking I/O should have timeouts of its own.</li>
 * <li>Failures: throw {@link AiException#transientFailure} for what may succeed later (service
 *     unreachable, HTTP 5xx, time-out): the job is retried with back-off up to the configured
 *     number of attempts, then marked failed. Throw {@link AiException#permanentFailure} for what
 *     will never succeed (input the algorithm cannot handle): the job fails at once. Any other
 *     exception counts as transient. Nothing is lost silently: every failure is recorded on the
 *     job with its message and stays visible until an admin retries or removes it.</li>
 * <li>Results: the returned objects are stored by the pipeline, not by the connector; a job whose
 *     objects cannot all be stored is retried, so a connector must produce the same SOP Instance
 *     UIDs again or accept duplicates being stored under new UIDs (the archive's duplicate policy
 *     applies to repeated UIDs).</li>
 * <li>Reading input: the request names the instances; read them with
 *     {@link org.mosaicpacs.api.archive.Archive#open}.</li>
 * </ul>
 */
@ConsumerType
public interface AiConnector {

    /** Service property: the connector's name, unique among connectors (String). */
    String NAME_PROPERTY = "mosaic.ai.name";

    /** Service property of the default rule: Modality values (0008,0060) of input series (String or String[]). */
    String MODALITY_PROPERTY = "mosaic.ai.modality";

    /** Service property of the default rule: Body Part Examined values (0018,0015) of input series (String or String[]). */
    String BODY_PART_PROPERTY = "mosaic.ai.bodypart";

    /** Service property of the default rule: SOP Class UIDs of input instances (String or String[]). */
    String SOP_CLASS_PROPERTY = "mosaic.ai.sopclass";

    /** Service property of the default rule: calling AE titles of the sender of the study (String or String[]). */
    String CALLING_AE_PROPERTY = "mosaic.ai.callingaet";

    /**
     * Processes one job.
     *
     * @param request the study, the instances selected by the rule, the rule's parameters
     * @return the objects to store in the study (possibly none) and a one-line summary
     * @throws AiException for a failure, saying whether retrying can help
     * @throws InterruptedException if interrupted (the job timed out or the pipeline stops); the
     *                              attempt counts as a transient failure
     */
    AiResult process(AiRequest request) throws AiException, InterruptedException;
}
