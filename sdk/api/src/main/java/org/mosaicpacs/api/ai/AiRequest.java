package org.mosaicpacs.api.ai;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.mosaicpacs.api.index.InstanceRecord;

/**
 * One job as a connector sees it.
 *
 * @param jobId            the pipeline's job number (for logs and for the result's provenance)
 * @param connector        the name of the connector asked, {@value AiConnector#NAME_PROPERTY}
 * @param rule             the name of the rule that selected the connector ({@code "default"} for
 *                         the connector's own rule)
 * @param studyInstanceUid the study to process; results belong in it
 * @param instances        the instances the rule selected, in series and instance number order;
 *                         never empty
 * @param parameters       the rule's parameters (model version, thresholds, ...), possibly empty
 * @param callingAeTitle   who sent the study (last sender), or null if unknown or not DIMSE
 * @param attempt          1 for the first attempt, 2 for the first retry, ...
 */
public record AiRequest(long jobId, String connector, String rule, String studyInstanceUid,
                        List<InstanceRecord> instances, Map<String, String> parameters, String callingAeTitle,
                        int attempt) {

    public AiRequest {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        instances = List.copyOf(instances);
        parameters = Map.copyOf(parameters);
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one instance");
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt counts from 1: " + attempt);
        }
    }

    /** The rule parameter, or {@code defaultValue} if the rule does not set it. */
    public String parameter(String name, String defaultValue) {
        return parameters.getOrDefault(name, defaultValue);
    }
}
