package org.mosaicpacs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Independent implementations we check ourselves against: located on the PATH, run with a timeout.
 */
public final class Tools {

    /** Debian package that provides each executable the tests use. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("dcmdump", "dcmtk"), Map.entry("storescu", "dcmtk"), Map.entry("storescp", "dcmtk"),
            Map.entry("echoscu", "dcmtk"), Map.entry("echoscp", "dcmtk"), Map.entry("findscu", "dcmtk"),
            Map.entry("movescu", "dcmtk"), Map.entry("getscu", "dcmtk"), Map.entry("dcmqrscp", "dcmtk"),
            Map.entry("wlmscpfs", "dcmtk"), Map.entry("dcmconv", "dcmtk"), Map.entry("dcmdjpeg", "dcmtk"),
            Map.entry("dcmcjpeg", "dcmtk"), Map.entry("dcmdjpls", "dcmtk"), Map.entry("dcmcjpls", "dcmtk"),
            Map.entry("dcmdrle", "dcmtk"), Map.entry("dcmcrle", "dcmtk"), Map.entry("dcmodify", "dcmtk"),
            Map.entry("dump2dcm", "dcmtk"),
            Map.entry("gdcmconv", "libgdcm-tools"), Map.entry("gdcminfo", "libgdcm-tools"),
            Map.entry("dciodvfy", "dicom3tools"), Map.entry("tshark", "tshark"),
            Map.entry("Orthanc", "orthanc"), Map.entry("psql", "postgresql"), Map.entry("node", "nodejs"));

    private Tools() {
    }

    /** The executable's path, or the test stops (fails or skips, see {@link TestEnvironment}). */
    public static Path require(String executable) {
        Path found = find(executable);
        if (found == null) {
            TestEnvironment.missing(executable, "apt-get install " + PACKAGES.getOrDefault(executable, executable));
        }
        return found;
    }

    /** The executable's path on the PATH (or in /usr/sbin, /usr/lib/postgresql/STAR/bin), or null. */
    public static Path find(String executable) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")));
        dirs.add("/usr/sbin");
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            Path p = Path.of(dir, executable);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Debian's python3 with pydicom and numpy. Never the pyenv shim on the PATH, which has no pydicom.
     */
    public static Path pydicomPython() {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)
                || !Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/pydicom"))
                || !Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/numpy"))) {
            TestEnvironment.missing("pydicom for /usr/bin/python3", "apt-get install python3-pydicom python3-numpy");
        }
        return python;
    }

    /** Runs a command to completion; the result carries exit code, stdout and stderr. */
    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, null, Map.of());
    }

    /** Runs a command in a working directory with extra environment variables. */
    public static Result run(Duration timeout, List<String> command, Path workDir, Map<String, String> env) {
        return run(timeout, command, workDir, env, null);
    }

    /** Runs a command in a working directory with extra environment variables, writing {@code stdin} to it. */
    public static Result run(Duration timeout, List<String> command, Path workDir, Map<String, String> env,
                             String stdin) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        // Debian's DCMTK keeps Nagle on unless told (see shared/bench/PEERS.md).
        pb.environment().put("TCP_NODELAY", "1");
        pb.environment().putAll(env);
        try {
            Process process = pb.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            CompletableFuture<byte[]> out = readAsync(process.getInputStream());
            CompletableFuture<byte[]> err = readAsync(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\nstderr: " + new String(err.getNow(new byte[0]), StandardCharsets.UTF_8));
            }
            return new Result(command, process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What a finished command printed and returned. */
    public record Result(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {

        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }

        /** This result, or an AssertionError with the command's output when it did not exit 0. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + ": " + String.join(" ", command)
                        + "\nstdout: " + out() + "\nstderr: " + err());
            }
            return this;
        }
    }
}
