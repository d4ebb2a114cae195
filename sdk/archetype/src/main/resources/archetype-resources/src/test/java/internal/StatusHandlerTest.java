package ${package}.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;

/** The handler behind Mosaic's acceptor in plain Java (no OSGi), driven by Mosaic's SCU. */
class StatusHandlerTest {

    @Test
    void nGetAnswersWithManufacturerAndVersion() throws Exception {
        ServerOptions options = ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0)
                .acseTimeout(Duration.ofSeconds(5)).build();
        try (DicomServer server = new DicomServer(options,
                DimseHandlerRegistry.of(Map.of(StatusHandler.SOP_CLASS_UID, new StatusHandler("TEST", "1.2.3"))));
             DicomClient client = DicomClient.builder().build()) {
            server.start();
            try (Association as = client.connect("127.0.0.1", server.port(),
                    AAssociateRq.builder("MOSAIC", "TESTSCU").presentationContext(StatusHandler.SOP_CLASS_UID).build())) {
                DimseResponse rsp = as.nGet(StatusHandler.SOP_CLASS_UID, StatusHandler.SOP_CLASS_UID + ".1");
                assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
                assertThat(rsp.dataSet().getString(Tag.Manufacturer)).isEqualTo("TEST");
                assertThat(rsp.dataSet().getString(Tag.SoftwareVersions)).isEqualTo("1.2.3");
            }
        }
    }
}
