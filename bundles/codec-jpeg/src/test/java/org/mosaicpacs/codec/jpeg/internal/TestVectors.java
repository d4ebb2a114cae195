package org.mosaicpacs.codec.jpeg.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

/** Runs src/test/python/jpeg_vectors.py and reads what it wrote. */
final class TestVectors {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestVectors() {
    }

    /** A fresh folder under this module's target/. */
    static Path workDir(String name) {
        return TestFiles.freshDirectory(
                TestEnvironment.repoRoot().resolve("bundles/codec-jpeg/target/test-vectors").resolve(name));
    }

    /** Runs the vector script once with a sub-command, a target folder and file arguments. */
    static void run(String command, Path target, List<Path> files) {
        Path python = Tools.pydicomPython();
        Tools.require("dcmdjpeg");
        Tools.require("gdcmconv");
        List<String> cmd = new ArrayList<>(List.of(python.toString(),
                TestEnvironment.repoRoot().resolve("bundles/codec-jpeg/src/test/python/jpeg_vectors.py").toString(),
                command, target.toString()));
        files.forEach(f -> cmd.add(f.toString()));
        Tools.run(Duration.ofMinutes(5), cmd).assertSuccess();
    }

    /** The JPEG-compressed files of the generated corpus: {@code syntaxes/jpeg-*}, DCMTK and GDCM encoded. */
    static List<Path> corpusJpegFiles() {
        Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
        try (Stream<Path> dirs = Files.list(syntaxes)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("jpeg-"))
                    .sorted()
                    .flatMap(d -> TestData.dicomFilesUnder(d).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageDescriptor descriptor(JsonNode image) {
        return new ImageDescriptor(image.get("rows").asInt(), image.get("columns").asInt(),
                image.get("samplesPerPixel").asInt(), image.get("bitsAllocated").asInt(),
                image.get("bitsStored").asInt(), image.get("highBit").asInt(), image.get("signed").asBoolean(),
                image.get("photometricInterpretation").asText(), image.get("planarConfiguration").asInt());
    }

    static JsonNode toJson(ImageDescriptor image) {
        var node = JSON.createObjectNode();
        node.put("rows", image.rows());
        node.put("columns", image.columns());
        node.put("samplesPerPixel", image.samplesPerPixel());
        node.put("bitsAllocated", image.bitsAllocated());
        node.put("bitsStored", image.bitsStored());
        node.put("highBit", image.highBit());
        node.put("signed", image.signed());
        node.put("photometricInterpretation", image.photometricInterpretation());
        node.put("planarConfiguration", image.planarConfiguration());
        return node;
    }
}
