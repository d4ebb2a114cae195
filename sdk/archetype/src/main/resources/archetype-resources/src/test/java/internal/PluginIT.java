package ${package}.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.Status;

/**
 * The plugin in the real Mosaic distribution: installed with feature:install, it serves its SOP
 * class; uninstalled, the acceptor refuses the SOP class again.
 */
class PluginIT {

    @Test
    void featureInstallsIntoMosaicAndTheHandlerAnswers() throws Exception {
        Path jar = Path.of(System.getProperty("plugin.bundle"));
        // The artifact is installed to the local repository only after this phase: point the
        // feature's bundle at the jar just built.
        Path features = Path.of("target", "it-features.xml").toAbsolutePath();
        Files.writeString(features, Files.readString(Path.of(System.getProperty("plugin.feature")))
                .replace("mvn:${groupId}/${artifactId}/" + System.getProperty("plugin.version"), "file:" + jar.toAbsolutePath()));
        try (MosaicDistribution mosaic = new MosaicDistribution(Path.of(System.getProperty("mosaic.distribution")),
                Path.of("target", "mosaic").toAbsolutePath());
             DicomClient client = DicomClient.builder().connectTimeout(Duration.ofSeconds(10)).build()) {
            mosaic.shell("feature:repo-add file:" + features);
            mosaic.shell("feature:install ${artifactId}");
            DimseResponse rsp = awaitNGet(client, mosaic.dicomPort);
            assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
            assertThat(rsp.dataSet().getString(Tag.SoftwareVersions)).isNotBlank();

            mosaic.shell("feature:uninstall ${artifactId}");
            try (Association as = client.connect("127.0.0.1", mosaic.dicomPort, rq())) {
                assertThat(as.acceptedContexts(StatusHandler.SOP_CLASS_UID)).isEmpty();
            }
        }
    }

    /** N-GET once the handler is registered (DS activates the component asynchronously). */
    private static DimseResponse awaitNGet(DicomClient client, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Association as = client.connect("127.0.0.1", port, rq())) {
                if (!as.acceptedContexts(StatusHandler.SOP_CLASS_UID).isEmpty()) {
                    return as.nGet(StatusHandler.SOP_CLASS_UID, StatusHandler.SOP_CLASS_UID + ".1");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the plugin's SOP class was not accepted within 30 s");
            }
            Thread.sleep(250);
        }
    }

    private static AAssociateRq rq() {
        return AAssociateRq.builder("MOSAIC", "PLUGINIT").presentationContext(StatusHandler.SOP_CLASS_UID).build();
    }
}
