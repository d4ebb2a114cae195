package org.mosaicpacs.ai.pipeline.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.mosaicpacs.api.ai.AiConnector;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveEvents;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI pipeline in OSGi: listens for {@link ArchiveEvents#STUDY_STABLE}, collects
 * {@link AiConnector} services and {@link RuleDefinition}s from the whiteboard, and keeps its job
 * queue in the {@code DataSource} named {@code mosaic} (tables {@code ai_job*}, created by this
 * bundle's own migration). Immediate, so queued jobs resume when the bundle starts.
 */
@Component(service = {EventHandler.class, AiJobs.class}, immediate = true,
        configurationPid = AiPipelineComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = EventConstants.EVENT_TOPIC + "=" + ArchiveEvents.STUDY_STABLE)
@Designate(ocd = AiPipelineComponent.Config.class)
public class AiPipelineComponent implements EventHandler, AiJobs {

    static final String PID = "org.mosaicpacs.ai.pipeline";
    private static final Logger LOG = LoggerFactory.getLogger(AiPipelineComponent.class);

    @ObjectClassDefinition(name = "Mosaic AI pipeline", description = "Runs AI connectors on stable studies as durable jobs with retries.")
    public @interface Config {

        @AttributeDefinition(name = "Workers", description = "AI jobs run at once on this node.")
        int workers() default 2;

        @AttributeDefinition(name = "Poll interval (s)", description = "How often the queue is checked for due jobs "
                + "(also checked at once when a job is queued or ends).")
        int pollSeconds() default 5;

        @AttributeDefinition(name = "Job time-out (s)", description = "An attempt running longer is interrupted and retried.")
        int jobTimeoutSeconds() default 600;

        @AttributeDefinition(name = "Attempts", description = "Attempts before a job is marked FAILED.")
        int maxAttempts() default 3;

        @AttributeDefinition(name = "First retry after (s)", description = "Wait after the first failed attempt; doubled after each further one.")
        int retryBaseSeconds() default 30;

        @AttributeDefinition(name = "Longest retry wait (s)", description = "Upper bound of the wait between attempts.")
        int retryMaxSeconds() default 3600;

        @AttributeDefinition(name = "Connector default rules", description = "Run connectors on the studies their own "
                + "mosaic.ai.* properties select; off: only admin rules (factory PID org.mosaicpacs.ai.rule) apply.")
        boolean connectorRules() default true;

        @AttributeDefinition(name = "DataSource filter", description = "The DataSource holding the job tables.")
        String dataSource_target() default "(dataSourceName=mosaic)";
    }

    private final Pipeline pipeline;

    @Activate
    public AiPipelineComponent(@Reference(name = "dataSource", target = "(dataSourceName=mosaic)") DataSource dataSource,
                               @Reference ArchiveIndex index, @Reference Archive archive, @Reference EventAdmin eventAdmin,
                               Config config) throws SQLException {
        JobStore store = new JobStore(dataSource);
        store.migrate();
        PipelineSettings settings = new PipelineSettings(config.workers(), config.pollSeconds() * 1000L,
                config.jobTimeoutSeconds() * 1000L, config.maxAttempts(), config.retryBaseSeconds() * 1000L,
                config.retryMaxSeconds() * 1000L, config.connectorRules());
        this.pipeline = new Pipeline(store, index, archive, eventAdmin::postEvent, settings, Clock.systemUTC());
        pipeline.start();
        LOG.info("AI pipeline: {} worker(s), time-out {} s, {} attempt(s), retry after {}-{} s, connector rules {}",
                settings.workers(), config.jobTimeoutSeconds(), settings.maxAttempts(), config.retryBaseSeconds(),
                config.retryMaxSeconds(), settings.connectorRules() ? "on" : "off");
    }

    @Deactivate
    void deactivate() {
        pipeline.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "updatedConnector")
    void addConnector(ServiceReference<AiConnector> reference, AiConnector connector) {
        Object nameProperty = reference.getProperty(AiConnector.NAME_PROPERTY);
        if (!(nameProperty instanceof String name) || name.isBlank()) {
            LOG.warn("AI connector service {} from bundle {} has no {} property: ignored",
                    reference.getProperty(Constants.SERVICE_ID), reference.getBundle().getSymbolicName(),
                    AiConnector.NAME_PROPERTY);
            return;
        }
        Map<String, Object> props = new java.util.HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            props.put(key, reference.getProperty(key));
        }
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        Optional<Rule> rule = Rule.ofConnector(name.trim(), props);
        pipeline.addConnector(reference, new Pipeline.ConnectorEntry(name.trim(), connector,
                ranking instanceof Integer r ? r : 0, (Long) reference.getProperty(Constants.SERVICE_ID), rule));
        LOG.info("AI connector {} registered{}", name, rule.map(r -> " with default rule " + describe(r)).orElse(""));
    }

    void removeConnector(ServiceReference<AiConnector> reference) {
        pipeline.removeConnector(reference);
    }

    /** A connector's properties changed (its configuration was edited): its default rule may have. */
    void updatedConnector(ServiceReference<AiConnector> reference, AiConnector connector) {
        pipeline.removeConnector(reference);
        addConnector(reference, connector);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRule(ServiceReference<RuleDefinition> reference, RuleDefinition definition) {
        pipeline.addRule(reference, definition.rule());
    }

    void removeRule(ServiceReference<RuleDefinition> reference) {
        pipeline.removeRule(reference);
    }

    @Override
    public void handleEvent(Event event) {
        Object study = event.getProperty(ArchiveEvents.STUDY_INSTANCE_UID);
        if (!(study instanceof String studyUid)) {
            return;
        }
        Object calling = event.getProperty(ArchiveEvents.CALLING_AE_TITLE);
        pipeline.studyStable(studyUid, modalities(event.getProperty(ArchiveEvents.MODALITIES)),
                calling instanceof String s ? s : null);
    }

    private static Collection<String> modalities(Object property) {
        if (property instanceof String[] array) {
            return Arrays.asList(array);
        }
        if (property instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return property == null ? List.of() : List.of(String.valueOf(property));
    }

    @Override
    public List<Job> jobs(JobState state, String studyUid, String connector, int limit) throws SQLException {
        return pipeline.jobs(state, studyUid, connector, limit);
    }

    @Override
    public Optional<Job> job(long id) throws SQLException {
        return pipeline.job(id);
    }

    @Override
    public boolean retry(long id) throws SQLException {
        return pipeline.retry(id);
    }

    @Override
    public List<ConnectorInfo> connectors() {
        return pipeline.connectors().stream()
                .map(c -> new ConnectorInfo(c.name(), c.ranking(), c.defaultRule().map(AiPipelineComponent::describe).orElse(null)))
                .toList();
    }

    @Override
    public List<RuleInfo> rules() {
        return pipeline.activeRules().stream()
                .map(r -> new RuleInfo(r.name(), r.connector(), List.copyOf(r.modalities()), List.copyOf(r.bodyParts()),
                        List.copyOf(r.sopClasses()), List.copyOf(r.callingAeTitles()),
                        r.parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList()))
                .toList();
    }

    static String describe(Rule r) {
        StringBuilder sb = new StringBuilder();
        append(sb, "modality", r.modalities());
        append(sb, "body part", r.bodyParts());
        append(sb, "SOP class", r.sopClasses());
        append(sb, "calling AE", r.callingAeTitles());
        return sb.length() == 0 ? "any" : sb.toString();
    }

    private static void append(StringBuilder sb, String what, Collection<String> values) {
        if (!values.isEmpty()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(what).append(' ').append(String.join("|", values));
        }
    }
}
