package org.mosaicpacs.itests.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.Ports;

/**
 * The JAX-RS whiteboard applications ({@code /api}, {@code /dicom-web}) survive each other's
 * re-creation and the runtime changes an admin makes: restarting either REST bundle, installing
 * and removing an HttpService-based feature (the web console, which makes pax-web restart its
 * default context), changing a codec feature, restarting the server, and moving the HTTP port live
 * away from a port another program took.
 *
 * <p>Regression test for CXF's single HTTP destination registry shared by every application's
 * bus (see {@code org.apache.cxf.osgi.http.transport.disable} in the assembly POM): with it shared,
 * each of these steps left one application or both answering 404 "No service was found." until
 * its bundle restarted.
 *
 * <p>"Answering" is judged once the whiteboard has settled: both paths answer on every sample for
 * {@link #STEADY} while the JAX-RS service runtime's {@code service.changecount} stays the same,
 * so an application torn down a moment after the step is not missed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestResilienceIT {

    /** Each application's path and the statuses that mean it is up (QIDO-RS on an empty archive: 204). */
    private record Endpoint(String path, Set<Integer> up) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/api/health", Set.of(200)),
            new Endpoint("/dicom-web/studies", Set.of(200, 204)),
            new Endpoint("/viewer/", Set.of(200)));

    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(90);
    private static final Duration STEADY = Duration.ofSeconds(2);
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(250);
    private static final String SET_HTTP_PORT = "config:property-set -p org.ops4j.pax.web org.osgi.service.http.port ";
    private static final Pattern CHANGE_COUNT = Pattern.compile("service\\.changecount\\s*=\\s*(\\d+)");

    private MosaicServer server;

    @BeforeAll
    void start() {
        server = MosaicServer.unpack(Path.of("target/rest-resilience-server").toAbsolutePath(), false);
        server.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void restartingEitherRestBundleLeavesBothApplicationsAnswering() {
        long before = awaitBothAnswering("before the bundle restarts");
        for (String bundle : List.of("org.mosaicpacs.dicomweb", "org.mosaicpacs.rest.admin")) {
            server.shell("bundle:restart " + bundle);
            long after = awaitBothAnswering("after bundle:restart " + bundle);
            assertThat(after).as("bundle:restart %s re-created its application on the whiteboard", bundle)
                    .isGreaterThan(before);
            before = after;
        }
    }

    @Test
    void installingAndRemovingAnHttpServiceFeatureLeavesBothApplicationsAnswering() {
        awaitBothAnswering("before feature:install webconsole");
        server.shell("feature:install webconsole");
        try {
            // 401 (login required) proves pax-web serves the console, i.e. the feature really came up
            awaitStatus("/system/console/bundles", status -> status != 404, "the web console is served");
            awaitBothAnswering("after feature:install webconsole");
        } finally {
            server.shell("feature:uninstall webconsole");
        }
        awaitStatus("/system/console/bundles", status -> status == 404, "the web console is gone");
        awaitBothAnswering("after feature:uninstall webconsole");
    }

    @Test
    void changingACodecFeatureLeavesBothApplicationsAnswering() {
        awaitBothAnswering("before the codec feature changes");
        // The distribution boots each codec as a root feature: remove it, then put it back (or the
        // other way round if this distribution does not boot it), ending as it started.
        String codec = "org.mosaicpacs.codec.rle";
        List<String> commands = bundleInstalled(codec)
                ? List.of("feature:uninstall", "feature:install")
                : List.of("feature:install", "feature:uninstall");
        for (String command : commands) {
            server.shell(command + " mosaic-codec-rle");
            assertThat(bundleInstalled(codec)).as("%s installed after %s", codec, command)
                    .isEqualTo(command.equals("feature:install"));
            awaitBothAnswering("after " + command + " mosaic-codec-rle");
        }
    }

    /**
     * Pax Web does not retry a port it could not bind. What the admin guide prescribes instead, with
     * no restart: set the HTTP port live to one that is free (or back, once the other program let go).
     */
    @Test
    void anHttpPortTakenByAnotherProgramIsLeftByMovingThePortLive() throws Exception {
        awaitBothAnswering("before the HTTP port moves");
        int original = server.httpPort();
        int taken = Ports.free();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.setReuseAddress(true);
            squatter.bind(new InetSocketAddress(taken));
            server.shell(SET_HTTP_PORT + taken);
            awaitLogged(Pattern.compile("Failed to bind to \\S*:" + taken + "\\b"));
            // the old connector is gone and the new one never came: nothing serves REST now
            awaitConnectionRefused(original);
        }
        server.shell(SET_HTTP_PORT + original);
        awaitBothAnswering("after the HTTP port moved back live");
    }

    private void awaitLogged(Pattern line) throws IOException {
        Path log = server.home().resolve("data/log/karaf.log");
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        while (!line.matcher(Files.readString(log, StandardCharsets.ISO_8859_1)).find()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("karaf.log has no line like \"" + line + "\" within " + SETTLE_DEADLINE
                        + server.diagnostics("pax-web", "Pax Web"));
            }
            sleep(SAMPLE_INTERVAL);
        }
    }

    private void awaitConnectionRefused(int port) throws IOException {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        while (Ports.listening(port)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("port " + port + " still accepts connections after the HTTP port moved");
            }
            sleep(SAMPLE_INTERVAL);
        }
    }

    @Test
    void bothApplicationsAnswerAfterEveryRestart() {
        awaitBothAnswering("after the first boot");
        for (int restart = 1; restart <= 2; restart++) {
            server.stop();
            server.start();
            awaitBothAnswering("after server restart " + restart);
        }
    }

    /**
     * Waits until the whiteboard has settled with every application up and returns the runtime's
     * change count at that moment.
     */
    private long awaitBothAnswering(String when) {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        while (true) {
            long count = runtimeChangeCount();
            awaitSteadyAnswers(when, deadline);
            if (runtimeChangeCount() == count) {
                return count;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the JAX-RS whiteboard kept changing " + when + " for " + SETTLE_DEADLINE);
            }
        }
    }

    /** Polls every endpoint until all answered "up" on every sample for {@link #STEADY}. */
    private void awaitSteadyAnswers(String when, long deadline) {
        long steadySince = System.nanoTime();
        String last = "no answer";
        while (System.nanoTime() - steadySince < STEADY.toNanos()) {
            String failure = firstFailure();
            if (failure != null) {
                last = failure;
                steadySince = System.nanoTime();
                if (steadySince > deadline) {
                    throw new AssertionError(when + ": not every REST application answered within "
                            + SETTLE_DEADLINE + "; last: " + last + "; see " + server.home().resolve("data/log/karaf.log"));
                }
            }
            sleep(SAMPLE_INTERVAL);
        }
    }

    /** The first endpoint that is not up, with what it answered; null when all are up. */
    private String firstFailure() {
        for (Endpoint endpoint : ENDPOINTS) {
            try {
                HttpResponse<String> response = server.get(endpoint.path());
                if (!endpoint.up().contains(response.statusCode())) {
                    String body = response.body();
                    return "GET " + endpoint.path() + " -> " + response.statusCode() + " "
                            + body.substring(0, Math.min(200, body.length()));
                }
            } catch (IOException e) {
                return "GET " + endpoint.path() + " -> " + e;
            }
        }
        return null;
    }

    private void awaitStatus(String path, IntPredicate expected, String what) {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                int status = server.get(path).statusCode();
                if (expected.test(status)) {
                    return;
                }
                last = Integer.toString(status);
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(SAMPLE_INTERVAL);
        }
        throw new AssertionError("expected " + what + " within " + SETTLE_DEADLINE + "; GET " + path + " last: " + last);
    }

    /**
     * The JAX-RS service runtime's {@code service.changecount}: Aries bumps it whenever an
     * application, resource or extension is added, removed or fails.
     */
    private long runtimeChangeCount() {
        String out = server.shell("service:list org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime");
        Matcher m = CHANGE_COUNT.matcher(out);
        assertThat(m.find()).as("JaxrsServiceRuntime with a change count in:%n%s", out).isTrue();
        return Long.parseLong(m.group(1));
    }

    private boolean bundleInstalled(String symbolicName) {
        return server.shell("bundle:list -s").lines().anyMatch(line -> line.contains(" " + symbolicName));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
