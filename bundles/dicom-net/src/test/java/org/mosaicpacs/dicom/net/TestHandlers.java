package org.mosaicpacs.dicom.net;

import java.time.Duration;
import java.util.Map;

import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;

/** Servers and clients for tests, on loopback with ephemeral ports. */
final class TestHandlers {

    /** Answers every C-ECHO with success. */
    static final DimseHandler ECHO = (request, context) -> DimseResponse.success();

    private TestHandlers() {
    }

    static ServerOptions.Builder options() {
        return ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0)
                .acseTimeout(Duration.ofSeconds(5)).idleTimeout(Duration.ofSeconds(30));
    }

    static DicomServer start(ServerOptions options, Map<String, DimseHandler> handlers) throws Exception {
        DicomServer server = new DicomServer(options, DimseHandlerRegistry.of(handlers));
        server.start();
        return server;
    }

    static DicomServer startEcho() throws Exception {
        return start(options().build(), Map.of(UID.Verification, ECHO));
    }

    static AAssociateRq.Builder rq() {
        return AAssociateRq.builder("MOSAIC", "TESTSCU");
    }
}
