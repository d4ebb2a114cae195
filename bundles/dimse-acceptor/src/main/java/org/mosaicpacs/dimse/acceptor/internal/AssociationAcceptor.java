package org.mosaicpacs.dimse.acceptor.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.mosaicpacs.api.MosaicConstants;
import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.TlsSettings;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's DICOM acceptor: a {@link DicomServer} configured from ConfigAdmin (PID
 * {@value #PID}) that serves the {@link DimseHandler} whiteboard.
 *
 * <p>What an association is offered is derived, at negotiation time, from the handlers registered
 * right now: a presentation context is accepted only while a handler for its SOP class is
 * registered, with the transfer syntaxes the handler names or, by default, the uncompressed ones
 * plus those of the registered codecs ({@link CodecRegistry}, the hook for codec bundles). A
 * handler is looked up again for every request, and a call in flight keeps the handler it started
 * with even if the handler is unregistered meanwhile.
 *
 * <p>Configuration changes apply at once without a restart: AE titles, allow list, limits and
 * timeouts to the next association; port, address and TLS by re-binding the listener, leaving open
 * associations alone.
 */
@Component(service = {}, configurationPid = AssociationAcceptor.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AssociationAcceptor.Config.class)
public final class AssociationAcceptor implements DimseHandlerRegistry {

    public static final String PID = "org.mosaicpacs.dimse.acceptor";

    private static final Logger LOG = LoggerFactory.getLogger(AssociationAcceptor.class);

    @ObjectClassDefinition(name = "Mosaic PACS DICOM acceptor",
            description = "The DICOM (DIMSE) listener of this node: AE titles, ports, limits, timeouts and DICOM TLS.")
    public @interface Config {

        @AttributeDefinition(description = "Called AE titles this node answers to")
        String[] aeTitles() default {MosaicConstants.DEFAULT_AE_TITLE};

        @AttributeDefinition(description = "DICOM TCP port; -1 disables plain DICOM")
        int port() default MosaicConstants.DEFAULT_DICOM_PORT;

        @AttributeDefinition(description = "Local address to listen on; empty for all addresses")
        String bindAddress() default "";

        @AttributeDefinition(description = "Associations served at once; more are rejected (transient)")
        int maxAssociations() default 100;

        @AttributeDefinition(description = "Calling AE titles accepted; empty accepts any")
        String[] allowedCallingAeTitles() default {};

        @AttributeDefinition(description = "ARTIM and release timeout, seconds")
        int acseTimeoutSeconds() default 30;

        @AttributeDefinition(description = "Wait for a response to a request this node sends, seconds")
        int dimseTimeoutSeconds() default 60;

        @AttributeDefinition(description = "Abort associations idle this long with nothing outstanding, seconds; 0 never")
        int idleTimeoutSeconds() default 300;

        @AttributeDefinition(description = "Connect timeout of associations this node opens, seconds")
        int connectTimeoutSeconds() default 10;

        @AttributeDefinition(description = "Maximum PDU length announced (largest P-DATA-TF received), bytes")
        int maxPduLength() default 65536;

        @AttributeDefinition(description = "Largest P-DATA-TF sent, bytes")
        int maxSendPduLength() default 65536;

        @AttributeDefinition(description = "Asynchronous operations performed at once for one peer (1: synchronous)")
        int maxOperationsPerformed() default 8;

        @AttributeDefinition(description = "DICOM TLS port; -1 disables TLS (2762 is the registered DICOM TLS port)")
        int tlsPort() default -1;

        @AttributeDefinition(description = "Key store with this node's private key and certificate (PKCS#12 .p12 or JKS); relative to etc/")
        String tlsKeyStore() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Key store password")
        String tlsKeyStorePassword() default "";

        @AttributeDefinition(description = "Trust store with the CA or peer certificates accepted; empty for the JDK's; relative to etc/")
        String tlsTrustStore() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, description = "Trust store password")
        String tlsTrustStorePassword() default "";

        @AttributeDefinition(description = "TLS protocols enabled")
        String[] tlsProtocols() default {"TLSv1.3", "TLSv1.2"};

        @AttributeDefinition(description = "TLS cipher suites enabled; empty for the JDK's defaults")
        String[] tlsCipherSuites() default {};

        @AttributeDefinition(description = "Client certificates", options = {
                @Option(label = "not requested", value = "none"),
                @Option(label = "requested", value = "want"),
                @Option(label = "required", value = "need")})
        String tlsClientAuth() default "none";
    }

    /** A registered handler with the service properties it was registered with. */
    private record Registration(DimseHandler handler, ServiceReference<DimseHandler> reference, Set<String> sopClasses,
                                Set<String> transferSyntaxes) {
    }

    private final Map<ServiceReference<DimseHandler>, Registration> handlers = new ConcurrentHashMap<>();
    private volatile CodecRegistry codecs;
    private final DicomServer server;

    @Activate
    public AssociationAcceptor(Config config) throws IOException, GeneralSecurityException {
        server = new DicomServer(options(config), this);
        server.start();
    }

    /** The bound plain DICOM port (tests, logs). */
    int port() {
        return server.port();
    }

    @Modified
    void modified(Config config) {
        try {
            server.update(options(config));
            LOG.info("DICOM acceptor reconfigured: AE titles {}, port {}, TLS port {}", Arrays.toString(config.aeTitles()),
                    server.port(), server.tlsPort());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("DICOM acceptor configuration not applied: {}", e.getMessage(), e);
        }
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + DimseHandler.ROLE_PROPERTY + "=" + DimseHandler.ROLE_SCP + ")")
    void addHandler(ServiceReference<DimseHandler> reference, DimseHandler handler) {
        Set<String> sopClasses = strings(reference.getProperty(DimseHandler.SOP_CLASS_PROPERTY));
        handlers.put(reference, new Registration(handler, reference, sopClasses,
                strings(reference.getProperty(DimseHandler.TRANSFER_SYNTAX_PROPERTY))));
        LOG.debug("DIMSE handler for {} registered", sopClasses);
    }

    void removeHandler(ServiceReference<DimseHandler> reference, DimseHandler handler) {
        // by identity: a re-registration under the same reference must not be dropped
        handlers.computeIfPresent(reference, (ref, r) -> r.handler() == handler ? null : r);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCodecs(CodecRegistry registry) {
        codecs = registry;
    }

    void unsetCodecs(CodecRegistry registry) {
        if (codecs == registry) {
            codecs = null;
        }
    }

    // ------------------------------------------------------------------ DimseHandlerRegistry

    @Override
    public Optional<DimseHandler> handler(String sopClassUid) {
        return registration(sopClassUid).map(Registration::handler);
    }

    /** The highest ranked registration serving the SOP class (service.ranking, then oldest). */
    private Optional<Registration> registration(String sopClassUid) {
        Registration best = null;
        for (Registration r : handlers.values()) {
            if (r.sopClasses().contains(sopClassUid) && (best == null || r.reference().compareTo(best.reference()) > 0)) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public Set<String> transferSyntaxes(String sopClassUid) {
        Set<String> supported = new LinkedHashSet<>(UNCOMPRESSED);
        CodecRegistry c = codecs;
        if (c != null) {
            supported.addAll(c.transferSyntaxes());
        }
        Optional<Registration> r = registration(sopClassUid);
        if (r.isPresent() && !r.get().transferSyntaxes().isEmpty()) {
            supported.retainAll(r.get().transferSyntaxes());
        }
        return Collections.unmodifiableSet(supported);
    }

    // ------------------------------------------------------------------ configuration

    static ServerOptions options(Config c) throws IOException, GeneralSecurityException {
        ServerOptions.Builder b = ServerOptions.builder()
                .aeTitles(c.aeTitles())
                .port(c.port())
                .bindAddress(c.bindAddress())
                .maxAssociations(c.maxAssociations())
                .allowedCallingAeTitles(c.allowedCallingAeTitles())
                .acseTimeout(Duration.ofSeconds(c.acseTimeoutSeconds()))
                .dimseTimeout(Duration.ofSeconds(c.dimseTimeoutSeconds()))
                .idleTimeout(Duration.ofSeconds(c.idleTimeoutSeconds()))
                .connectTimeout(Duration.ofSeconds(c.connectTimeoutSeconds()))
                .maxPduLength(c.maxPduLength())
                .maxSendPduLength(c.maxSendPduLength())
                .operationsWindow(c.maxOperationsPerformed(), 1);
        if (c.tlsPort() >= 0) {
            if (c.tlsKeyStore().isBlank()) {
                throw new IllegalArgumentException("tlsPort " + c.tlsPort() + " needs tlsKeyStore");
            }
            TlsSettings tls = new TlsSettings(TlsSettings.sslContext(resolve(c.tlsKeyStore()),
                    c.tlsKeyStorePassword().toCharArray(),
                    c.tlsTrustStore().isBlank() ? null : resolve(c.tlsTrustStore()), c.tlsTrustStorePassword().toCharArray()),
                    List.of(c.tlsProtocols()), List.of(c.tlsCipherSuites()),
                    TlsSettings.ClientAuth.valueOf(c.tlsClientAuth().strip().toUpperCase(Locale.ROOT)));
            b.tls(c.tlsPort(), tls);
        }
        return b.build();
    }

    /** Paths are taken relative to Karaf's etc/ folder when they are not absolute. */
    private static Path resolve(String file) {
        Path p = Path.of(file.strip());
        String etc = System.getProperty("karaf.etc");
        return p.isAbsolute() || etc == null ? p : Path.of(etc).resolve(p);
    }

    private static Set<String> strings(Object property) {
        if (property instanceof String s) {
            return Set.of(s);
        }
        if (property instanceof String[] a) {
            return new LinkedHashSet<>(Arrays.asList(a));
        }
        if (property instanceof java.util.Collection<?> col) {
            Set<String> r = new LinkedHashSet<>();
            col.forEach(o -> r.add(String.valueOf(o)));
            return r;
        }
        return Set.of();
    }
}
