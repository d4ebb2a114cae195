package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.testing.Tools;

/**
 * DICOM TLS (PS3.15 B.1, BCP 195): TLS 1.3 and 1.2 from our SCU, client certificates required,
 * and DCMTK's echoscu +tls. Keys and certificates are made at test time, never committed.
 */
class TlsTest {

    static final String PASSWORD = "changeit";

    private static Path dir;
    private static DicomServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = generate(Path.of("target", "tls").toAbsolutePath());
        SSLContext serverContext = TlsSettings.sslContext(dir.resolve("server.p12"), PASSWORD.toCharArray(),
                dir.resolve("trust.p12"), PASSWORD.toCharArray());
        server = TestHandlers.start(TestHandlers.options().port(-1)
                .tls(0, TlsSettings.of(serverContext).withClientAuth(TlsSettings.ClientAuth.NEED)).build(),
                Map.of(UID.Verification, TestHandlers.ECHO));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void echoOverTls13And12() throws Exception {
        SSLContext clientContext = TlsSettings.sslContext(dir.resolve("client.p12"), PASSWORD.toCharArray(),
                dir.resolve("trust.p12"), PASSWORD.toCharArray());
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (DicomClient client = DicomClient.builder()
                    .tls(TlsSettings.of(clientContext).withProtocols(List.of(protocol))).build();
                 Association as = client.connect("127.0.0.1", server.tlsPort(),
                         TestHandlers.rq().presentationContext(UID.Verification).build())) {
                assertThat(as.tlsSession().getProtocol()).isEqualTo(protocol);
                assertThat(as.echo().isSuccess()).isTrue();
            }
        }
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        SSLContext anonymous = TlsSettings.sslContext(null, null, dir.resolve("trust.p12"), PASSWORD.toCharArray());
        try (DicomClient client = DicomClient.builder().tls(TlsSettings.of(anonymous)).build()) {
            assertThatThrownBy(() -> {
                try (Association as = client.connect("127.0.0.1", server.tlsPort(),
                        TestHandlers.rq().presentationContext(UID.Verification).build())) {
                    as.echo();
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void echoscuWithTls() {
        Tools.Result r = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("echoscu").toString(), "-v",
                "+tls", dir.resolve("client.key").toString(), dir.resolve("client.crt").toString(),
                "+cf", dir.resolve("ca.crt").toString(), "-aec", "MOSAIC", "127.0.0.1", Integer.toString(server.tlsPort())));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).contains("Received Echo Response (Success)");
    }

    /** A CA, a server and a client certificate (PEM and PKCS#12), and a trust store with the CA. */
    static Path generate(Path dir) throws IOException {
        if (Files.exists(dir.resolve("trust.p12"))) {
            return dir;
        }
        Files.createDirectories(dir);
        String openssl = Tools.require("openssl").toString();
        run(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "2", "-subj", "/CN=Mosaic Test CA");
        for (String who : List.of("server", "client")) {
            run(dir, openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + who);
            Files.writeString(dir.resolve(who + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            run(dir, openssl, "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".crt", "-days", "2", "-extfile", who + ".ext");
            run(dir, openssl, "pkcs12", "-export", "-in", who + ".crt", "-inkey", who + ".key", "-certfile", "ca.crt",
                    "-name", who, "-out", who + ".p12", "-passout", "pass:" + PASSWORD);
        }
        run(dir, Tools.require("keytool").toString(), "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt",
                "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
        return dir;
    }

    private static void run(Path dir, String... command) {
        Tools.run(Duration.ofSeconds(60), List.of(command), dir, Map.of()).assertSuccess();
    }
}
