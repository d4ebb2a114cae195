package org.mosaicpacs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** TCP ports for the peers and servers the tests start. */
public final class Ports {

    private Ports() {
    }

    /** Every port {@link #free()} handed out in this JVM: the system may offer a closed one again. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port nothing listens on at this moment (the system's choice of an ephemeral port), never one
     * handed out before in this JVM. The system does offer the port it just offered again: a server
     * given one port for DICOM and the next for SSH once got the same for both, and storescu met SSH.
     */
    public static int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port that was not handed out already in 100 attempts");
    }

    /**
     * True once a socket listens on the port, read from /proc/net/tcp and tcp6 (state 0A, LISTEN): a
     * probe connection would itself be an association attempt, which some peers (dcmqrscp
     * --single-process, storescp) take for their one client.
     */
    public static boolean listening(int port) throws IOException {
        String local = String.format(":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path f = Path.of(table);
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f)) {
                    String[] cols = line.trim().split("\\s+");
                    if (cols.length > 3 && (cols[1] + " ").endsWith(local) && cols[3].equals("0A")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
