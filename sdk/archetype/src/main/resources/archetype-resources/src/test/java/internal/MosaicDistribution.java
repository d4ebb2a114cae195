package ${package}.internal;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Mosaic distribution for integration tests: unpacked from its tar.gz into target/, started as
 * {@code bin/karaf server} on free ports, driven through {@code bin/client}, stopped at the end.
 */
final class MosaicDistribution implements AutoCloseable {

    final Path home;
    final int httpPort = freePort();
    final int dicomPort = freePort();
    private final int sshPort = freePort();
    private final Process process;

    MosaicDistribution(Path tarball, Path workDir) throws IOException, InterruptedException {
        if (Files.exists(workDir)) {
            try (Stream<Path> files = Files.walk(workDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(workDir);
        run(workDir, "tar", "xzf", tarball.toString(), "-C", workDir.toString(), "--strip-components=1");
        home = workDir;
        append("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port = " + httpPort);
        append("etc/org.apache.karaf.shell.cfg", "sshPort = " + sshPort);
        append("etc/org.apache.karaf.management.cfg", "rmiRegistryPort = " + freePort() + "\nrmiServerPort = " + freePort());
        append("etc/org.mosaicpacs.dimse.acceptor.cfg", "port = " + dicomPort);
        process = new ProcessBuilder("bin/karaf", "server").directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile()).start();
        awaitHealth();
    }

    /** Runs Karaf shell commands through bin/client; returns what they printed. */
    String shell(String commands) throws IOException, InterruptedException {
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", Integer.toString(sshPort),
                "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "5", "-d", "2", "-b")
                .directory(home.toFile()).redirectErrorStream(true).start();
        client.getOutputStream().write((commands + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(3, TimeUnit.MINUTES) || client.exitValue() != 0 || out.contains("Error executing command")) {
            throw new IllegalStateException("shell failed: " + commands + "\n" + out);
        }
        return out;
    }

    private void awaitHealth() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Karaf exited; see " + home.resolve("console.log"));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/api/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("Mosaic did not become healthy within 3 minutes; see " + home.resolve("data/log"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            run(home, home.resolve("bin/stop").toString());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private void append(String file, String lines) throws IOException {
        Path p = home.resolve(file);
        List<String> content = new ArrayList<>(Files.exists(p) ? Files.readAllLines(p) : List.of());
        content.add(lines);
        Files.write(p, content);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
