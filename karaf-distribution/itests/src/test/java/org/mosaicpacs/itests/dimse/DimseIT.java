package org.mosaicpacs.itests.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.Tools;

/**
 * The DICOM acceptor of the real distribution, driven from outside with DCMTK: C-ECHO plain and
 * over DICOM TLS, the whiteboard at work (stopping the Verification bundle withdraws the
 * service, starting it restores it, the acceptor is never restarted), and an acceptor that could
 * not bind its port coming back by itself once the port is free.
 */
@ExtendWith(SharedMosaicServer.class)
class DimseIT {

    private static final String VERIFICATION_BUNDLE = "org.mosaicpacs.service.verification";
    private static final String ACCEPTOR_BUNDLE = "org.mosaicpacs.dimse.acceptor";
    private static final String ACCEPTOR_CONFIG = "etc/org.mosaicpacs.dimse.acceptor.cfg";
    /** karaf.log lines that tell what the acceptor did. */
    private static final String[] ACCEPTOR_LOG = {"DicomServer", "AssociationAcceptor", "dimse.acceptor", "ERROR"};

    @Test
    void verificationFollowsItsBundle(MosaicServer server) {
        // another test may just have reconfigured the acceptor: fileinstall applies edits within a second or two
        Tools.Result before = await(server, () -> echoscu(server.dicomPort()), r -> r.exitCode() == 0);
        assertThat(before.exitCode()).isZero();
        server.shell("bundle:stop " + VERIFICATION_BUNDLE);
        try {
            Tools.Result refused = await(server, () -> echoscu(server.dicomPort()), r -> r.exitCode() != 0);
            assertThat(refused.out() + refused.err()).contains("No Acceptable Presentation Contexts");
        } finally {
            server.shell("bundle:start " + VERIFICATION_BUNDLE);
        }
        Tools.Result restored = await(server, () -> echoscu(server.dicomPort()), r -> r.exitCode() == 0);
        assertThat(restored.exitCode()).isZero();
    }

    @Test
    void echoOverTls(MosaicServer server) throws Exception {
        Path dir = server.home().resolve("tls-test");
        TlsFiles tls = TlsFiles.generate(dir);
        int tlsPort = Ports.free();
        // fileinstall hands the edited file to ConfigAdmin: the acceptor binds TLS without a restart
        server.setProperties(ACCEPTOR_CONFIG, Map.of(
                "tlsKeyStore", tls.serverKeyStore().toString(),
                "tlsKeyStorePassword", TlsFiles.PASSWORD,
                "tlsTrustStore", tls.trustStore().toString(),
                "tlsTrustStorePassword", TlsFiles.PASSWORD,
                "tlsClientAuth", "need",
                "tlsPort", Integer.toString(tlsPort)));
        try {
            awaitListening(server, tlsPort);
            echoscuWithTls(server, tls, tlsPort);
        } finally {
            // leave the shared server as other tests expect it: TLS off, plain DICOM answering
            server.setProperty(ACCEPTOR_CONFIG, "tlsPort", "-1");
            await(server, () -> echoscu(server.dicomPort()), r -> r.exitCode() == 0);
        }
    }

    @Test
    void theAcceptorComesBackOnceItsPortIsFree(MosaicServer server) throws Exception {
        // another program holds the DICOM port while the acceptor starts: activation fails, health says so
        server.shell("bundle:stop " + ACCEPTOR_BUNDLE);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.setReuseAddress(true);
            squatter.bind(new InetSocketAddress(server.dicomPort()));
            server.shell("bundle:start " + ACCEPTOR_BUNDLE);
            HttpResponse<String> degraded = awaitHealth(server, 503);
            assertThat(degraded.body()).contains("FAILED_ACTIVATION");
        }
        // nobody restarts anything: the acceptor tries again by itself and serves
        Tools.Result echo = await(server, () -> echoscu(server.dicomPort()), r -> r.exitCode() == 0);
        assertThat(echo.exitCode()).isZero();
        awaitHealth(server, 200);
    }

    private static HttpResponse<String> awaitHealth(MosaicServer server, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> last;
        do {
            last = server.get("/api/health");
            if (last.statusCode() == status) {
                return last;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/api/health did not answer " + status + " within 30 s: " + last.statusCode() + " "
                + last.body() + server.diagnostics(ACCEPTOR_LOG));
    }

    private static void echoscuWithTls(MosaicServer server, TlsFiles tls, int tlsPort) {
        Tools.Result r = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("echoscu").toString(), "-v",
                "+tls", tls.clientKey().toString(), tls.clientCertificate().toString(), "+cf", tls.caCertificate().toString(),
                "-aet", "TLSSCU", "-aec", "MOSAIC", "127.0.0.1", Integer.toString(tlsPort)));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out() + r.err()).contains("Received Echo Response (Success)");
        // a client without a certificate is refused when client certificates are required
        Tools.Result anonymous = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("echoscu").toString(),
                "+tla", "+cf", tls.caCertificate().toString(), "-aec", "MOSAIC", "127.0.0.1", Integer.toString(tlsPort)));
        assertThat(anonymous.exitCode()).isNotZero();
        // plain DICOM keeps working beside TLS
        assertThat(echoscu(server.dicomPort()).exitCode()).isZero();
    }

    private static Tools.Result echoscu(int port) {
        return Tools.run(Duration.ofSeconds(60), List.of(Tools.require("echoscu").toString(), "-v", "-aet", "ITEST",
                "-aec", "MOSAIC", "127.0.0.1", Integer.toString(port)));
    }

    /** Retries until the result satisfies the condition (DS registers and unregisters asynchronously). */
    private static Tools.Result await(MosaicServer server, Supplier<Tools.Result> action, Predicate<Tools.Result> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Tools.Result last;
        do {
            last = action.get();
            if (done.test(last)) {
                return last;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("condition not reached within 30 s; last result: " + last.out() + last.err()
                + server.diagnostics(ACCEPTOR_LOG));
    }

    private static void awaitListening(MosaicServer server, int port) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Ports.listening(port)) {
                return;
            }
            sleep(200);
        }
        throw new AssertionError("the acceptor did not open TLS port " + port + server.diagnostics(ACCEPTOR_LOG));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A test CA with a server and a client certificate, made with openssl and keytool at test time. */
    record TlsFiles(Path caCertificate, Path serverKeyStore, Path trustStore, Path clientKey, Path clientCertificate) {

        static final String PASSWORD = "changeit";

        static TlsFiles generate(Path dir) throws IOException {
            Files.createDirectories(dir);
            String openssl = Tools.require("openssl").toString();
            run(dir, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=Mosaic Test CA");
            for (String who : List.of("server", "client")) {
                run(dir, openssl, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                        "-subj", "/CN=" + who);
                Files.writeString(dir.resolve(who + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
                run(dir, openssl, "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                        "-CAcreateserial", "-out", who + ".crt", "-days", "2", "-extfile", who + ".ext");
            }
            run(dir, openssl, "pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key", "-certfile", "ca.crt",
                    "-name", "server", "-out", "server.p12", "-passout", "pass:" + PASSWORD);
            run(dir, Tools.require("keytool").toString(), "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt",
                    "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
            return new TlsFiles(dir.resolve("ca.crt"), dir.resolve("server.p12"), dir.resolve("trust.p12"),
                    dir.resolve("client.key"), dir.resolve("client.crt"));
        }

        private static void run(Path dir, String... command) {
            Tools.run(Duration.ofSeconds(60), new ArrayList<>(List.of(command)), dir, java.util.Map.of()).assertSuccess();
        }
    }
}
