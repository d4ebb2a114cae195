package org.mosaicpacs.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the repository is and how strict the tests must be about independent tools.
 *
 * <p>{@code scripts/test} sets {@code -Dmosaic.interop=required}: then a missing tool (DCMTK,
 * pydicom, ...) fails the test, because the script installed them and their absence is a bug. In
 * a bare {@code mvn test} on a developer machine a missing tool skips the test with a message
 * that names the package to install.
 */
public final class TestEnvironment {

    private TestEnvironment() {
    }

    /** The repository root (the folder holding the reactor {@code pom.xml} and {@code .mvn/}). */
    public static Path repoRoot() {
        String prop = System.getProperty("mosaic.root");
        Path start = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".mvn")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + start);
    }

    /** A scratch folder shared by all modules of one build: {@code <root>/target/test-work/<name>}. */
    public static Path sharedWorkDir(String name) {
        Path dir = repoRoot().resolve("target").resolve("test-work").resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    /** True when the test command promised every independent tool (see class comment). */
    public static boolean interopRequired() {
        return "required".equals(System.getProperty("mosaic.interop"));
    }

    /**
     * Stops the current test because a prerequisite is missing: a failure when interop tools are
     * required, a skip otherwise.
     */
    public static void missing(String what, String howToInstall) {
        String message = what + " is not available (" + howToInstall + ")";
        if (interopRequired()) {
            Assertions.fail(message + "; scripts/test should have installed it");
        }
        Assumptions.abort(message + "; test skipped");
    }
}
