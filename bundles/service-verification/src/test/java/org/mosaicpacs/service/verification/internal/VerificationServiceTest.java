package org.mosaicpacs.service.verification.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.Tools;

class VerificationServiceTest {

    @Test
    void answersEchoFromOurScuAndFromEchoscu() throws Exception {
        ServerOptions options = ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0).build();
        try (DicomServer server = new DicomServer(options,
                DimseHandlerRegistry.of(Map.of(UID.Verification, new VerificationService())));
             DicomClient client = DicomClient.builder().build()) {
            server.start();
            try (Association as = client.connect("127.0.0.1", server.port(),
                    AAssociateRq.builder("MOSAIC", "TEST").presentationContext(UID.Verification).build())) {
                assertThat(as.echo().status()).isEqualTo(Status.SUCCESS);
                // anything but C-ECHO on the Verification SOP class is refused, not dropped
                assertThat(as.nGet(UID.Verification, "1.2.3").status()).isEqualTo(Status.UNRECOGNIZED_OPERATION);
            }
            Tools.run(Duration.ofSeconds(30), List.of(Tools.require("echoscu").toString(), "-aec", "MOSAIC",
                    "127.0.0.1", Integer.toString(server.port()))).assertSuccess();
        }
    }
}
