package org.mosaicpacs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server from Debian's packages: its own cluster in a temporary folder,
 * on a free port of the loopback interface, started on first use and stopped when the JVM ends.
 * Shared by all tests of one JVM; each test asks for its own database with {@link #createDatabase}.
 *
 * <p>PostgreSQL refuses to run as root; when the tests run as root (CI) the server runs as the
 * {@code postgres} system user that the Debian package creates.
 */
public final class PostgresServer {

    private static PostgresServer shared;

    private final Path binDir;
    private final Path dataDir;
    private final int port;
    private final List<String> runAs;

    private PostgresServer(Path binDir, Path dataDir, int port, List<String> runAs) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
        this.runAs = runAs;
    }

    /** The JVM's server, started if needed; the test stops (skip or fail) when PostgreSQL is not installed. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "postgres-stop"));
        }
        return shared;
    }

    private static PostgresServer start() {
        Path binDir = findBinDir();
        if (binDir == null) {
            TestEnvironment.missing("PostgreSQL server binaries (/usr/lib/postgresql/*/bin)", "apt-get install postgresql");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> runAs = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
        try {
            Path base = Files.createTempDirectory("mosaic-pg-");
            Path dataDir = base.resolve("data");
            if (root) {
                Tools.run(Duration.ofSeconds(10), List.of("chown", "postgres:postgres", base.toString())).assertSuccess();
            }
            int port = Ports.free();
            PostgresServer server = new PostgresServer(binDir, dataDir, port, runAs);
            server.run(Duration.ofMinutes(2), binDir.resolve("initdb").toString(), "-D", dataDir.toString(),
                    "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
            server.run(Duration.ofMinutes(1), binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                    "-l", base.resolve("server.log").toString(), "-w", "-t", "60",
                    "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                    "start");
            server.stopWhenThisJvmIsGone(base);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    /**
     * The shutdown hook does not run when the test JVM is killed (failsafe kills a fork that does
     * not exit within its timeout; a crash), so a small watchdog process stops the server and
     * removes its folder once this JVM is gone.
     */
    private void stopWhenThisJvmIsGone(Path base) throws IOException {
        List<String> stop = new ArrayList<>(runAs);
        stop.addAll(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 2; done; "
                + stop.stream().map(a -> "'" + a + "'").collect(java.util.stream.Collectors.joining(" "))
                + "; rm -rf '" + base + "'";
        new ProcessBuilder("sh", "-c", script).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Path findBinDir() {
        Path lib = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(lib)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private Tools.Result run(Duration timeout, String... command) {
        List<String> cmd = new ArrayList<>(runAs);
        cmd.addAll(List.of(command));
        return Tools.run(timeout, cmd, Path.of("/"), Map.of()).assertSuccess();
    }

    /** Creates a fresh, empty database owned by user {@code postgres} and returns its JDBC URL. */
    public String createDatabase(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("database names here are lower-case identifiers: " + name);
        }
        run(Duration.ofSeconds(30), binDir.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c", "DROP DATABASE IF EXISTS " + name,
                "-c", "CREATE DATABASE " + name + " ENCODING 'UTF8'");
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    private void stop() {
        List<String> cmd = new ArrayList<>(runAs);
        cmd.addAll(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
        Tools.run(Duration.ofSeconds(30), cmd, Path.of("/"), Map.of());
        Tools.run(Duration.ofSeconds(30), List.of("rm", "-rf", dataDir.getParent().toString()));
    }
}
