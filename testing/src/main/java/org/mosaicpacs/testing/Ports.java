package org.mosaicpacs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** TCP ports for the peers and servers the tests start. */
public final class Ports {

    private Ports() {
    }

    /** A port nothing listens on at this moment (the system's choice of an ephemeral port). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
