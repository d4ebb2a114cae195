package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.testing.Tools;

/**
 * A server that runs out of file descriptors ("Too many open files" from accept) backs off
 * rather than spinning on accept, and serves again once descriptors are free. The server runs
 * in a child JVM under {@code prlimit --nofile}, so only it starves.
 */
class FileDescriptorExhaustionTest {

    private static final int DESCRIPTOR_LIMIT = 128;

    @Test
    void acceptBacksOffWhenOutOfDescriptorsAndRecovers(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        List<String> command = List.of(Tools.require("prlimit").toString(), "--nofile=" + DESCRIPTOR_LIMIT + ":" + DESCRIPTOR_LIMIT,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EchoServerMain.class.getName());
        Process server = new ProcessBuilder(command).redirectError(log.toFile()).start();
        List<Socket> hogs = new ArrayList<>();
        try {
            int port = readPort(server);
            // a served and closed association first, as in any running server: the JDK sets up socket
            // closing on first use, and that set-up itself fails for good when it meets EMFILE
            echo(port, log);
            // more connections than the server has descriptors (but fewer than its connection cap, 2 x 100 + 16):
            // accept fails with EMFILE once they run out
            for (int i = 0; i < DESCRIPTOR_LIMIT + 50; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                hogs.add(s);
            }
            awaitLog(log, "accept failed");
            // while starved, the listener backs off instead of spinning on accept and flooding the log
            Thread.sleep(3000);
            long failures = Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(l -> l.contains("accept failed")).count();
            assertThat(failures).as("accept failures logged in about 3 s").isBetween(1L, 6L);
            for (Socket s : hogs) {
                s.close();
            }
            hogs.clear();
            // the server closes the idle connections it did accept (ACSE timeout 5 s) and accepts again
            echo(port, log);
        } finally {
            for (Socket s : hogs) {
                s.close();
            }
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void echo(int port, Path log) throws IOException, InterruptedException {
        try (DicomClient client = DicomClient.builder().build();
             Association as = client.connect("127.0.0.1", port, TestHandlers.rq().presentationContext(UID.Verification).build())) {
            assertThat(as.echo().isSuccess()).isTrue();
            as.release();
        } catch (IOException e) {
            throw new AssertionError("no C-ECHO response; server log:\n" + Files.readString(log, StandardCharsets.ISO_8859_1), e);
        }
    }

    private static int readPort(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null || !line.startsWith("port ")) {
            throw new IllegalStateException("the echo server did not start: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    private static void awaitLog(Path log, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server never ran out of descriptors; its log:\n"
                + (Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "(none)"));
    }
}
