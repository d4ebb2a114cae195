package org.mosaicpacs.ai.pipeline.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.mosaicpacs.api.ai.AiConnector;

/**
 * Which studies and instances a connector runs on. Criteria are ANDed, the values of one
 * criterion ORed, an empty criterion matches anything (the semantics documented on
 * {@link AiConnector}).
 *
 * @param name            the rule's name, shown on its jobs ({@value #DEFAULT_RULE} for a connector's own rule)
 * @param connector       the connector's {@value AiConnector#NAME_PROPERTY}
 * @param modalities      Modality of input series
 * @param bodyParts       Body Part Examined of input series, compared ignoring case
 * @param sopClasses      SOP Class UID of input instances
 * @param callingAeTitles calling AE title of the study's last sender
 * @param parameters      handed to the connector
 */
record Rule(String name, String connector, Set<String> modalities, Set<String> bodyParts, Set<String> sopClasses,
            Set<String> callingAeTitles, Map<String, String> parameters) {

    static final String DEFAULT_RULE = "default";

    Rule {
        Objects.requireNonNull(name, "name");
        if (connector == null || connector.isBlank()) {
            throw new IllegalArgumentException("rule " + name + " names no connector");
        }
        modalities = Set.copyOf(modalities);
        bodyParts = normalisedBodyParts(bodyParts);
        sopClasses = Set.copyOf(sopClasses);
        callingAeTitles = Set.copyOf(callingAeTitles);
        parameters = Map.copyOf(parameters);
    }

    /**
     * The default rule a connector declares with its service properties, if it declares one (at
     * least one criterion set).
     */
    static Optional<Rule> ofConnector(String connectorName, Map<String, ?> serviceProperties) {
        Set<String> modalities = values(serviceProperties.get(AiConnector.MODALITY_PROPERTY));
        Set<String> bodyParts = values(serviceProperties.get(AiConnector.BODY_PART_PROPERTY));
        Set<String> sopClasses = values(serviceProperties.get(AiConnector.SOP_CLASS_PROPERTY));
        Set<String> callingAes = values(serviceProperties.get(AiConnector.CALLING_AE_PROPERTY));
        if (modalities.isEmpty() && bodyParts.isEmpty() && sopClasses.isEmpty() && callingAes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Rule(DEFAULT_RULE, connectorName, modalities, bodyParts, sopClasses, callingAes, Map.of()));
    }

    /** Whether a stable study can match at all, from what the study-stable event says. */
    boolean matchesStudy(Collection<String> studyModalities, String callingAeTitle) {
        if (!callingAeTitles.isEmpty() && (callingAeTitle == null || !callingAeTitles.contains(callingAeTitle.trim()))) {
            return false;
        }
        return modalities.isEmpty() || studyModalities.stream().anyMatch(modalities::contains);
    }

    /** Whether a series is input, by its Modality and Body Part Examined. */
    boolean matchesSeries(String modality, String bodyPart) {
        if (!modalities.isEmpty() && (modality == null || !modalities.contains(modality.trim()))) {
            return false;
        }
        return bodyParts.isEmpty() || bodyPart != null && bodyParts.contains(bodyPart.trim().toUpperCase(Locale.ROOT));
    }

    /** Whether an instance of a matching series is input, by its SOP class. */
    boolean matchesSopClass(String sopClassUid) {
        return sopClasses.isEmpty() || sopClasses.contains(sopClassUid);
    }

    /** A String or String[] (or collection) service property as a set of trimmed, non-blank values. */
    static Set<String> values(Object property) {
        List<?> raw;
        if (property == null) {
            return Set.of();
        } else if (property instanceof String[] array) {
            raw = Arrays.asList(array);
        } else if (property instanceof Collection<?> collection) {
            raw = List.copyOf(collection);
        } else {
            raw = List.of(property);
        }
        Set<String> out = new TreeSet<>();
        for (Object o : raw) {
            // a .cfg file or config:property-set may give "CT,MR" as one value
            for (String v : String.valueOf(o).split(",")) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }

    /** Rule parameters from {@code key=value} entries. */
    static Map<String, String> parameters(String[] entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("rule parameter '" + e + "' is not key=value");
            }
            out.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
        }
        return out;
    }

    private static Set<String> normalisedBodyParts(Set<String> bodyParts) {
        Set<String> out = new TreeSet<>();
        bodyParts.forEach(b -> out.add(b.trim().toUpperCase(Locale.ROOT)));
        return Set.copyOf(out);
    }
}
