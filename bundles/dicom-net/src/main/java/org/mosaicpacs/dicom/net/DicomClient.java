package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import javax.net.ssl.SSLSocket;

import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.dicom.net.internal.AssociationImpl;
import org.mosaicpacs.dicom.net.internal.Settings;
import org.mosaicpacs.dicom.net.internal.Threads;

/**
 * Opens associations as association-requestor (SCU), over TCP or DICOM TLS.
 *
 * <pre>
 * try (DicomClient client = DicomClient.builder().build();
 *      Association as = client.connect("pacs", 11112, AAssociateRq.builder("PACS", "ME")
 *              .presentationContext(UID.Verification).build())) {
 *     DimseResponse r = as.echo();
 * }
 * </pre>
 *
 * A client owns the threads its associations read on (daemon threads, ended by {@link #close()},
 * which also aborts associations still open) unless it was built with an executor. Thread-safe;
 * one client serves any number of associations.
 */
public final class DicomClient implements AutoCloseable {

    private final Settings settings;
    private final TlsSettings tls;
    private final boolean ownsThreads;

    private DicomClient(Builder b) {
        ExecutorService executor = b.executor != null ? b.executor : Threads.cachedPool("dicom-scu");
        ScheduledExecutorService scheduler = b.scheduler != null ? b.scheduler : Threads.scheduler("dicom-scu-timer");
        this.ownsThreads = b.executor == null;
        this.tls = b.tls;
        // handlers of requests arriving on our associations get this client for new associations
        this.settings = new Settings(65536, b.maxSendPduLength, millis(b.connectTimeout), millis(b.acseTimeout),
                millis(b.dimseTimeout), millis(b.idleTimeout), b.maxDataSetInMemory, executor, scheduler, null)
                .withClient(this);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Requests an association that receives no requests. */
    public Association connect(String host, int port, AAssociateRq rq) throws IOException {
        return connect(new InetSocketAddress(host, port), rq, DimseHandlerRegistry.empty());
    }

    /**
     * Requests an association whose peer may send us requests: C-STORE sub-operations of a C-GET
     * (on contexts proposed with the SCP role) or N-EVENT-REPORTs; {@code incoming} performs them.
     */
    public Association connect(String host, int port, AAssociateRq rq, DimseHandlerRegistry incoming) throws IOException {
        return connect(new InetSocketAddress(host, port), rq, incoming);
    }

    /**
     * Connects (TLS when configured), sends the A-ASSOCIATE-RQ and waits for the answer.
     *
     * @throws AssociationRejectedException if the peer rejects the association
     * @throws AssociationAbortedException if it aborts, answers badly or not within the ACSE timeout
     * @throws IOException if the connection cannot be made
     */
    public Association connect(InetSocketAddress address, AAssociateRq rq, DimseHandlerRegistry incoming)
            throws IOException {
        Objects.requireNonNull(rq, "rq");
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, settings.connectTimeoutMs());
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.context().getSocketFactory()
                        .createSocket(socket, address.getHostString(), address.getPort(), true);
                tls.configure(ssl);
                ssl.setUseClientMode(true);
                ssl.setSoTimeout(settings.acseTimeoutMs());
                ssl.startHandshake();
                socket = ssl;
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        long announced = rq.userInformation().maxPduLength();
        // 0 announces "no limit": we still refuse to allocate more than 16 MiB for one PDU
        int receive = (int) (announced == 0 ? 16 << 20 : Math.min(announced, Integer.MAX_VALUE - 8));
        return AssociationImpl.request(socket, rq, settings.withMaxReceivePduLength(receive), incoming);
    }

    /** Stops the client's own threads; associations still open are aborted. */
    @Override
    public void close() {
        if (ownsThreads) {
            settings.executor().shutdownNow();
            settings.scheduler().shutdownNow();
        }
    }

    /** Client settings. Defaults: ACSE 30 s, DIMSE 60 s, connect 10 s, no idle timeout, 64 KiB PDUs, no TLS. */
    public static final class Builder {
        private TlsSettings tls;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration acseTimeout = Duration.ofSeconds(30);
        private Duration dimseTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ZERO;
        private int maxSendPduLength = 65536;
        private long maxDataSetInMemory = 64L << 20;
        private ExecutorService executor;
        private ScheduledExecutorService scheduler;

        /** DICOM TLS for every connection. */
        public Builder tls(TlsSettings settings) {
            this.tls = settings;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** The wait for A-ASSOCIATE-AC/RJ and A-RELEASE-RP, and ARTIM. */
        public Builder acseTimeout(Duration d) {
            this.acseTimeout = d;
            return this;
        }

        /** The longest wait for the next response to a request (zero: forever). */
        public Builder dimseTimeout(Duration d) {
            this.dimseTimeout = d;
            return this;
        }

        /** Abort associations idle this long (zero, the default: never). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        /** The largest P-DATA-TF we send, whatever the peer accepts (default 65536). */
        public Builder maxSendPduLength(int length) {
            if (length < 1024) {
                throw new IllegalArgumentException("PDU lengths below 1024 bytes are not supported");
            }
            this.maxSendPduLength = length;
            return this;
        }

        /** The largest data set of a response (C-FIND match, N-GET) kept in memory (default 64 MiB). */
        public Builder maxDataSetInMemory(long bytes) {
            this.maxDataSetInMemory = bytes;
            return this;
        }

        /**
         * Runs reader loops and incoming request handlers on these executors instead of the
         * client's own; the client then does not shut them down.
         */
        public Builder executors(ExecutorService executorService, ScheduledExecutorService timers) {
            this.executor = Objects.requireNonNull(executorService);
            this.scheduler = Objects.requireNonNull(timers);
            return this;
        }

        public DicomClient build() {
            return new DicomClient(this);
        }
    }
}
