package org.mosaicpacs.dicom.net.internal;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketOption;

/**
 * Keeps the kernel from delaying its acknowledgements on an association's socket, where it can
 * (Linux's {@code TCP_QUICKACK}, through {@code jdk.net.ExtendedSocketOptions}).
 *
 * <p>Why: Linux delays an ACK by up to 40 ms on a connection it takes for a dialogue ("pingpong"
 * mode, entered whenever we send right after receiving, as every DIMSE response does). A peer
 * that has not switched off Nagle's algorithm holds back its next segment smaller than the MSS
 * until everything it sent is acknowledged. DCMTK keeps Nagle on unless {@code TCP_NODELAY} is set
 * in its environment, and so do the tools and archives built on it (Orthanc as shipped): such a
 * peer writes each PDU header on its own, then waits for our delayed ACK before the rest of the
 * PDU goes out: 40 ms for every small image, and now and then for a CT image (docs/performance.md,
 * "Peers as shipped"). The option is not sticky (tcp(7): "not permanent"), so the association sets
 * it again after each message or control PDU it sends. Our SCU side gains too: the C-STORE
 * responses of a storescp as shipped reach us without the wait.
 *
 * <p>{@code jdk.net} is imported optionally: without it, or off Linux, the kernel's default stays.
 * The JDK's TLS sockets, layered or not, pass the option on to their TCP connection.
 */
final class PromptAcks {

    private static final SocketOption<Boolean> QUICKACK = quickAckOption();

    private PromptAcks() {
    }

    private static SocketOption<Boolean> quickAckOption() {
        try {
            return jdk.net.ExtendedSocketOptions.TCP_QUICKACK;
        } catch (LinkageError e) {
            return null; // a runtime without the jdk.net module, or a framework that does not export it
        }
    }

    /** True if the socket takes the option, so that {@link #request} may be called after each send. */
    static boolean supported(Socket socket) {
        try {
            return QUICKACK != null && socket.supportedOptions().contains(QUICKACK);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** Asks for immediate ACKs of what the peer sends next; lasts until the kernel changes mode again. */
    static void request(Socket socket) throws IOException {
        socket.setOption(QUICKACK, Boolean.TRUE);
    }
}
