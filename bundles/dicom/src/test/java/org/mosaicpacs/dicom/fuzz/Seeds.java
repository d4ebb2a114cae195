package org.mosaicpacs.dicom.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.mosaicpacs.testing.TestEnvironment;

/**
 * Where Jazzer keeps its corpus in fuzzing mode: {@code <jazzer.internal.basedir>/.cifuzz-corpus/<class>/<method>}
 * (the module's {@code target/jazzer} in the {@code fuzz} Surefire execution). Seeds written there
 * before the fuzz test method runs are where libFuzzer starts from.
 */
final class Seeds {

    private Seeds() {
    }

    static Path corpus(Class<?> testClass, String method) {
        String base = System.getProperty("jazzer.internal.basedir");
        Path root = base != null ? Path.of(base) : TestEnvironment.repoRoot().resolve("bundles/dicom/target/jazzer");
        try {
            return Files.createDirectories(root.resolve(".cifuzz-corpus").resolve(testClass.getName()).resolve(method));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if JAZZER_FUZZ is set: the fuzz tests mutate inputs; else they only replay their inputs. */
    static boolean fuzzing() {
        String v = System.getenv("JAZZER_FUZZ");
        return v != null && !v.isEmpty();
    }
}
