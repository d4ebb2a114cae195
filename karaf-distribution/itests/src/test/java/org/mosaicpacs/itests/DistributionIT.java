package org.mosaicpacs.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Boots the distribution as a user gets it and checks the platform promises: every Mosaic bundle
 * active, every Mosaic DS component satisfied, the REST path answering, and an optional feature
 * installed and removed without a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT {

    private static final String MOSAIC = "org.mosaicpacs.";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private FeaturesService features;

    @Inject
    private EventAdmin events;

    @Configuration
    public Option[] config() {
        return MosaicKarafOptions.distribution();
    }

    @Test
    public void everyMosaicBundleIsActive() throws Exception {
        awaitHealthUp();
        // The health resource can answer while Karaf still starts the last boot bundles (or
        // refreshes some): wait for the feature service to finish before judging.
        List<String> notActive = bundlesNotActive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!notActive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            notActive = bundlesNotActive();
        }
        assertThat(context.getBundles()).filteredOn(b -> b.getSymbolicName().startsWith(MOSAIC))
                .as("Mosaic bundles in the boot feature").hasSizeGreaterThanOrEqualTo(3);
        assertThat(notActive).isEmpty();
    }

    private List<String> bundlesNotActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName().startsWith(MOSAIC)) {
                boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
                if (bundle.getState() != expected) {
                    notActive.add(bundle.getSymbolicName() + " state " + bundle.getState());
                }
            }
        }
        return notActive;
    }

    @Test
    public void everyMosaicComponentIsSatisfied() throws Exception {
        awaitHealthUp();
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith(MOSAIC)) {
                continue;
            }
            components++;
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE
                        && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(description.name + " state " + configuration.state + " unsatisfied references "
                            + Arrays.toString(configuration.unsatisfiedReferences) + " " + configuration.failure);
                }
            }
            if (description.configurationPolicy.equals("optional") || description.configurationPolicy.equals("ignore")) {
                assertThat(scr.getComponentConfigurationDTOs(description)).as(description.name).isNotEmpty();
            }
        }
        assertThat(components).isGreaterThanOrEqualTo(2);
        assertThat(problems).isEmpty();
    }

    @Test
    public void theJaxRsWhiteboardRunsOnThePatchedComponentDsl() throws Exception {
        // karaf-distribution/aries-component-dsl: the original 1.2.2 lost /api or /dicom-web at
        // start-up now and then (ConcurrentModificationException in its splitBy).
        awaitHealthUp();
        assertThat(context.getBundles())
                .filteredOn(b -> b.getSymbolicName().equals("org.apache.aries.component-dsl.component-dsl"))
                .extracting(b -> b.getVersion().toString())
                .containsExactly("1.2.2.mosaic-1");
    }

    @Test
    public void healthAnswersWithVersionAndComponentStates() throws Exception {
        HttpResponse<String> response = awaitHealthUp();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body())
                .contains("\"status\":\"UP\"")
                .contains("\"version\":\"")
                .contains("org.mosaicpacs.rest.admin.internal.HealthResource");
    }

    @Test
    public void optionalFeatureInstallsAndUninstallsWithoutRestart() throws Exception {
        awaitHealthUp();
        String feature = "mosaic-sample-vendor-sop";
        assertThat(features.isInstalled(features.getFeature(feature))).as(feature + " is not part of the boot").isFalse();

        features.installFeature(feature, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Feature installed = features.getFeature(feature);
        assertThat(features.isInstalled(installed)).isTrue();
        assertThat(bundleState("org.mosaicpacs.sample.vendor.sop")).isEqualTo(Bundle.ACTIVE);
        awaitHealthUp();

        features.uninstallFeature(feature, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertThat(features.isInstalled(installed)).isFalse();
        assertThat(bundleState("org.mosaicpacs.sample.vendor.sop")).isEqualTo(-1);
        // The REST path survived both changes.
        awaitHealthUp();
    }

    private int bundleState(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName().equals(symbolicName)) {
                return bundle.getState();
            }
        }
        return -1;
    }

    /** Polls {@code /api/health} until it answers 200 UP: HTTP comes up asynchronously after boot. */
    private HttpResponse<String> awaitHealthUp() throws Exception {
        int port = Integer.getInteger("mosaic.itest.httpPort");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response;
                }
                last = response.statusCode() + " " + response.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("GET /api/health did not answer 200 within " + WAIT + ": " + last);
    }

    /**
     * Felix Event Admin's default puts a handler that once takes longer than 5 s on a deny list and
     * never calls it again. The distribution turns that off: a handler that was slow once (a GC
     * pause, a slow disk) must still get the next event, or the metadata cache and the AI
     * pipeline would stop hearing of new instances until a restart.
     */
    @Test
    public void anEventHandlerThatWasSlowOnceStillGetsTheNextEvent() throws Exception {
        String topic = "org/mosaicpacs/itest/SLOW_HANDLER";
        BlockingQueue<Integer> received = new LinkedBlockingQueue<>();
        EventHandler slowOnce = event -> {
            int n = (Integer) event.getProperty("n");
            if (n == 2) {
                try {
                    Thread.sleep(6_000); // longer than Felix's default timeout of 5000 ms
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            received.add(n);
        };
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, topic);
        ServiceRegistration<EventHandler> registration = context.registerService(EventHandler.class, slowOnce, props);
        try {
            // Felix times a handler from its second event on (the first obtains the handler untimed)
            for (int n = 1; n <= 3; n++) {
                events.postEvent(new Event(topic, Map.of("n", n)));
                assertThat(received.poll(30, TimeUnit.SECONDS)).as("event %d (the second is slow)", n).isEqualTo(n);
            }
        } finally {
            registration.unregister();
        }
    }
}
