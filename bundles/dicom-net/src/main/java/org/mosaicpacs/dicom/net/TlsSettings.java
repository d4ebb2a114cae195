package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * DICOM TLS (PS3.15 B.1 Basic TLS Secure Transport Connection Profile, BCP 195 non-downgrading):
 * the SSL context with our certificate and the trusted peers, the protocols (TLS 1.3 and 1.2 by
 * default), optional cipher suites and whether the server asks clients for a certificate.
 *
 * @param context the SSL context (key and trust material)
 * @param protocols enabled protocols, e.g. {@code TLSv1.3}, {@code TLSv1.2}
 * @param cipherSuites enabled cipher suites; empty means the JDK's defaults for the protocols
 * @param clientAuth whether an acceptor requests or requires a client certificate
 */
public record TlsSettings(SSLContext context, List<String> protocols, List<String> cipherSuites, ClientAuth clientAuth) {

    /** Client certificate policy of an acceptor. */
    public enum ClientAuth {
        /** No client certificate is requested. */
        NONE,
        /** A certificate is requested; clients without one are still accepted. */
        WANT,
        /** A trusted client certificate is required. */
        NEED
    }

    /** TLS 1.3 and 1.2, the versions BCP 195 allows. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsSettings {
        Objects.requireNonNull(context, "context");
        protocols = List.copyOf(protocols.isEmpty() ? DEFAULT_PROTOCOLS : protocols);
        cipherSuites = List.copyOf(cipherSuites);
        Objects.requireNonNull(clientAuth, "clientAuth");
    }

    /** Default protocols and cipher suites, no client certificate requested. */
    public static TlsSettings of(SSLContext context) {
        return new TlsSettings(context, DEFAULT_PROTOCOLS, List.of(), ClientAuth.NONE);
    }

    public TlsSettings withClientAuth(ClientAuth auth) {
        return new TlsSettings(context, protocols, cipherSuites, auth);
    }

    public TlsSettings withProtocols(List<String> enabled) {
        return new TlsSettings(context, enabled, cipherSuites, clientAuth);
    }

    /**
     * An SSL context from key and trust stores (PKCS#12 for {@code .p12}/{@code .pfx}, JKS for
     * {@code .jks}, else the JDK default type).
     *
     * @param keyStore our private key and certificate chain, or null (a client without a certificate)
     * @param trustStore the certificates we trust, or null for the JDK's default trust
     */
    public static SSLContext sslContext(Path keyStore, char[] keyStorePassword, Path trustStore, char[] trustStorePassword)
            throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            KeyStore ks = load(keyStore, keyStorePassword);
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, keyStorePassword);
        }
        TrustManagerFactory tmf = null;
        if (trustStore != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore, trustStorePassword));
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".p12") || name.endsWith(".pfx") ? "PKCS12"
                : name.endsWith(".jks") ? "JKS" : KeyStore.getDefaultType();
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    /** Applies protocols and cipher suites to a client socket. */
    public void configure(SSLSocket socket) {
        SSLParameters p = socket.getSSLParameters();
        p.setProtocols(protocols.toArray(String[]::new));
        if (!cipherSuites.isEmpty()) {
            p.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        socket.setSSLParameters(p);
    }

    /** Applies protocols, cipher suites and the client certificate policy to a server socket. */
    public void configure(SSLServerSocket socket) {
        SSLParameters p = socket.getSSLParameters();
        p.setProtocols(protocols.toArray(String[]::new));
        if (!cipherSuites.isEmpty()) {
            p.setCipherSuites(cipherSuites.toArray(String[]::new));
        }
        p.setNeedClientAuth(clientAuth == ClientAuth.NEED);
        if (clientAuth == ClientAuth.WANT) {
            p.setWantClientAuth(true);
        }
        socket.setSSLParameters(p);
    }
}
