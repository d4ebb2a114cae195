package org.mosaicpacs.testing.codec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

/**
 * Test vectors for one transfer-syntax codec, made by {@code testing/python/codec-vectors.py} from
 * pydicom's real files and the mixed corpus: compressed frames with the reference tools' decodes,
 * and native frames to encode. One script run per call (a test class calls it once, in
 * {@code @BeforeAll}).
 *
 * <p>This library cannot depend on mosaic-api (mosaic-api's own build uses this library), so the
 * codec module says how to make its {@code ImageDescriptor}: {@code new CodecVectors<>(ImageDescriptor::new, ...)}.
 *
 * @param <I> the image descriptor the codec takes (mosaic-api's {@code ImageDescriptor})
 */
public final class CodecVectors<I> {

    /** Reference decoders the script knows (its {@code --tool} values). */
    public static final String DCMTK_RLE = "dcmtk-rle";
    public static final String GDCM = "gdcm";
    public static final String PYDICOM_RLE = "pydicom-rle";

    /** The executable behind each reference decoder; pydicom's runs inside the script. */
    private static final Map<String, String> EXECUTABLES = Map.of(DCMTK_RLE, "dcmdrle", GDCM, "gdcmconv");

    /** Makes the codec's image descriptor from the Image Pixel Module values (PS3.3 C.7.6.3) of a vector. */
    @FunctionalInterface
    public interface ImageFactory<I> {
        I create(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, int highBit,
                 boolean signed, String photometricInterpretation, int planarConfiguration);
    }

    /** A file's image parameters and where its frames and reference decodes are. */
    public record Vector<I>(String id, String kind, String transferSyntax, I image, int frames, List<String> refs,
                            String notes, Path source, Path dir) {

        /** Frame {@code i}: compressed bytes, or native bytes in the file's planar configuration. */
        public byte[] frame(int i) {
            return TestFiles.read(dir.resolve("frame-" + i + ".bin"));
        }

        /** Frame {@code i} as {@code tool} decoded it: native little endian, interleaved. */
        public byte[] reference(String tool, int i) {
            return TestFiles.read(dir.resolve(tool + "-" + i + ".raw"));
        }

        public boolean compressed() {
            return kind.equals("compressed");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private final ImageFactory<I> images;
    private final List<String> transferSyntaxes;
    private final List<String> corpusFolders;

    /**
     * @param images           makes the codec's image descriptor
     * @param transferSyntaxes the compressed transfer syntaxes whose frames become vectors
     * @param corpusFolders    the mixed corpus' {@code syntaxes/} folders to draw files from, besides
     *                         pydicom's real files (e.g. the codec's own syntaxes and {@code implicit-le})
     */
    public CodecVectors(ImageFactory<I> images, List<String> transferSyntaxes, List<String> corpusFolders) {
        this.images = images;
        this.transferSyntaxes = List.copyOf(transferSyntaxes);
        this.corpusFolders = List.copyOf(corpusFolders);
    }

    /** The files to draw vectors from: every real file, then the corpus folders' files. */
    public List<Path> sourceFiles() {
        List<Path> files = new ArrayList<>(TestData.realDicomFiles());
        Path syntaxes = TestData.mixedCorpus().resolve("syntaxes");
        for (String folder : corpusFolders) {
            files.addAll(TestData.dicomFilesUnder(syntaxes.resolve(folder)));
        }
        return files;
    }

    /** Runs the extract step once into {@code out} (emptied first) with the given reference tools. */
    public List<Vector<I>> extract(Path out, List<String> tools) {
        return extract(out, tools, sourceFiles());
    }

    /** Runs the extract step once into {@code out} (emptied first) on the given files. */
    public List<Vector<I>> extract(Path out, List<String> tools, List<Path> files) {
        Path python = Tools.pydicomPython();
        requireTools(tools);
        TestFiles.deleteTree(out);
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script().toString(), "extract"));
        transferSyntaxes.forEach(ts -> cmd.addAll(List.of("--syntax", ts)));
        tools.forEach(t -> cmd.addAll(List.of("--tool", t)));
        cmd.add(out.toString());
        files.forEach(f -> cmd.add(f.toString()));
        Tools.run(Duration.ofMinutes(5), cmd).assertSuccess();
        return parse(out);
    }

    /** The vectors an earlier extract run wrote into {@code out}. */
    public List<Vector<I>> parse(Path out) {
        List<Vector<I>> vectors = new ArrayList<>();
        List<String> lines = TestFiles.readLines(out.resolve("vectors.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            I image = images.create(Integer.parseInt(c[3]), Integer.parseInt(c[4]), Integer.parseInt(c[5]),
                    Integer.parseInt(c[6]), Integer.parseInt(c[7]), Integer.parseInt(c[8]), c[9].equals("1"), c[10],
                    Integer.parseInt(c[11]));
            List<String> refs = c[13].isEmpty() ? List.of() : Arrays.asList(c[13].split(","));
            vectors.add(new Vector<>(c[0], c[1], c[2], image, Integer.parseInt(c[12]), refs, c[14], Path.of(c[15]),
                    out.resolve(c[0])));
        }
        return vectors;
    }

    /**
     * What a test encoded, for {@link #roundTrip}: one row per encoded source, whose frames the test
     * wrote as {@code <dir>/<id>/enc-<N>.bin}.
     */
    public static final class Encoded {

        private final StringBuilder tsv = new StringBuilder("id\tsource\tts\tpi\tpc\tframes\tlossy\n");

        /**
         * One encoded source: {@code source} is the file whose data set wraps the frames;
         * {@code photometricInterpretation} and {@code planarConfiguration} are what the encoder said.
         */
        public void add(String id, Path source, String transferSyntax, String photometricInterpretation,
                        int planarConfiguration, int frames, boolean lossy) {
            tsv.append(String.join("\t", id, source.toString(), transferSyntax, photometricInterpretation,
                    Integer.toString(planarConfiguration), Integer.toString(frames), Boolean.toString(lossy)))
                    .append('\n');
        }
    }

    /**
     * Wraps the encoded frames into copies of their source files (pydicom) and decodes those with
     * each tool into {@code <dir>/<id>/<tool>-<N>.raw}.
     *
     * @return what failed, by {@code "<id> <tool>"}: the tool's message
     */
    public static Map<String, String> roundTrip(Path dir, Encoded encoded, List<String> tools) {
        Path python = Tools.pydicomPython();
        requireTools(tools);
        TestFiles.writeString(dir.resolve("encoded.tsv"), encoded.tsv.toString());
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script().toString(), "roundtrip"));
        tools.forEach(t -> cmd.addAll(List.of("--tool", t)));
        cmd.add(dir.toString());
        Tools.run(Duration.ofMinutes(5), cmd).assertSuccess();
        Map<String, String> failures = new LinkedHashMap<>();
        for (String line : TestFiles.readLines(dir.resolve("roundtrip.tsv")).stream().skip(1).toList()) {
            String[] c = line.split("\t", -1);
            if (!c[2].equals("ok")) {
                failures.put(c[0] + " " + c[1], c[3]);
            }
        }
        return failures;
    }

    /** The shared vector script, {@code testing/python/codec-vectors.py}. */
    public static Path script() {
        return TestEnvironment.repoRoot().resolve("testing/python/codec-vectors.py");
    }

    private static void requireTools(List<String> tools) {
        for (String tool : tools) {
            if (EXECUTABLES.containsKey(tool)) {
                Tools.require(EXECUTABLES.get(tool));
            }
        }
    }
}
