package org.mosaicpacs.ai.http.connector.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.mosaicpacs.api.ai.AiConnector;
import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.api.ai.AiRequest;
import org.mosaicpacs.api.ai.AiResult;
import org.mosaicpacs.api.archive.Archive;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One external inference endpoint as an {@link AiConnector}, one factory configuration
 * {@code org.mosaicpacs.ai.http~<name>} each. The configuration's {@code mosaic.ai.*} properties
 * become the service's, so the same file names the connector and its default rule.
 */
@Component(service = AiConnector.class, configurationPid = HttpAiConnector.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = HttpAiConnector.Config.class, factory = true)
public class HttpAiConnector implements AiConnector {

    /** Factory PID of HTTP connectors. */
    public static final String FACTORY_PID = "org.mosaicpacs.ai.http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpAiConnector.class);

    @ObjectClassDefinition(name = "Mosaic AI HTTP connector", description = "Sends studies to an external inference "
            + "service and stores what it answers (SEG, SR, or JSON findings as an SR).")
    public @interface Config {

        @AttributeDefinition(name = "Connector name", description = "mosaic.ai.name: what rules and jobs call it.")
        String mosaic_ai_name();

        @AttributeDefinition(name = "Modalities", description = "mosaic.ai.modality: default rule (empty: admin rules only).")
        String[] mosaic_ai_modality() default {};

        @AttributeDefinition(name = "Body parts", description = "mosaic.ai.bodypart: default rule.")
        String[] mosaic_ai_bodypart() default {};

        @AttributeDefinition(name = "Inference URL", description = "Where the study is POSTed.")
        String url();

        @AttributeDefinition(name = "Authorization header", description = "Name of the header carrying the credential.")
        String authorizationHeader() default "Authorization";

        @AttributeDefinition(name = "Authorization", description = "Its value, e.g. 'Bearer <token>'; empty: none.",
                type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
        String authorization() default "";

        @AttributeDefinition(name = "Payload", description = "DICOMWEB_URLS: a JSON list of WADO-RS URLs; INSTANCES: "
                + "the instances as multipart/related application/dicom.")
        Payload payload() default Payload.DICOMWEB_URLS;

        @AttributeDefinition(name = "DICOMweb base URL", description = "How the service reaches this archive's "
                + "DICOMweb, for DICOMWEB_URLS.")
        String dicomWebBaseUrl() default "http://127.0.0.1:8181/dicom-web";

        @AttributeDefinition(name = "Connect time-out (s)")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(name = "Request time-out (s)", description = "Longest wait for the answer; then the attempt "
                + "fails transiently and is retried. Keep it below the pipeline's job time-out.")
        int requestTimeoutSeconds() default 300;

        @AttributeDefinition(name = "Largest answer (MB)")
        int maxResponseMB() default 512;

        @AttributeDefinition(name = "Report series number", description = "Series Number of SRs made from JSON findings.")
        int reportSeriesNumber() default 9200;
    }

    private final ExecutorService executor;
    private final InferenceClient client;

    @Activate
    public HttpAiConnector(@Reference Archive archive, Config config) {
        URI url = URI.create(config.url().trim());
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("AI connector " + config.mosaic_ai_name() + ": url must be http(s), is " + url);
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mosaic-ai-http-" + config.mosaic_ai_name() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().executor(executor)
                .connectTimeout(Duration.ofSeconds(config.connectTimeoutSeconds()))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.client = new InferenceClient(http, archive, new InferenceClient.Settings(config.mosaic_ai_name(), url,
                config.authorizationHeader(), config.authorization(), config.payload(), config.dicomWebBaseUrl(),
                Duration.ofSeconds(config.requestTimeoutSeconds()), config.maxResponseMB() * 1024L * 1024L,
                config.reportSeriesNumber()));
        LOG.info("AI HTTP connector {} -> {} ({})", config.mosaic_ai_name(), url, config.payload());
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public AiResult process(AiRequest request) throws AiException, InterruptedException {
        return client.process(request);
    }
}
