package org.mosaicpacs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real and generated DICOM files for tests. Nothing large is committed: pydicom's Debian package
 * brings real files, and {@code testing/python/make-corpus.py} generates deterministic corpora on
 * first use into {@code <root>/target/test-work/corpus-<name>}, shared by every module of a build.
 */
public final class TestData {

    /** Where Debian's python3-pydicom keeps its test files. */
    public static final Path PYDICOM_DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

    private TestData() {
    }

    /** pydicom's data folder (test_files, charset_files, palettes), or the test stops. */
    public static Path realFilesDir() {
        if (!Files.isDirectory(PYDICOM_DATA.resolve("test_files"))) {
            TestEnvironment.missing("pydicom's real test files", "apt-get install python3-pydicom");
        }
        return PYDICOM_DATA;
    }

    /**
     * Every real DICOM file pydicom ships: the {@code *.dcm} files plus the files of the DICOMDIR
     * trees (which have no extension). Sorted, so test names are stable.
     */
    public static List<Path> realDicomFiles() {
        Path dir = realFilesDir();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(TestData::looksLikeDicom)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean looksLikeDicom(Path p) {
        String name = p.getFileName().toString();
        if (name.endsWith(".dcm")) {
            return true;
        }
        // DICOMDIR trees: files without an extension below a dicomdirtests folder, and DICOMDIR itself
        return p.toString().contains("dicomdirtests") && !name.contains(".");
    }

    /**
     * A generated corpus, made once per build and reused. {@code name} identifies the argument
     * set; the same name must always be used with the same arguments.
     *
     * @param name folder name suffix, e.g. {@code "mixed"}
     * @param makeCorpusArgs arguments for make-corpus.py other than {@code --out}
     * @return the corpus folder (holding {@code native/}, {@code manifest.csv}, ...)
     */
    public static Path corpus(String name, String... makeCorpusArgs) {
        Path python = Tools.pydicomPython();
        Path out = TestEnvironment.sharedWorkDir("corpus-" + name);
        Path done = out.resolve(".complete");
        Path lock = out.resolveSibling("corpus-" + name + ".lock");
        // Modules may build in parallel (mvn -T): one generates, the others wait on the file lock.
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (!Files.exists(done)) {
                List<String> cmd = new ArrayList<>(List.of(python.toString(),
                        TestEnvironment.repoRoot().resolve("testing/python/make-corpus.py").toString(),
                        "--out", out.toString(), "--force", "--quiet"));
                cmd.addAll(List.of(makeCorpusArgs));
                if (List.of(makeCorpusArgs).contains("--syntaxes")) {
                    Tools.require("dcmconv");
                    Tools.require("gdcmconv");
                }
                Tools.run(Duration.ofMinutes(10), cmd).assertSuccess();
                Files.writeString(done, String.join(" ", makeCorpusArgs));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate corpus " + name, e);
        }
        return out;
    }

    /** The standard small mixed corpus: all modalities, six character sets, every transfer syntax. */
    public static Path mixedCorpus() {
        return corpus("mixed", "--patients", "6", "--studies-per-patient", "2",
                "--instances-per-series", "3", "--syntaxes");
    }

    /**
     * The files of one kind in a generated corpus (column {@code kind} of its {@code manifest.csv}:
     * CT, MR, US, SC_RGB...), in manifest order: a series' instances in instance order.
     */
    public static List<Path> corpusFiles(Path corpus, String kind) {
        List<String> manifest = TestFiles.readLines(corpus.resolve("manifest.csv"));
        int column = List.of(manifest.get(0).split(",")).indexOf("kind");
        if (column < 0) {
            throw new IllegalStateException(corpus.resolve("manifest.csv") + " has no column kind");
        }
        return manifest.stream().skip(1)
                .map(line -> line.split(","))
                .filter(cells -> cells.length > column && cells[column].equals(kind))
                .map(cells -> corpus.resolve(cells[0]))
                .toList();
    }

    /** All {@code .dcm} files below a folder, sorted. */
    public static List<Path> dicomFilesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".dcm"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
