package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;

class EchoTest {

    private static DicomServer server;
    private static DicomClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestHandlers.startEcho();
        client = DicomClient.builder().build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void echoAndRelease() throws Exception {
        try (Association as = client.connect("127.0.0.1", server.port(),
                TestHandlers.rq().presentationContext(UID.Verification).build())) {
            assertThat(as.isOpen()).isTrue();
            assertThat(as.echo().status()).isEqualTo(Status.SUCCESS);
            assertThat(as.echo().isSuccess()).isTrue();
            as.release();
            assertThat(as.isOpen()).isFalse();
        }
    }

    @Test
    void unknownCalledAeIsRejected() {
        assertThatThrownBy(() -> client.connect("127.0.0.1", server.port(),
                AAssociateRq.builder("NOBODY", "TESTSCU").presentationContext(UID.Verification).build()))
                .isInstanceOf(AssociationRejectedException.class)
                .satisfies(e -> assertThat(((AssociationRejectedException) e).reject())
                        .isEqualTo(AAssociateRj.calledAeNotRecognized()));
    }

    @Test
    void unsupportedSopClassIsNotAccepted() throws Exception {
        try (Association as = client.connect("127.0.0.1", server.port(),
                TestHandlers.rq().presentationContext(UID.CTImageStorage).presentationContext(UID.Verification).build())) {
            assertThat(as.accept().presentationContext(1).orElseThrow().result())
                    .isEqualTo(PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED);
            assertThat(as.accept().presentationContext(3).orElseThrow().accepted()).isTrue();
            assertThatThrownBy(() -> as.store(UID.CTImageStorage, "1.2.3", new org.mosaicpacs.dicom.DataSet()))
                    .isInstanceOf(NoPresentationContextException.class);
        }
    }
}
