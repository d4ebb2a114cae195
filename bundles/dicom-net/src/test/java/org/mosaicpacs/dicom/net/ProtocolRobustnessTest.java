package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.internal.PduCodec;

/**
 * Hostile and broken peers against the acceptor, on raw sockets: each must end in an A-ABORT (or
 * the connection closed by ARTIM), and the acceptor must go on serving others.
 */
class ProtocolRobustnessTest {

    private static DicomServer server;
    private static DicomClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestHandlers.start(TestHandlers.options().acseTimeout(Duration.ofMillis(800))
                .idleTimeout(Duration.ofMillis(800)).maxPduLength(16384).build(),
                Map.of(UID.Verification, TestHandlers.ECHO));
        client = DicomClient.builder().build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    /** Every test leaves the acceptor serving others. */
    @AfterEach
    void acceptorStillServes() throws Exception {
        try (Association as = client.connect("127.0.0.1", server.port(),
                TestHandlers.rq().presentationContext(UID.Verification).build())) {
            assertThat(as.echo().isSuccess()).isTrue();
        }
    }

    @Test
    void unrecognizedPduType() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[] {0x09, 0, 0, 0, 0, 2, 1, 2});
            assertThat(readAbort(s)).isEqualTo(AAbort.byProvider(AAbort.REASON_UNRECOGNIZED_PDU));
        }
    }

    @Test
    void dataBeforeAssociation() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 3});
            // Sta2 + Evt10 -> AA-1
            assertThat(readAbort(s).source()).isEqualTo(AAbort.SOURCE_SERVICE_PROVIDER);
        }
    }

    @Test
    void malformedAssociateRequest() throws Exception {
        byte[] rq = PduCodec.encode(TestHandlers.rq().presentationContext(UID.Verification).build());
        // a presentation context item claiming more bytes than the PDU has
        byte[] broken = rq.clone();
        broken[6 + 68 + 4 + 21 + 2] = (byte) 0x7F;
        try (Socket s = connect()) {
            s.getOutputStream().write(broken);
            assertThat(readAbort(s)).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
    }

    @Test
    void oversizedAndOutOfStatePdusOnAnAssociation() throws Exception {
        try (Socket s = associate()) {
            // a P-DATA-TF claiming 1 GiB: refused from its header, nothing allocated
            s.getOutputStream().write(new byte[] {0x04, 0, 0x40, 0, 0, 0});
            assertThat(readAbort(s)).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
        try (Socket s = associate()) {
            // a second A-ASSOCIATE-RQ on an established association: Sta6 + Evt6 -> AA-8
            s.getOutputStream().write(PduCodec.encode(TestHandlers.rq().presentationContext(UID.Verification).build()));
            assertThat(readAbort(s)).isEqualTo(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
        }
        try (Socket s = associate()) {
            // a data set fragment with no command before it
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0, 7, 0, 0, 0, 3, 1, 2, 0});
            assertThat(readAbort(s).source()).isEqualTo(AAbort.SOURCE_SERVICE_PROVIDER);
        }
        try (Socket s = associate()) {
            // a PDV on a presentation context that was never proposed
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0, 7, 0, 0, 0, 3, 7, 3, 0});
            assertThat(readAbort(s)).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
        try (Socket s = associate()) {
            // a command set that is not Implicit VR Little Endian group 0000
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0, 16, 0, 0, 0, 12, 1, 3, 8, 0, 0x20, 0, 2, 0, 0, 0, 'A', 'B'});
            assertThat(readAbort(s)).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
    }

    @Test
    void silentPeersEndByArtimOrIdleTimeout() throws Exception {
        try (Socket s = connect()) {
            // no A-ASSOCIATE-RQ: ARTIM (Sta2) closes the connection without a PDU
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = connect()) {
            // half a PDU header, then silence
            s.getOutputStream().write(new byte[] {0x01, 0, 0});
            s.setSoTimeout(10_000);
            byte[] rest = s.getInputStream().readAllBytes();
            assertThat(rest.length == 0 || rest[0] == PduCodec.A_ABORT).isTrue();
        }
        try (Socket s = associate()) {
            // associated, then nothing: the idle timeout aborts
            assertThat(readAbort(s).source()).isEqualTo(AAbort.SOURCE_SERVICE_USER);
        }
        try (Socket s = associate()) {
            // a truncated P-DATA-TF, then silence
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0, 100, 0, 0, 0, 96, 1, 3});
            assertThat(readAbort(s).source()).isEqualTo(AAbort.SOURCE_SERVICE_PROVIDER);
        }
    }

    @Test
    void peerAbortAndPeerCloseMidMessage() throws Exception {
        try (Socket s = associate()) {
            s.getOutputStream().write(PduCodec.encode(AAbort.byUser()));
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = associate()) {
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0, 100, 0, 0, 0, 96, 1, 0});
            s.shutdownOutput();
            s.setSoTimeout(10_000);
            s.getInputStream().readAllBytes();
        }
    }

    @Test
    void releaseThroughRawPdus() throws Exception {
        try (Socket s = associate()) {
            s.getOutputStream().write(PduCodec.releaseRq());
            byte[] rp = readPdu(s);
            assertThat(rp[0]).isEqualTo((byte) PduCodec.A_RELEASE_RP);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void releaseCollisionAsRequestor() throws Exception {
        try (java.net.ServerSocket acceptor = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<Association> opened = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return client.connect("127.0.0.1", acceptor.getLocalPort(),
                            TestHandlers.rq().presentationContext(UID.Verification).build());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Socket peer = acceptor.accept()) {
                peer.setSoTimeout(10_000);
                assertThat(readPdu(peer)[0]).isEqualTo((byte) PduCodec.A_ASSOCIATE_RQ);
                peer.getOutputStream().write(PduCodec.encode(new AAssociateAc(1, "MOSAIC", "TESTSCU",
                        AAssociateRq.DICOM_APPLICATION_CONTEXT,
                        java.util.List.of(new PresentationContextResult(1, 0, UID.ExplicitVRLittleEndian)),
                        UserInformation.of(16384))));
                Association as = opened.get(10, java.util.concurrent.TimeUnit.SECONDS);
                java.util.concurrent.CompletableFuture<Void> released = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        as.release();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(readPdu(peer)[0]).isEqualTo((byte) PduCodec.A_RELEASE_RQ);
                // the acceptor asks for release too: collision (PS3.8 Sta9 -> Sta11 on our side)
                peer.getOutputStream().write(PduCodec.releaseRq());
                assertThat(readPdu(peer)[0]).isEqualTo((byte) PduCodec.A_RELEASE_RP);
                peer.getOutputStream().write(PduCodec.releaseRp());
                released.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(peer.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        return s;
    }

    /** A raw association for Verification (context 1, Implicit VR LE). */
    static Socket associate() throws IOException {
        Socket s = connect();
        s.getOutputStream().write(PduCodec.encode(TestHandlers.rq()
                .presentationContext(UID.Verification, UID.ImplicitVRLittleEndian).build()));
        byte[] ac = readPdu(s);
        assertThat(ac[0]).isEqualTo((byte) PduCodec.A_ASSOCIATE_AC);
        return s;
    }

    static byte[] readPdu(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] header = in.readNBytes(6);
        if (header.length < 6) {
            throw new IOException("connection closed after " + header.length + " bytes");
        }
        int len = ((header[2] & 0xFF) << 24) | ((header[3] & 0xFF) << 16) | ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        out.write(in.readNBytes(len));
        return out.toByteArray();
    }

    /** Reads PDUs until an A-ABORT, then expects the connection to be closed by the acceptor (ARTIM). */
    static AAbort readAbort(Socket s) throws IOException {
        while (true) {
            byte[] pdu;
            try {
                pdu = readPdu(s);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no A-ABORT within the socket timeout", e);
            }
            if (pdu[0] == PduCodec.A_ABORT) {
                AAbort abort = new AAbort(pdu[8] & 0xFF, pdu[9] & 0xFF);
                s.setSoTimeout(10_000);
                byte[] rest = s.getInputStream().readAllBytes();
                assertThat(rest).as("bytes after A-ABORT: " + Arrays.toString(rest)).isEmpty();
                return abort;
            }
        }
    }
}
