package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLServerSocket;

import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.dicom.net.internal.AcceptorPolicy;
import org.mosaicpacs.dicom.net.internal.AssociationImpl;
import org.mosaicpacs.dicom.net.internal.Settings;
import org.mosaicpacs.dicom.net.internal.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DICOM acceptor: listens on a TCP port and/or a DICOM TLS port, negotiates associations from
 * its {@link ServerOptions} and the handlers its {@link DimseHandlerRegistry} has at that moment,
 * and dispatches requests to them. Plain Java; the OSGi acceptor component wraps one.
 *
 * <p>{@link #update(ServerOptions)} applies new options without dropping associations: AE
 * titles, allow list, limits and timeouts apply to the next association, and a listener is
 * re-bound only if its address, port or TLS settings changed. The server owns its threads
 * (daemon threads; one per association plus handler workers) and ends them in {@link #close()}.
 */
public final class DicomServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicomServer.class);

    private final DimseHandlerRegistry registry;
    private final ExecutorService executor = Threads.cachedPool("dicom-server");
    private final ScheduledExecutorService scheduler = Threads.scheduler("dicom-server-timer");
    /** Every connection being served, negotiating or associated. */
    private final Set<AssociationImpl> associations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AcceptorPolicy policy;
    private volatile ServerOptions options;
    private volatile Settings settings;
    private volatile DicomClient client;
    private Listener plain;
    private Listener secure;
    private boolean closed;

    public DicomServer(ServerOptions options, DimseHandlerRegistry registry) {
        this.options = Objects.requireNonNull(options, "options");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.policy = new AcceptorPolicy(() -> this.options, registry, connections::get);
        configure(options);
    }

    private void configure(ServerOptions o) {
        // plain TCP: whether a destination needs TLS is the caller's knowledge (remote AE configuration),
        // which then builds a DicomClient with TlsSettings
        client = DicomClient.builder().executors(executor, scheduler)
                .connectTimeout(o.connectTimeout()).acseTimeout(o.acseTimeout()).dimseTimeout(o.dimseTimeout())
                .maxSendPduLength(o.maxSendPduLength()).build();
        settings = new Settings(o.maxPduLength(), o.maxSendPduLength(), millis(o.connectTimeout()),
                millis(o.acseTimeout()), millis(o.dimseTimeout()), millis(o.idleTimeout()), 64L << 20, executor,
                scheduler, client);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /** Binds the configured ports and starts accepting. */
    public synchronized void start() throws IOException {
        if (closed) {
            throw new IllegalStateException("server closed");
        }
        bind(options);
    }

    /**
     * Applies new options. Listeners whose address, port or TLS settings changed are re-bound;
     * open associations are not touched.
     */
    public synchronized void update(ServerOptions newOptions) throws IOException {
        ServerOptions old = options;
        options = Objects.requireNonNull(newOptions);
        configure(newOptions);
        if (plain != null && (newOptions.port() != old.port() || !Objects.equals(newOptions.bindAddress(), old.bindAddress()))) {
            plain.close();
            plain = null;
        }
        if (secure != null && (newOptions.tlsPort() != old.tlsPort() || !Objects.equals(newOptions.bindAddress(), old.bindAddress())
                || !Objects.equals(newOptions.tls(), old.tls()))) {
            secure.close();
            secure = null;
        }
        if (!closed) {
            bind(newOptions);
        }
    }

    private void bind(ServerOptions o) throws IOException {
        InetAddress address = o.bindAddress() == null ? null : InetAddress.getByName(o.bindAddress());
        if (plain == null && o.port() >= 0) {
            ServerSocket ss = new ServerSocket();
            plain = listen(ss, address, o.port(), false);
        }
        if (secure == null && o.tlsPort() >= 0) {
            SSLServerSocket ss = (SSLServerSocket) o.tls().context().getServerSocketFactory().createServerSocket();
            o.tls().configure(ss);
            secure = listen(ss, address, o.tlsPort(), true);
        }
    }

    private Listener listen(ServerSocket ss, InetAddress address, int port, boolean tls) throws IOException {
        try {
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(address, port), 128);
        } catch (IOException e) {
            ss.close();
            throw new IOException("cannot listen for DICOM" + (tls ? " TLS" : "") + " on "
                    + (address == null ? "*" : address.getHostAddress()) + ":" + port + ": " + e.getMessage(), e);
        }
        Listener l = new Listener(ss, tls);
        executor.execute(l);
        LOG.info("DICOM{} listening on {}:{} as {}", tls ? " TLS" : "", address == null ? "*" : address.getHostAddress(),
                ss.getLocalPort(), options.aeTitles().isEmpty() ? "any AE title" : options.aeTitles());
        return l;
    }

    /** The bound plain port, or -1. */
    public synchronized int port() {
        return plain == null ? -1 : plain.socket.getLocalPort();
    }

    /** The bound TLS port, or -1. */
    public synchronized int tlsPort() {
        return secure == null ? -1 : secure.socket.getLocalPort();
    }

    public ServerOptions options() {
        return options;
    }

    /** Connections being served (negotiating or associated). */
    public int activeAssociations() {
        return connections.get();
    }

    /** The associations established right now. */
    public List<Association> associations() {
        return associations.stream().filter(a -> a.accept() != null && !a.isClosed()).map(Association.class::cast).toList();
    }

    /** A plain-TCP client sharing this server's threads and timeouts. */
    public DicomClient client() {
        return client;
    }

    /** Stops listening, aborts open associations and ends the server's threads. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (plain != null) {
                plain.close();
            }
            if (secure != null) {
                secure.close();
            }
        }
        for (AssociationImpl a : associations) {
            a.abort();
        }
        // peers normally close on our A-ABORT; those that do not are cut off after a moment
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            for (AssociationImpl a : associations) {
                if (!a.awaitClosed(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
                    a.closeNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            associations.forEach(AssociationImpl::closeNow);
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        scheduler.shutdownNow();
    }

    private final class Listener implements Runnable {
        private final ServerSocket socket;
        private final boolean tls;
        private volatile boolean stopped;

        Listener(ServerSocket socket, boolean tls) {
            this.socket = socket;
            this.tls = tls;
        }

        @Override
        public void run() {
            Thread.currentThread().setName("dicom-listener-" + socket.getLocalPort());
            while (!stopped) {
                Socket s;
                try {
                    s = socket.accept();
                } catch (IOException e) {
                    if (stopped || socket.isClosed()) {
                        if (!stopped) {
                            LOG.warn("DICOM listener on port {} ended: {}", socket.getLocalPort(), e.toString());
                        }
                        return;
                    }
                    // e.g. "Too many open files" (a SocketException): ending here would leave the port
                    // bound but never answered, so back off and keep accepting once the cause passes
                    LOG.warn("DICOM listener on port {}: accept failed, retrying in 1 s: {}", socket.getLocalPort(), e.toString());
                    if (!pause(1000)) {
                        return;
                    }
                    continue;
                }
                // far beyond the limit: do not even spend a thread on negotiating a rejection
                if (connections.incrementAndGet() > 2 * options.maxAssociations() + 16) {
                    connections.decrementAndGet();
                    LOG.warn("connection from {} closed: {} connections open", s.getRemoteSocketAddress(), connections.get());
                    closeQuietly(s);
                    continue;
                }
                try {
                    executor.execute(() -> {
                        try {
                            AssociationImpl.serve(s, settings, registry, policy, associations::add, associations::remove);
                        } finally {
                            connections.decrementAndGet();
                        }
                    });
                } catch (RuntimeException e) {
                    // the executor refuses work only while the server closes
                    LOG.warn("connection from {} closed: {}", s.getRemoteSocketAddress(), e.toString());
                    connections.decrementAndGet();
                    closeQuietly(s);
                }
            }
        }

        private boolean pause(long millis) {
            try {
                Thread.sleep(millis);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void close() {
            stopped = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            LOG.info("DICOM{} listener on port {} closed", tls ? " TLS" : "", socket.getLocalPort());
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
