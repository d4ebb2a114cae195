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
    void theCommandLineToolShipsInBin() {
        Path ct = org.mosaicpacs.testing.TestData.realFilesDir().resolve("test_files/CT_small.dcm");
        var dump = org.mosaicpacs.testing.Tools.run(java.time.Duration.ofSeconds(60),
                java.util.List.of(server.home().resolve("bin/mosaic-dicom").toString(), "dump", ct.toString())).assertSuccess();
        assertThat(dump.out()).contains("(0010,0010) PN [CompressedSamples^CT1]");
    }

    @Test
    void optionalFeaturesInstallOfflineFromTheShell() throws Exception {
        // Optional features are in system/: a sample plugin and the PostgreSQL driver install offline.
        assertThat(server.shell("feature:list -i")).doesNotContain("mosaic-sample-vendor-sop ");
        server.shell("feature:install mosaic-sample-vendor-sop mosaic-db-postgresql");
        assertThat(server.shell("feature:list -i")).contains("mosaic-sample-vendor-sop").contains("mosaic-db-postgresql");
        assertThat(server.shell("bundle:list -s")).contains("org.mosaicpacs.sample.vendor.sop").contains("org.postgresql.jdbc");
        server.shell("feature:uninstall mosaic-sample-vendor-sop");
        assertThat(server.shell("bundle:list -s")).doesNotContain("org.mosaicpacs.sample.vendor.sop");
        // Uninstalling a codec (part of the boot feature) works offline too.
        server.shell("feature:uninstall mosaic-codec-rle");
        assertThat(server.shell("bundle:list -s")).doesNotContain("org.mosaicpacs.codec.rle");
        server.shell("feature:install mosaic-codec-rle");
        assertThat(server.shell("bundle:list -s")).contains("org.mosaicpacs.codec.rle");
        assertThat(server.get("/api/health").statusCode()).isEqualTo(200);
    }
}
