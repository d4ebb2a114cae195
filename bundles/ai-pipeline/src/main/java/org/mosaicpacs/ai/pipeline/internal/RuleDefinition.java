package org.mosaicpacs.ai.pipeline.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One admin rule, one factory configuration {@code org.mosaicpacs.ai.rule~<name>}: DS creates an
 * instance per configuration and the pipeline collects them.
 */
@Component(service = RuleDefinition.class, configurationPid = RuleDefinition.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RuleDefinition.Config.class, factory = true)
public class RuleDefinition {

    /** Factory PID of AI rules. */
    public static final String FACTORY_PID = "org.mosaicpacs.ai.rule";

    @ObjectClassDefinition(name = "Mosaic AI rule", description = "Runs an AI connector on stable studies that match. "
            + "Criteria are ANDed; the values of one criterion are ORed; an empty criterion matches anything.")
    public @interface Config {

        @AttributeDefinition(name = "Name", description = "Shown on the jobs the rule creates.")
        String name();

        @AttributeDefinition(name = "Connector", description = "The mosaic.ai.name of the connector to run.")
        String connector();

        @AttributeDefinition(name = "Modalities", description = "Modality (0008,0060) of input series, e.g. CT.")
        String[] modalities() default {};

        @AttributeDefinition(name = "Body parts", description = "Body Part Examined (0018,0015) of input series, e.g. CHEST.")
        String[] bodyParts() default {};

        @AttributeDefinition(name = "SOP classes", description = "SOP Class UIDs of input instances.")
        String[] sopClasses() default {};

        @AttributeDefinition(name = "Calling AE titles", description = "Only studies whose last sender used one of these AE titles.")
        String[] callingAeTitles() default {};

        @AttributeDefinition(name = "Parameters", description = "key=value entries handed to the connector.")
        String[] parameters() default {};
    }

    private final Rule rule;

    @Activate
    public RuleDefinition(Config config) {
        this.rule = new Rule(config.name(), config.connector().trim(), Rule.values(config.modalities()),
                Rule.values(config.bodyParts()), Rule.values(config.sopClasses()), Rule.values(config.callingAeTitles()),
                Rule.parameters(config.parameters()));
    }

    Rule rule() {
        return rule;
    }
}
