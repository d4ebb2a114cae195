package org.mosaicpacs.itests.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.Tools;

/**
 * The real distribution, unpacked from the tar.gz this build produced and run as a separate
 * process, the way an admin runs it: {@code bin/karaf server}. Ports are free ones chosen per
 * instance, so tests never collide with a PACS already running on the machine.
 *
 * <p>Tests drive it from outside only: DICOM clients (DCMTK, our SCU), HTTP, and the Karaf shell
 * through {@code bin/client}. {@link #kill()} is a SIGKILL of the JVM, for crash tests.
 */
public final class MosaicServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path home;
    private final int httpPort;
    private final int dicomPort;
    private final int sshPort;
    private final boolean offline;
    private Process process;

    private MosaicServer(Path home, boolean offline) {
        this.home = home;
        this.offline = offline;
        this.httpPort = Ports.free();
        this.dicomPort = Ports.free();
        this.sshPort = Ports.free();
    }

    /**
     * Unpacks the distribution into {@code workDir} (replacing what was there) and configures its
     * ports. Does not start it.
     *
     * @param offline run it in a network namespace of its own with only loopback, and an empty
     *                home folder, to prove it needs nothing from the network or ~/.m2
     */
    public static MosaicServer unpack(Path workDir, boolean offline) {
        // One folder per test JVM, so that test runs in parallel (several builds of the module)
        // never share or kill each other's servers; folders of JVMs that are gone are cleaned up.
        workDir = perJvm(workDir);
        String tarball = System.getProperty("mosaic.distribution");
        if (tarball == null || !Files.isRegularFile(Path.of(tarball))) {
            throw new IllegalStateException("system property mosaic.distribution must name the built tar.gz, is " + tarball);
        }
        try {
            killLeftovers(workDir);
            deleteRecursively(workDir);
            Files.createDirectories(workDir);
            Tools.run(Duration.ofMinutes(2), List.of("tar", "xzf", tarball, "-C", workDir.toString(),
                    "--strip-components=1")).assertSuccess();
            MosaicServer server = new MosaicServer(workDir, offline);
            server.configurePorts();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the distribution into " + workDir, e);
        }
    }

    private static Path perJvm(Path workDir) {
        Path parent = workDir.toAbsolutePath().getParent();
        String base = workDir.getFileName().toString();
        try {
            Files.createDirectories(parent);
            try (var siblings = Files.list(parent)) {
                for (Path p : siblings.toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(base + "-jvm")) {
                        long pid = Long.parseLong(name.substring((base + "-jvm").length()));
                        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                            continue;
                        }
                        killLeftovers(p);
                        deleteRecursively(p);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot prepare " + parent + ": " + e, e);
        }
        return parent.resolve(base + "-jvm" + ProcessHandle.current().pid());
    }

    /**
     * Kills Karaf processes an earlier, interrupted test run left running from this folder: they
     * would keep its ports and answer in place of the new server.
     */
    private static void killLeftovers(Path workDir) {
        String home = "-Dkaraf.home=" + workDir.toAbsolutePath();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(home)).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
                });
    }

    private void configurePorts() throws IOException {
        setProperty("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(httpPort));
        setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(sshPort));
        setProperty("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(Ports.free()));
        setProperty("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(Ports.free()));
        setProperty("etc/org.mosaicpacs.dimse.acceptor.cfg", "port", Integer.toString(dicomPort));
    }

    /** Sets {@code key = value} in a Karaf configuration file, replacing an existing line. */
    public void setProperty(String relativeFile, String key, String value) {
        setProperties(relativeFile, Map.of(key, value));
    }

    /**
     * Sets several properties of a Karaf configuration file in one change. The file is replaced
     * atomically (written beside it, then renamed): fileinstall polls {@code etc/} every second
     * and would otherwise hand ConfigAdmin a half-written file, or one edit of several.
     */
    public void setProperties(String relativeFile, Map<String, String> properties) {
        Path file = home.resolve(relativeFile);
        try {
            List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
            for (Map.Entry<String, String> p : new TreeMap<>(properties).entrySet()) {
                String key = p.getKey();
                boolean replaced = false;
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    if (line.startsWith(key + " ") || line.startsWith(key + "=")) {
                        lines.set(i, key + " = " + p.getValue());
                        replaced = true;
                    }
                }
                if (!replaced) {
                    lines.add(key + " = " + p.getValue());
                }
            }
            // the temporary name does not match fileinstall's filter (.cfg, .config, .json)
            Path temporary = file.resolveSibling(file.getFileName() + ".editing");
            Files.write(temporary, lines);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + file, e);
        }
    }

    /**
     * What a failing test should print about the server: whether the Karaf process still runs,
     * and the last lines of karaf.log that contain one of {@code needles} (all lines if none).
     */
    public String diagnostics(String... needles) {
        StringBuilder b = new StringBuilder("\n--- server ").append(home).append(": Karaf process ");
        if (process == null) {
            b.append("never started");
        } else if (process.isAlive()) {
            b.append("running (pid ").append(process.pid()).append(')');
        } else {
            b.append("ended with exit code ").append(process.exitValue());
        }
        Path log = home.resolve("data/log/karaf.log");
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            List<String> matching = lines.stream()
                    .filter(l -> needles.length == 0 || Arrays.stream(needles).anyMatch(l::contains)).toList();
            b.append("; last karaf.log lines").append(needles.length == 0 ? "" : " about " + String.join(", ", needles))
                    .append(":\n");
            matching.subList(Math.max(0, matching.size() - 40), matching.size()).forEach(l -> b.append(l).append('\n'));
        } catch (IOException e) {
            b.append("; cannot read ").append(log).append(": ").append(e);
        }
        return b.toString();
    }

    /**
     * Points the index at a PostgreSQL database instead of the embedded Derby, the way the admin
     * guide says: the {@code mosaic} DataSource configuration and the driver feature at boot.
     */
    public void usePostgresql(String jdbcUrl, String user) {
        String datasource = "etc/org.ops4j.datasource-mosaic.cfg";
        if (!Files.isRegularFile(home.resolve(datasource))) {
            throw new IllegalStateException("the distribution does not ship " + datasource);
        }
        setProperty(datasource, "osgi.jdbc.driver.name", "PostgreSQL JDBC Driver");
        setProperty(datasource, "url", jdbcUrl);
        setProperty(datasource, "user", user);
        setProperty(datasource, "password", "");
        addBootFeature("mosaic-db-postgresql");
    }

    /** Adds a feature to those Karaf installs at boot, after the others (featuresBoot spans continuation lines). */
    public void addBootFeature(String feature) {
        Path cfg = home.resolve("etc/org.apache.karaf.features.cfg");
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(cfg));
            int i = 0;
            while (!lines.get(i).startsWith("featuresBoot")) {
                i++;
            }
            while (lines.get(i).stripTrailing().endsWith("\\")) {
                i++;
            }
            lines.set(i, lines.get(i).stripTrailing() + ", " + feature);
            Files.write(cfg, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + cfg, e);
        }
    }

    /** Starts the server and waits until {@code /api/health} answers 200 and DICOMweb answers. */
    public void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        List<String> command = new ArrayList<>();
        if (offline) {
            command.addAll(List.of("unshare", "-n", "sh", "-c", "ip link set lo up && exec bin/karaf server"));
        } else {
            command.addAll(List.of("bin/karaf", "server"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        Map<String, String> env = pb.environment();
        if (offline) {
            Path emptyHome = home.resolve("empty-home");
            try {
                Files.createDirectories(emptyHome);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            env.put("HOME", emptyHome.toString());
            env.put("EXTRA_JAVA_OPTS", "-Duser.home=" + emptyHome);
        }
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + home, e);
        }
        try {
            awaitHealth();
        } catch (RuntimeException e) {
            // Never leave a half-started server behind: it would hold its ports after the test run.
            kill();
            throw e;
        }
    }

    private void awaitHealth() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        for (int round = 0; System.nanoTime() < deadline; round++) {
            if (round % 8 == 7) {
                failOnWhiteboardRace();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Karaf exited with " + process.exitValue() + "; see " + home.resolve("console.log"));
            }
            try {
                HttpResponse<String> response = get("/api/health");
                // DICOMweb registers on its own schedule: ready means both REST applications answer.
                HttpResponse<String> dicomWeb = response.statusCode() == 200 ? get("/dicom-web/studies?limit=1") : null;
                if (dicomWeb != null && (dicomWeb.statusCode() == 200 || dicomWeb.statusCode() == 204)) {
                    failOnWhiteboardRace(); // it may also have lost a single resource, not a whole application
                    return;
                }
                last = dicomWeb == null ? response.statusCode() + " " + response.body()
                        : "/dicom-web/studies: " + dicomWeb.statusCode() + " " + dicomWeb.body();
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(250);
        }
        throw new IllegalStateException("/api/health did not answer 200 within " + START_TIMEOUT + ": " + last
                + "; see " + home.resolve("data/log/karaf.log"));
    }

    /**
     * The distribution ships Aries Component DSL patched against the JAX-RS whiteboard's start-up
     * race (karaf-distribution/aries-component-dsl): seeing it again is a bug, not bad luck.
     */
    private void failOnWhiteboardRace() {
        if (whiteboardRaceHit()) {
            throw new IllegalStateException("the JAX-RS whiteboard failed during start-up"
                    + " (ConcurrentModificationException in " + home.resolve("data/log/karaf.log") + ")");
        }
    }

    /** Whether the JAX-RS whiteboard logged the start-up race it used to lose services to. */
    private boolean whiteboardRaceHit() {
        Path log = home.resolve("data/log/karaf.log");
        try {
            return Files.exists(log) && Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                    .anyMatch(l -> l.contains("org.apache.aries.jax.rs.whiteboard") && l.contains("ConcurrentModificationException"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * GET on the server's HTTP port. An offline server lives in its own network namespace, so
     * the request is made by curl inside that namespace; the answer is the status and body only.
     */
    public HttpResponse<String> get(String path) throws IOException {
        if (offline) {
            Tools.Result r = Tools.run(Duration.ofSeconds(30), inNamespace(List.of("curl", "-s", "-m", "20",
                    "-w", "\n%{http_code}", http(path).toString())));
            if (r.exitCode() != 0) {
                throw new IOException("curl exit " + r.exitCode() + " " + r.err());
            }
            String out = r.out();
            int nl = out.lastIndexOf('\n');
            return new CurlResponse(http(path), Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(30)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Runs a Karaf shell command through {@code bin/client} and returns what it printed. */
    public String shell(String command) {
        // Without a terminal, bin/client reads its commands from stdin in batch mode (-b).
        Tools.Result result = Tools.run(Duration.ofMinutes(3), inNamespace(List.of(home.resolve("bin/client").toString(),
                "-a", Integer.toString(sshPort), "-h", "127.0.0.1", "-u", "karaf", "-p", "karaf", "-r", "5", "-d", "2",
                "-b")), home, Map.of(), command + "\n");
        String out = result.out();
        if (result.exitCode() != 0 || out.contains("Error executing command")) {
            throw new AssertionError("shell command failed: " + command + "\n" + out + result.err());
        }
        return out;
    }

    /** A command prefixed so that it runs in the server's network namespace when offline. */
    private List<String> inNamespace(List<String> command) {
        if (!offline) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("nsenter", "--net=/proc/" + process.pid() + "/ns/net", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Stops the server the clean way (bin/stop) and waits for the process to end. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        Tools.run(Duration.ofSeconds(60), inNamespace(List.of(home.resolve("bin/stop").toString())), home, Map.of());
        waitFor(Duration.ofSeconds(60));
    }

    /** SIGKILL of the Karaf JVM and its launcher script: a crash, no shutdown hooks run. */
    public void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    private void waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public Path home() {
        return home;
    }

    public int httpPort() {
        return httpPort;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The status and body of a request made with curl (offline servers). */
    private record CurlResponse(URI uri, int statusCode, String body) implements HttpResponse<String> {
        /** The GET that curl made, as a request object (it was not sent by an HttpClient). */
        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(uri).GET().build();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return java.util.Optional.empty();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
