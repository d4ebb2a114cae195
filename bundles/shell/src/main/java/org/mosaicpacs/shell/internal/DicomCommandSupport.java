package org.mosaicpacs.shell.internal;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.TlsSettings;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What the DICOM commands share: the peer, named by a configured remote AE title or as
 * {@code host:port} (with {@code --aet} for its AE title), our own AE title, and a client with
 * timeouts for one command. Each command opens its associations and closes them before it returns.
 */
abstract class DicomCommandSupport implements Action {

    /** The acceptor's configuration: its first AE title is this node's. */
    static final String ACCEPTOR_PID = "org.mosaicpacs.dimse.acceptor";
    static final String DEFAULT_AE_TITLE = "MOSAIC";

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^]]+]|[^:\\s]+):(\\d{1,5})");

    @Reference
    RemoteAeRegistry registry;

    @Reference(optional = true)
    ConfigurationAdmin configurationAdmin;

    @Argument(index = 0, name = "peer", required = true,
            description = "a remote AE title configured with mosaic:ae-add, or host:port")
    @Completion(RemoteAeCompleter.class)
    String peer;

    @Option(name = "--aet", description = "the AE title of a host:port peer (default ANY-SCP)")
    String calledAeTitle;

    @Option(name = "--calling-aet", description = "our AE title (default: the first AE title of the acceptor, "
            + "PID " + ACCEPTOR_PID + ")")
    String callingAeTitle;

    @Option(name = "--timeout", description = "seconds to wait for the peer: connecting, negotiating, each response")
    int timeoutSeconds = 60;

    /** The peer to talk to. */
    record Peer(String aeTitle, String host, int port, boolean tls) {

        @Override
        public String toString() {
            return aeTitle + " (" + host + ":" + port + (tls ? ", TLS" : "") + ")";
        }
    }

    /**
     * The peer named by the argument.
     *
     * @throws IllegalArgumentException if it is neither a configured AE title nor host:port
     */
    Peer peer() {
        if (registry != null) {
            java.util.Optional<RemoteAe> ae = registry.find(peer);
            if (ae.isPresent()) {
                RemoteAe r = ae.get();
                return new Peer(r.aeTitle(), r.host(), r.port(), r.tls());
            }
        }
        Matcher m = HOST_PORT.matcher(peer.strip());
        if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
            throw new IllegalArgumentException("'" + peer + "' is neither a configured remote AE (see mosaic:ae-list) "
                    + "nor host:port");
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        String aet = calledAeTitle == null || calledAeTitle.isBlank() ? "ANY-SCP" : calledAeTitle.strip();
        return new Peer(aet, host, Integer.parseInt(m.group(2)), false);
    }

    /** Our AE title: the option, else the acceptor's first AE title, else {@value #DEFAULT_AE_TITLE}. */
    String callingAeTitle() throws IOException {
        if (callingAeTitle != null && !callingAeTitle.isBlank()) {
            return callingAeTitle.strip();
        }
        if (configurationAdmin != null) {
            try {
                Configuration[] found = configurationAdmin.listConfigurations("(service.pid=" + ACCEPTOR_PID + ")");
                Dictionary<String, Object> props = found == null || found.length == 0 ? null : found[0].getProperties();
                String first = firstValue(props == null ? null : props.get("aeTitles"));
                if (first != null) {
                    return first;
                }
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return DEFAULT_AE_TITLE;
    }

    /** The first AE title of a configuration value: a String (comma separated), String[] or collection. */
    static String firstValue(Object titles) {
        Object first = titles;
        if (titles instanceof String[] array) {
            first = array.length > 0 ? array[0] : null;
        } else if (titles instanceof Iterable<?> it) {
            java.util.Iterator<?> i = it.iterator();
            first = i.hasNext() ? i.next() : null;
        }
        if (first == null) {
            return null;
        }
        String s = first.toString().split(",")[0].strip();
        return s.isEmpty() ? null : s;
    }

    /** A client for this command, TLS (the JVM's default context) when the peer is configured so. */
    DicomClient client(Peer p) {
        Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        DicomClient.Builder b = DicomClient.builder().connectTimeout(timeout).acseTimeout(timeout).dimseTimeout(timeout);
        if (p.tls()) {
            try {
                b.tls(TlsSettings.of(SSLContext.getDefault()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context for " + p, e);
            }
        }
        return b.build();
    }

    /** Opens an association to the peer with the contexts the builder proposes. */
    Association connect(DicomClient client, Peer p, AAssociateRq.Builder rq) throws IOException {
        try {
            return client.connect(p.host(), p.port(), rq.build());
        } catch (IOException e) {
            throw new IOException("cannot open an association to " + p + ": " + e.getMessage(), e);
        }
    }

    /** An A-ASSOCIATE-RQ builder from us to the peer. */
    AAssociateRq.Builder request(Peer p) throws IOException {
        return AAssociateRq.builder(p.aeTitle(), callingAeTitle());
    }
}
