package org.mosaicpacs.dicom.net;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How a {@link DicomServer} listens and what it accepts. Immutable; {@link #builder()} starts
 * from the defaults (AE title MOSAIC on port 11112, no TLS).
 *
 * @param aeTitles called AE titles answered; empty accepts any
 * @param bindAddress the local address to listen on, or null for all
 * @param port the plain TCP port; 0 for an ephemeral port, -1 for none
 * @param tlsPort the DICOM TLS port; 0 for ephemeral, -1 for none (needs {@code tls})
 * @param tls TLS settings, or null
 * @param maxAssociations associations served at once; more are rejected (transient, local limit exceeded)
 * @param allowedCallingAeTitles calling AE titles accepted; empty accepts any
 * @param acseTimeout ARTIM: the wait for an A-ASSOCIATE-RQ after connect, for A-RELEASE-RP, for the peer to close
 * @param dimseTimeout the longest wait for a response to a request we send (C-GET sub-operations, N-EVENT-REPORT)
 * @param idleTimeout abort an association after this long without a PDU and with nothing outstanding; zero: never
 * @param connectTimeout TCP connect timeout for associations handlers open ({@code DimseContext.client()})
 * @param maxPduLength the Maximum Length we announce (largest P-DATA-TF we accept)
 * @param maxSendPduLength the largest P-DATA-TF we send, whatever the peer accepts
 * @param maxOperationsPerformed asynchronous operations we perform at once for one requestor (1: synchronous)
 * @param maxOperationsInvoked asynchronous operations we invoke at once on an accepted association
 * @param userIdentityNegotiator the User Identity policy, or null to ignore the item
 */
public record ServerOptions(Set<String> aeTitles, String bindAddress, int port, int tlsPort, TlsSettings tls,
                            int maxAssociations, Set<String> allowedCallingAeTitles, Duration acseTimeout,
                            Duration dimseTimeout, Duration idleTimeout, Duration connectTimeout, int maxPduLength,
                            int maxSendPduLength, int maxOperationsPerformed, int maxOperationsInvoked,
                            UserIdentityNegotiator userIdentityNegotiator) {

    public ServerOptions {
        aeTitles = Set.copyOf(aeTitles);
        allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
        if (port < -1 || port > 65535 || tlsPort < -1 || tlsPort > 65535) {
            throw new IllegalArgumentException("ports must be -1 (none), 0 (ephemeral) or 1..65535");
        }
        if (tlsPort >= 0 && tls == null) {
            throw new IllegalArgumentException("a TLS port needs TLS settings");
        }
        if (maxAssociations < 1) {
            throw new IllegalArgumentException("maxAssociations must be at least 1");
        }
        if (maxPduLength < 1024 || maxSendPduLength < 1024) {
            throw new IllegalArgumentException("PDU lengths below 1024 bytes are not supported");
        }
        if (maxOperationsPerformed < 1 || maxOperationsInvoked < 1) {
            throw new IllegalArgumentException("operation windows must be at least 1");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.aeTitles.addAll(aeTitles);
        b.bindAddress = bindAddress;
        b.port = port;
        b.tlsPort = tlsPort;
        b.tls = tls;
        b.maxAssociations = maxAssociations;
        b.allowedCallingAeTitles.addAll(allowedCallingAeTitles);
        b.acseTimeout = acseTimeout;
        b.dimseTimeout = dimseTimeout;
        b.idleTimeout = idleTimeout;
        b.connectTimeout = connectTimeout;
        b.maxPduLength = maxPduLength;
        b.maxSendPduLength = maxSendPduLength;
        b.maxOperationsPerformed = maxOperationsPerformed;
        b.maxOperationsInvoked = maxOperationsInvoked;
        b.userIdentityNegotiator = userIdentityNegotiator;
        return b;
    }

    /** Builder with the defaults documented on each method. */
    public static final class Builder {
        private final Set<String> aeTitles = new LinkedHashSet<>(Set.of("MOSAIC"));
        private String bindAddress;
        private int port = 11112;
        private int tlsPort = -1;
        private TlsSettings tls;
        private int maxAssociations = 100;
        private final Set<String> allowedCallingAeTitles = new LinkedHashSet<>();
        private Duration acseTimeout = Duration.ofSeconds(30);
        private Duration dimseTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(300);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxPduLength = 65536;
        private int maxSendPduLength = 65536;
        private int maxOperationsPerformed = 8;
        private int maxOperationsInvoked = 1;
        private UserIdentityNegotiator userIdentityNegotiator;

        /** Called AE titles answered (default MOSAIC); none accepts any. */
        public Builder aeTitles(String... titles) {
            aeTitles.clear();
            for (String t : titles) {
                AAssociateRq.checkAeTitle(t, "our");
                aeTitles.add(t.strip());
            }
            return this;
        }

        /** Local address to bind (default: all). */
        public Builder bindAddress(String address) {
            this.bindAddress = address == null || address.isBlank() ? null : address;
            return this;
        }

        /** Plain TCP port (default 11112; 0 ephemeral; -1 none). */
        public Builder port(int p) {
            this.port = p;
            return this;
        }

        /** TLS port and settings (default none). */
        public Builder tls(int p, TlsSettings settings) {
            this.tlsPort = p;
            this.tls = settings;
            return this;
        }

        /** Maximum concurrent associations (default 100). */
        public Builder maxAssociations(int max) {
            this.maxAssociations = max;
            return this;
        }

        /** Calling AE titles accepted (default: any). */
        public Builder allowedCallingAeTitles(String... titles) {
            allowedCallingAeTitles.clear();
            for (String t : titles) {
                allowedCallingAeTitles.add(t.strip());
            }
            return this;
        }

        /** ARTIM and release waits (default 30 s). */
        public Builder acseTimeout(Duration d) {
            this.acseTimeout = d;
            return this;
        }

        /** Wait for responses to our requests (default 60 s). */
        public Builder dimseTimeout(Duration d) {
            this.dimseTimeout = d;
            return this;
        }

        /** Idle association timeout (default 300 s; zero: never). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        /** Connect timeout of associations handlers open (default 10 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** Maximum Length we announce (default 65536). */
        public Builder maxPduLength(int length) {
            this.maxPduLength = length;
            return this;
        }

        /** Largest P-DATA-TF we send (default 65536). */
        public Builder maxSendPduLength(int length) {
            this.maxSendPduLength = length;
            return this;
        }

        /** Asynchronous operations windows we accept (default: perform 8, invoke 1). */
        public Builder operationsWindow(int performed, int invoked) {
            this.maxOperationsPerformed = performed;
            this.maxOperationsInvoked = invoked;
            return this;
        }

        public Builder userIdentityNegotiator(UserIdentityNegotiator negotiator) {
            this.userIdentityNegotiator = negotiator;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(aeTitles, bindAddress, port, tlsPort, tls, maxAssociations, allowedCallingAeTitles,
                    acseTimeout, dimseTimeout, idleTimeout, connectTimeout, maxPduLength, maxSendPduLength,
                    maxOperationsPerformed, maxOperationsInvoked, userIdentityNegotiator);
        }
    }
}
