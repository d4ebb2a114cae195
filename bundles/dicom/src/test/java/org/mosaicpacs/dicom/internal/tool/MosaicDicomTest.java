package org.mosaicpacs.dicom.internal.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import com.fasterxml.jackson.core.JsonFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TestFiles;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.json.DicomJsonReader;
import org.mosaicpacs.dicom.xml.DicomXmlReader;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * The {@code mosaic-dicom} tool, run in-process on every real and mixed-corpus file: {@code dump}
 * lists the same elements (tags and nesting, items and delimiters included) as DCMTK's
 * {@code dcmdump}; {@code json} and {@code xml} give documents that read back as the file's data
 * set; {@code convert} writes what dcmdump reads as the same elements. Then the launcher script
 * {@code src/main/sh/mosaic-dicom}, run by {@code dash} in a distribution-shaped folder with the
 * jars in {@code system/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosaicDicomTest {

    private static final Pattern LINE = Pattern.compile("^(\\s*)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) ");

    private List<Path> files;
    private Map<String, List<String>> dcmdump;

    @BeforeAll
    void dumpEverythingWithDcmdump() {
        files = TestFiles.realAndMixed();
        dcmdump = dcmdump(files);
    }

    /** What a command printed and returned. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MosaicDicom.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @TestFactory
    Stream<DynamicTest> dumpListsTheSameElementsAsDcmdump() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            Run r = run("dump", file.toString());
            if (TestFiles.rejected(file)) {
                assertThat(r.code).isEqualTo(MosaicDicom.BAD_INPUT);
                assertThat(r.err).contains(file.toString()).contains("offset");
                return;
            }
            assertThat(r.code).as(r.err).isZero();
            List<String> theirs = dcmdump.get(file.toString());
            org.junit.jupiter.api.Assumptions.assumeTrue(theirs != null, "dcmdump cannot read " + file);
            // tags and nesting; VRs differ where the file's own differs from the dictionary's
            assertThat(tagsOnly(forgiving(elements(r.out), theirs))).as(file.toString()).isEqualTo(tagsOnly(theirs));
        }));
    }

    @TestFactory
    Stream<DynamicTest> jsonAndXmlReadBackAsTheFile() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            Run json = run("json", file.toString());
            Run xml = run("xml", file.toString());
            if (TestFiles.rejected(file)) {
                assertThat(json.code).isEqualTo(MosaicDicom.BAD_INPUT);
                assertThat(xml.code).isEqualTo(MosaicDicom.BAD_INPUT);
                assertThat(json.err).contains(file.toString()).contains("offset");
                return;
            }
            assertThat(json.code).as(json.err).isZero();
            assertThat(xml.code).as(xml.err).isZero();
            DataSet expected;
            try (DicomReader reader = DicomReader.open(file)) {
                expected = TestFiles.comparable(reader.readDataSet(), false);
            }
            assertThat(DicomJsonReader.readDataSet(json.out)).isEqualTo(expected);
            assertThat(DicomXmlReader.readDataSet(xml.out)).isEqualTo(expected);
        }));
    }

    @Test
    void jsonOfSeveralFilesIsAnArray() throws IOException {
        List<Path> two = files.subList(0, 2);
        Run r = run("json", "--pretty", two.get(0).toString(), two.get(1).toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).startsWith("[");
        try (DicomJsonReader reader = DicomJsonReader.open(new ByteArrayInputStream(r.out.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.readNext()).isNotNull();
            assertThat(reader.readNext()).isNotNull();
            assertThat(reader.readNext()).isNull();
        }
    }

    @TestFactory
    Stream<DynamicTest> convertWritesEveryUncompressedSyntax() throws IOException {
        Path out = Files.createDirectories(Path.of("target", "cli-convert"));
        List<Path> sources = files.stream().filter(f -> Stream.of("CT_small.dcm", "MR_small_bigendian.dcm",
                "image_dfl.dcm", "rtplan.dcm", "chrH31.dcm", "SC_rgb_small_odd.dcm").anyMatch(n -> f.endsWith(n))).toList();
        return sources.stream().flatMap(source -> TransferSyntax.NATIVE.stream().map(ts ->
                DynamicTest.dynamicTest(TestFiles.name(source) + " to " + ts.name(), () -> {
                    Path target = out.resolve(source.getFileName() + "." + ts.uid() + ".dcm");
                    Run r = run("convert", "--ts", ts.uid(), source.toString(), target.toString());
                    assertThat(r.code).as(r.err).isZero();
                    DataSet expected;
                    DataSet actual;
                    try (DicomReader a = DicomReader.open(source, ReadOptions.loadAll());
                         DicomReader b = DicomReader.open(target, ReadOptions.loadAll())) {
                        expected = TestFiles.comparable(a.readDataSet(), false);
                        actual = b.readDataSet();
                        assertThat(b.transferSyntax()).isEqualTo(ts);
                    }
                    if (!ts.explicitVR() && expected.vr(Tag.PixelData) == VR.OB) {
                        // Implicit VR has no OB Pixel Data: it reads back as OW (PS3.5 A.1), as dcmconv's does
                        expected.setBytes(Tag.PixelData, VR.OW, expected.getBytes(Tag.PixelData));
                    }
                    assertThat(TestFiles.differences(expected, actual)).isEmpty();
                    List<String> theirs = dcmdump(List.of(target)).get(target.toString());
                    assertThat(theirs).as("dcmdump reads " + target).isNotNull();
                })));
    }

    @Test
    void convertRefusesCompressionAndNamesTheCodecs() throws IOException {
        Files.createDirectories(Path.of("target", "cli-convert"));
        Path jpeg = files.stream().filter(f -> f.endsWith("JPEG2000.dcm")).findFirst().orElseThrow();
        Path ct = files.stream().filter(f -> f.endsWith("CT_small.dcm")).findFirst().orElseThrow();
        Run toJpeg = run("convert", "--ts", UID.JPEGBaseline8Bit, ct.toString(), "target/never.dcm");
        assertThat(toJpeg.code).isEqualTo(MosaicDicom.USAGE);
        assertThat(toJpeg.err).contains("need a codec").contains("mosaic-codec");
        Run fromJpeg = run("convert", "--ts", UID.ExplicitVRLittleEndian, jpeg.toString(), "target/never.dcm");
        assertThat(fromJpeg.code).isEqualTo(MosaicDicom.BAD_INPUT);
        assertThat(fromJpeg.err).contains(jpeg.toString()).contains("compressed").contains("codec");
        assertThat(Path.of("target/never.dcm")).doesNotExist();
        Run noDir = run("convert", "--ts", UID.ExplicitVRLittleEndian, ct.toString(), "target/no/such/dir/x.dcm");
        assertThat(noDir.code).isEqualTo(MosaicDicom.BAD_INPUT);
        assertThat(noDir.err).contains("target/no/such/dir/x.dcm: no such directory");
        String own;
        try (DicomReader reader = DicomReader.open(jpeg)) {
            own = reader.transferSyntax().uid();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Run same = run("convert", "--ts", own, jpeg.toString(), "target/cli-convert/jpeg-copy.dcm");
        assertThat(same.code).as(same.err).isZero();
    }

    @Test
    void badUsageExitsWith2() {
        for (String[] args : List.of(new String[0], new String[] {"frobnicate"}, new String[] {"dump"},
                new String[] {"xml", "a.dcm", "b.dcm"}, new String[] {"convert", "a.dcm"},
                new String[] {"convert", "--ts", "1.2.3", "a.dcm", "b.dcm"}, new String[] {"json", "--bogus", "a.dcm"})) {
            Run r = run(args);
            assertThat(r.code).as(String.join(" ", args)).isEqualTo(MosaicDicom.USAGE);
            assertThat(r.err).contains("usage: mosaic-dicom");
        }
        assertThat(run("--help").code).isZero();
    }

    @Test
    void missingAndDamagedFilesExitWith1NamingFileTagAndOffset() throws IOException {
        Run missing = run("dump", "no/such/file.dcm");
        assertThat(missing.code).isEqualTo(MosaicDicom.BAD_INPUT);
        assertThat(missing.err).contains("no/such/file.dcm").contains("no such file");
        Path truncated = files.stream().filter(f -> f.endsWith("rtplan_truncated.dcm")).findFirst().orElseThrow();
        Run damaged = run("json", truncated.toString());
        assertThat(damaged.code).isEqualTo(MosaicDicom.BAD_INPUT);
        assertThat(damaged.err).matches("(?s)mosaic-dicom: .*rtplan_truncated.dcm: not valid DICOM: .*\\(element \\(....,....\\).*"
                + "at byte offset \\d+.*");
        assertThat(damaged.out).isEmpty();
    }

    // ---------------------------------------------------------------- the launcher script

    @Test
    void launcherScriptFindsTheJarsInSystemAndRunsTheTool() throws Exception {
        Path dash = Tools.require("dash");
        Path home = Files.createDirectories(Path.of("target", "cli-distribution").toAbsolutePath());
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path script = bin.resolve("mosaic-dicom");
        Files.copy(TestEnvironment.repoRoot().resolve("bundles/dicom/src/main/sh/mosaic-dicom"), script,
                StandardCopyOption.REPLACE_EXISTING);
        // the layout Karaf's system/ folder has: a Maven repository
        Path dicomJar = Files.createDirectories(home.resolve("system/org/mosaicpacs/mosaic-dicom/0.1.0-SNAPSHOT"))
                .resolve("mosaic-dicom-0.1.0-SNAPSHOT.jar");
        jar(Path.of("target", "classes"), dicomJar);
        Path jackson = Path.of(JsonFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jacksonDir = Files.createDirectories(home.resolve("system/com/fasterxml/jackson/core/jackson-core")
                .resolve(jackson.getParent().getFileName()));
        Files.copy(jackson, jacksonDir.resolve(jackson.getFileName()), StandardCopyOption.REPLACE_EXISTING);

        Path ct = files.stream().filter(f -> f.endsWith("CT_small.dcm")).findFirst().orElseThrow();
        // run through a symbolic link elsewhere, as a user's ~/bin/mosaic-dicom might be
        Path link = Files.createDirectories(home.resolveSibling("cli-link")).resolve("mosaic-dicom");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, script);
        Tools.Result dump = Tools.run(Duration.ofMinutes(1), List.of(dash.toString(), link.toString(), "dump", ct.toString()));
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        assertThat(dump.out()).isEqualTo(run("dump", ct.toString()).out);

        Tools.Result json = Tools.run(Duration.ofMinutes(1), List.of(dash.toString(), script.toString(), "json", ct.toString()));
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(DicomJsonReader.readDataSet(json.out()).getString(0x00100010)).isEqualTo("CompressedSamples^CT1");

        Tools.Result usage = Tools.run(Duration.ofMinutes(1), List.of(dash.toString(), script.toString(), "dump"));
        assertThat(usage.exitCode()).isEqualTo(MosaicDicom.USAGE);
        Tools.Result bad = Tools.run(Duration.ofMinutes(1), List.of(dash.toString(), script.toString(), "dump",
                "/no/such.dcm"));
        assertThat(bad.exitCode()).isEqualTo(MosaicDicom.BAD_INPUT);
        assertThat(bad.err()).contains("/no/such.dcm");

        Files.delete(jacksonDir.resolve(jackson.getFileName()));
        Tools.Result noJar = Tools.run(Duration.ofMinutes(1), List.of(dash.toString(), script.toString(), "dump", ct.toString()));
        assertThat(noJar.exitCode()).isEqualTo(2);
        assertThat(noJar.err()).contains("cannot find jackson-core");
    }

    /** A jar of a classes folder: what mvn package makes later in the build. */
    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> all = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new ZipEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, (OutputStream) out);
                out.closeEntry();
            }
        }
    }

    // ---------------------------------------------------------------- dcmdump

    /** The element lines of a dump: indentation, tag and VR, from the data set and meta information. */
    static List<String> elements(String dump) {
        List<String> out = new ArrayList<>();
        for (String line : dump.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                String vr = line.length() >= m.end() + 2 ? line.substring(m.end(), m.end() + 2) : "??";
                out.add(m.group(1) + "(" + m.group(2) + "," + m.group(3) + ") " + vr);
            }
        }
        return out;
    }

    /**
     * Our element lines with two differences of dcmdump's taken out: it keeps a defined-length UN
     * element whose VR the dictionary says is SQ as bytes where we (and pydicom) read its items
     * (PS3.5 6.2.2), and it lists the first of two elements with the same tag only.
     */
    private static List<String> forgiving(List<String> ours, List<String> theirs) {
        List<String> out = new ArrayList<>();
        int t = 0;
        for (int i = 0; i < ours.size(); i++) {
            String line = ours.get(i);
            if (!out.isEmpty() && strip(line).equals(strip(out.get(out.size() - 1))) && !line.contains("(fffe,")) {
                continue; // a repeated tag
            }
            out.add(line);
            if (t < theirs.size() && strip(theirs.get(t)).equals(strip(line)) && theirs.get(t).endsWith(" UN")
                    && line.endsWith(" SQ")) {
                int indent = line.length() - line.stripLeading().length();
                while (i + 1 < ours.size() && ours.get(i + 1).length() - ours.get(i + 1).stripLeading().length() > indent
                        || i + 1 < ours.size() && ours.get(i + 1).stripLeading().startsWith("(fffe,e0dd)")
                        && ours.get(i + 1).length() - ours.get(i + 1).stripLeading().length() == indent) {
                    i++;
                }
                out.set(out.size() - 1, theirs.get(t));
            }
            t++;
        }
        return out;
    }

    private static List<String> tagsOnly(List<String> lines) {
        return lines.stream().map(MosaicDicomTest::strip).toList();
    }

    private static String strip(String line) {
        return line.substring(0, line.length() - 3);
    }

    /** dcmdump's element lists by path; absent where dcmdump reported an error. */
    private static Map<String, List<String>> dcmdump(List<Path> paths) {
        Path tool = Tools.require("dcmdump");
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (int from = 0; from < paths.size(); from += 100) {
            List<Path> batch = paths.subList(from, Math.min(paths.size(), from + 100));
            List<String> cmd = new ArrayList<>(List.of(tool.toString(), "-M", "+F"));
            batch.forEach(p -> cmd.add(p.toString()));
            Tools.Result r = Tools.run(Duration.ofMinutes(2), cmd);
            String[] parts = r.out().split("(?m)^# dcmdump \\(\\d+/\\d+\\): ");
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i];
                String name = part.substring(0, part.indexOf('\n'));
                result.put(name, elements(part));
            }
            if (r.exitCode() != 0 || r.err().contains("E: ")) {
                // stderr cannot be told apart by file: drop the files dcmdump fails on alone
                for (Path p : batch) {
                    Tools.Result one = Tools.run(Duration.ofMinutes(1), List.of(tool.toString(), "-M", p.toString()));
                    if (one.exitCode() != 0 || one.err().contains("E: ")) {
                        result.remove(p.toString());
                    }
                }
            }
        }
        return result;
    }
}
