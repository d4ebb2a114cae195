package org.mosaicpacs.codec.jpeg2000.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

/**
 * Test vectors made by {@code src/test/python/codec-vectors.py} from pydicom's real files and the
 * mixed corpus: JPEG 2000 frames with GDCM's decodes (the only other JPEG 2000 decoder here), and
 * native frames to encode.
 * One script run per call (a test class calls it once, in {@code @BeforeAll}).
 */
final class CodecVectors {

    static final String GDCM = "gdcm";

    private CodecVectors() {
    }

    /** A file's image parameters and where its frames and reference decodes are. */
    record Vector(String id, String kind, String transferSyntax, ImageDescriptor image, int frames, List<String> refs,
                  String notes, Path source, Path dir) {

        byte[] frame(int i) {
            return read(dir.resolve("frame-" + i + ".bin"));
        }

        byte[] reference(String tool, int i) {
            return read(dir.resolve(tool + "-" + i + ".raw"));
        }

        boolean compressed() {
            return kind.equals("compressed");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** The files to draw vectors from: every real file, the corpus' J2K files and its native copies. */
    static List<Path> sourceFiles() {
        List<Path> files = new ArrayList<>(TestData.realDicomFiles());
        Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
        for (String folder : List.of("j2k-lossless", "j2k-lossy", "implicit-le")) {
            files.addAll(TestData.dicomFilesUnder(syntaxes.resolve(folder)));
        }
        return files;
    }

    /** Runs the extract step once into {@code out} (emptied first) with the given reference tools. */
    static List<Vector> extract(Path out, List<String> tools) {
        return extract(out, tools, sourceFiles());
    }

    /** Runs the extract step once into {@code out} (emptied first) on the given files. */
    static List<Vector> extract(Path out, List<String> tools, List<Path> files) {
        Path python = Tools.pydicomPython();
        if (!tools.isEmpty()) {
            Tools.require("gdcmconv");
        }
        deleteTree(out);
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script().toString(), "extract",
                "--syntax", Jpeg2000Codec.LOSSLESS, "--syntax", Jpeg2000Codec.LOSSY));
        tools.forEach(t -> cmd.addAll(List.of("--tool", t)));
        cmd.add(out.toString());
        files.forEach(f -> cmd.add(f.toString()));
        Tools.run(Duration.ofMinutes(5), cmd).assertSuccess();
        return parse(out);
    }

    /** Wraps encoded frames (written under {@code dir} with {@code encoded.tsv}) and decodes them with the tools. */
    static void roundTrip(Path dir, List<String> tools) {
        Tools.require("gdcmconv");
        List<String> cmd = new ArrayList<>(List.of(Tools.pydicomPython().toString(), script().toString(),
                "roundtrip"));
        tools.forEach(t -> cmd.addAll(List.of("--tool", t)));
        cmd.add(dir.toString());
        Tools.run(Duration.ofMinutes(5), cmd).assertSuccess();
    }

    static Path script() {
        return Path.of("src/test/python/codec-vectors.py").toAbsolutePath();
    }

    /** The vectors of an earlier extract run into {@code out}. */
    static List<Vector> parse(Path out) {
        List<Vector> vectors = new ArrayList<>();
        List<String> lines = readLines(out.resolve("vectors.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            ImageDescriptor image = new ImageDescriptor(Integer.parseInt(c[3]), Integer.parseInt(c[4]),
                    Integer.parseInt(c[5]), Integer.parseInt(c[6]), Integer.parseInt(c[7]), Integer.parseInt(c[8]),
                    c[9].equals("1"), c[10], Integer.parseInt(c[11]));
            List<String> refs = c[13].isEmpty() ? List.of() : Arrays.asList(c[13].split(","));
            vectors.add(new Vector(c[0], c[1], c[2], image, Integer.parseInt(c[12]), refs, c[14], Path.of(c[15]),
                    out.resolve(c[0])));
        }
        return vectors;
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }
}
