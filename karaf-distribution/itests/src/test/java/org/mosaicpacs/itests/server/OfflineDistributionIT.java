package org.mosaicpacs.itests.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The distribution boots and installs its optional features with no network at all (its own
 * network namespace with only loopback) and an empty home folder (no ~/.m2): everything it
 * needs is inside it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineDistributionIT {

    private MosaicServer server;

    @BeforeAll
    void start() {
        server = MosaicServer.unpack(Path.of("target/offline-server").toAbsolutePath(), true);
        server.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void bootsOfflineAndAnswersHealth() throws Exception {
        var response = server.get("/api/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void optionalFeaturesInstallOfflineFromTheShell() throws Exception {
        assertThat(server.shell("feature:list -i")).doesNotContain("mosaic-codecs ");
        server.shell("feature:install mosaic-codecs");
        assertThat(server.shell("feature:list -i")).contains("mosaic-codecs");
        assertThat(server.shell("bundle:list -s")).contains("org.mosaicpacs.codec.rle");
        server.shell("feature:uninstall mosaic-codecs");
        assertThat(server.shell("bundle:list -s")).doesNotContain("org.mosaicpacs.codec.rle");
        assertThat(server.get("/api/health").statusCode()).isEqualTo(200);
    }
}
