package org.mosaicpacs.codec.jpegls.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

/**
 * Test vectors from src/test/python/jpegls-vectors.py: JPEG-LS frames of pydicom's real files and
 * of the mixed corpus (DCMTK- and GDCM-encoded) with DCMTK's and GDCM's decodes, plus native
 * originals for the encoder. Made once per test JVM into target/jpegls-vectors.
 */
final class JpegLsVectors {

    /** One row of vectors.tsv. */
    record Vector(Path dir, String id, String kind, String transferSyntax, ImageDescriptor image, int frames,
                  String source) {

        byte[] frame(int i) {
            return TestFiles.read(dir.resolve("frame-" + i + ".jls"));
        }

        byte[] original() {
            return TestFiles.read(dir.resolve("original.raw"));
        }

        int frameLength() {
            return (int) image.frameLength();
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private static List<Vector> vectors;

    private JpegLsVectors() {
    }

    static Path script() {
        return TestEnvironment.repoRoot().resolve("bundles/codec-jpegls/src/test/python/jpegls-vectors.py");
    }

    static Path directory() {
        return TestEnvironment.repoRoot().resolve("bundles/codec-jpegls/target/jpegls-vectors");
    }

    /** All vectors, made on first use (needs pydicom, DCMTK, GDCM and the mixed corpus). */
    static synchronized List<Vector> all() {
        if (vectors == null) {
            Path python = Tools.pydicomPython();
            Tools.require("dcmdjpls");
            Tools.require("gdcmconv");
            Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
            List<String> cmd = new ArrayList<>(List.of(python.toString(), script().toString(), "extract",
                    directory().toString()));
            TestData.realDicomFiles().forEach(p -> cmd.add(p.toString()));
            for (String folder : List.of("jpegls-lossless", "jpegls-lossless-gdcm", "jpegls-near-lossless",
                    "jpegls-near-lossless-gdcm")) {
                TestData.dicomFilesUnder(syntaxes.resolve(folder)).forEach(p -> cmd.add(p.toString()));
            }
            cmd.add("--originals");
            TestData.dicomFilesUnder(syntaxes.resolve("implicit-le")).forEach(p -> cmd.add(p.toString()));
            TestFiles.deleteTree(directory());
            Tools.run(Duration.ofMinutes(5), cmd).assertSuccess();
            vectors = readIndex();
        }
        return vectors;
    }

    /**
     * One vector by id, for the benchmark: the vectors a previous test run left in place, or new
     * ones when there are none (a forked benchmark JVM should not spend 20 s remaking them).
     */
    static synchronized Vector find(String id) {
        if (vectors == null && Files.exists(directory().resolve("vectors.tsv"))) {
            vectors = readIndex();
        }
        return all().stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no test vector " + id));
    }

    static List<Vector> ofKind(String kind) {
        return all().stream().filter(v -> v.kind().equals(kind)).toList();
    }

    private static List<Vector> readIndex() {
        List<Vector> result = new ArrayList<>();
        List<String> lines = TestFiles.readLines(directory().resolve("vectors.tsv"));
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), cells[i]);
            }
            ImageDescriptor image = new ImageDescriptor(num(row, "rows"), num(row, "columns"), num(row, "spp"),
                    num(row, "ba"), num(row, "bs"), num(row, "hb"), num(row, "pr") == 1, row.get("pi"),
                    num(row, "pc"));
            result.add(new Vector(directory().resolve(row.get("id")), row.get("id"), row.get("kind"), row.get("ts"),
                    image, num(row, "frames"), row.get("source")));
        }
        return result;
    }

    private static int num(Map<String, String> row, String key) {
        return Integer.parseInt(row.get(key));
    }
}
