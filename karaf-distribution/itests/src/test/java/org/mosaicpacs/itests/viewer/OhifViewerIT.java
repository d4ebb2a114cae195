package org.mosaicpacs.itests.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.itests.plugins.PluginTests;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.NodeProject;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The OHIF viewer bundled in the distribution ({@code bundles/viewer-ohif}, feature
 * {@code mosaic-viewer}) at {@code /viewer}: served correctly over HTTP, working in a real
 * browser against the distribution's {@code /dicom-web} with nothing fetched from elsewhere;
 * uninstalling it leaves DICOMweb and the REST API answering. That {@code /viewer} survives the
 * feature changes that make pax-web restart its default context is part of RestResilienceIT.
 *
 * <p>The browser part is {@code src/test/node-viewer/viewer.test.mjs}: Debian's Chromium driven by
 * npm {@code playwright-core}. It finds every corpus patient in the study list, opens a CT series
 * and a multi-frame US, and checks the viewport's pixels on screenshots. The screenshots stay in
 * {@code target/viewer-browser/screenshots}; {@code docs/} copies (scaled to fit the docs' size
 * limit) are written to {@code target/viewer-browser/docs-images} for a person to copy.
 *
 * <p>The sample AI plugin's results in the viewer: a CT series stored with the plugin installed
 * gets its Segmentation, which {@code src/test/node-viewer/seg-overlay.test.mjs} loads in OHIF the
 * way a person does and checks on the viewport's pixels (docs image {@code ohif-seg-overlay.png}).
 *
 * <p>Its own server: it changes features, and the study count it checks must be the corpus only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OhifViewerIT {

    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(90);
    private static final Duration STEADY = Duration.ofSeconds(2);
    /** docs/images limit per screenshot. */
    private static final long DOCS_IMAGE_MAX_BYTES = 300 * 1024;

    private static final String AI_FEATURE = "mosaic-sample-ai-segmentation";

    private MosaicServer server;
    /** target/viewer-browser with the browser tests and their npm packages, once prepared. */
    private Path browserTests;

    @BeforeAll
    void start() {
        server = MosaicServer.unpack(Path.of("target/viewer-server").toAbsolutePath(), false);
        server.start();
        awaitViewer("after the first boot");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void viewerIsServedFromTheBundleUnderViewer() throws IOException {
        HttpResponse<String> bare = server.get("/viewer");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElse("")).endsWith("/viewer/");

        HttpResponse<String> index = server.get("/viewer/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(index.headers().firstValue("Cache-Control")).contains("no-cache");
        // Cross-origin isolation (SharedArrayBuffer for cornerstone's volumes)
        assertThat(index.headers().firstValue("Cross-Origin-Opener-Policy")).contains("same-origin");
        assertThat(index.headers().firstValue("Cross-Origin-Embedder-Policy")).contains("require-corp");
        // The build rewrote OHIF's root-relative paths to /viewer/
        assertThat(index.body()).contains("window.PUBLIC_URL=\"/viewer/\"").contains("src=\"/viewer/app-config.js\"")
                .doesNotContain("href=\"/assets").doesNotContain("src=\"/app");

        // A deep link is the router's: index.html, not a 404
        HttpResponse<String> deepLink = server.get("/viewer/viewer?StudyInstanceUIDs=1.2.3");
        assertThat(deepLink.statusCode()).isEqualTo(200);
        assertThat(deepLink.body()).isEqualTo(index.body());

        HttpResponse<String> config = server.get("/viewer/app-config.js");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(config.body()).contains("window.location.origin + '/dicom-web'").contains("routerBasename: '/viewer'")
                .doesNotContain("https://", "http://");

        String appBundle = firstMatch(index.body(), "/viewer/(app\\.bundle\\.[0-9a-f]{16}\\.js)");
        HttpResponse<String> js = server.get("/viewer/" + appBundle);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(js.body()).contains("__webpack_require__.p = \"/viewer/\";");

        List<String> wasm = new ArrayList<>();
        for (String entry : viewerBundleEntries()) {
            assertThat(entry).as("left out of the bundle: source maps, onnxruntime, the CDN service worker")
                    .doesNotEndWith(".map").doesNotStartWith("viewer/ort/").isNotEqualTo("viewer/sw.js");
            if (entry.matches("viewer/[^/]+\\.wasm")) {
                wasm.add(entry.substring("viewer/".length()));
            }
        }
        assertThat(wasm).as("the bundle's codecs (WebAssembly)").isNotEmpty();
        HttpResponse<String> codec = server.get("/viewer/" + wasm.get(0));
        assertThat(codec.statusCode()).isEqualTo(200);
        assertThat(codec.headers().firstValue("Content-Type")).contains("application/wasm");

        assertThat(server.get("/viewer/app.bundle.css").headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/css");
        assertThat(server.get("/viewer/no-such-chunk.js").statusCode()).isEqualTo(404);
        // Left out of the bundle: the CDN-importing service worker and onnxruntime's files
        assertThat(server.get("/viewer/sw.js").statusCode()).isEqualTo(404);
        assertThat(server.get("/viewer/ort/ort.min.js").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void ohifListsOpensAndDrawsTheCorpusInChromium() throws IOException {
        Path corpus = TestData.mixedCorpus();
        Expected expected = Expected.fromManifest(corpus.resolve("manifest.csv"));
        store(corpus.resolve("native"), expected);

        Path work = browserTests();
        Path screenshots = work.resolve("screenshots");
        Path expectedJson = work.resolve("expected.json");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(expectedJson.toFile(), expected.json());
        runBrowserTest("viewer.test.mjs", expectedJson, screenshots, 4);

        // The same pixel check once more, independently of pngjs: the JDK's PNG decoder.
        for (String name : List.of("ct", "us")) {
            BufferedImage viewport = ImageIO.read(screenshots.resolve("ohif-" + name + "-viewport.png").toFile());
            assertThat(litFraction(viewport)).as("%s viewport: share of non-black pixels", name).isGreaterThan(0.05);
            docsCopy(screenshots.resolve("ohif-" + name + ".png"), work.resolve("docs-images").resolve("ohif-" + name + ".png"));
        }
    }

    /**
     * Storing a CT series triggers the sample AI plugin; the Segmentation it writes into the study
     * is drawn over the CT in OHIF (double-click on the SEG, "Yes" to OHIF's hydration prompt).
     */
    @Test
    @Order(3)
    void theAiPluginsSegmentationIsDrawnOverItsCtInChromium() throws IOException {
        List<Path> ct = PluginTests.ctSeries("viewerseg", 12);
        DataSet header;
        try (DicomReader r = DicomReader.open(ct.get(0))) {
            header = r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        }
        String study = header.getString(Tag.StudyInstanceUID);
        Path work = browserTests();
        Path screenshots = work.resolve("screenshots");
        server.shell("config:property-set -p org.mosaicpacs.archive studyStableSeconds 2");
        server.shell("feature:install " + AI_FEATURE);
        try {
            PluginTests.await(Duration.ofSeconds(60), () -> PluginTests.getJson(server, "/api/ai/connectors"),
                    s -> s.contains("sample-ct-segmentation"), "AI connector registered");
            PluginTests.storescu(server, "CTSCANNER", ct);
            String job = PluginTests.await(Duration.ofSeconds(120), () -> PluginTests.getJson(server, "/api/ai/jobs?study=" + study),
                    s -> s.contains("\"COMPLETED\"") || s.contains("\"FAILED\""), "AI job finished");
            assertThat(job).contains("\"state\":\"COMPLETED\"");
            // a feature change may restart pax-web's default context
            awaitViewer("after feature:install " + AI_FEATURE);

            Path expectedJson = work.resolve("expected-seg.json");
            // The plugin's segments (its README): lung <= -400 HU, bone >= 200 HU; in the CT's own
            // window (W 400 / L 40: -160..240 HU) lung is black and bone nearly white.
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(expectedJson.toFile(), Map.of(
                    "study", study,
                    "ctSeries", header.getString(Tag.SeriesInstanceUID),
                    "ctInstances", ct.size(),
                    "segments", List.of(Map.of("label", "Lung", "ct", "dark"), Map.of("label", "Bone", "ct", "bright"))));
            runBrowserTest("seg-overlay.test.mjs", expectedJson, screenshots, 3);
        } finally {
            server.shell("feature:uninstall " + AI_FEATURE);
            server.shell("config:property-delete -p org.mosaicpacs.archive studyStableSeconds");
        }

        // A pixel check once more with the JDK's PNG decoder: the plain CT has none of the
        // segments' warm colours, which cover a good part of the viewport once the SEG is loaded.
        BufferedImage plain = ImageIO.read(screenshots.resolve("ohif-seg-ct-viewport.png").toFile());
        BufferedImage overlay = ImageIO.read(screenshots.resolve("ohif-seg-overlay-viewport.png").toFile());
        assertThat(warmFraction(plain)).as("CT viewport: share of warm-coloured pixels").isLessThan(1e-4);
        assertThat(warmFraction(overlay)).as("CT + SEG viewport: share of warm-coloured pixels").isGreaterThan(0.01);
        docsCopy(screenshots.resolve("ohif-seg-overlay.png"), work.resolve("docs-images").resolve("ohif-seg-overlay.png"));
        awaitViewer("after feature:uninstall " + AI_FEATURE);
    }

    @Test
    @Order(4)
    void uninstallingTheViewerLeavesDicomWebAnswering() throws IOException {
        server.shell("feature:uninstall mosaic-viewer");
        try {
            awaitStatus("/viewer/", status -> status == 404, "/viewer gone with its feature uninstalled");
            assertThat(server.get("/dicom-web/studies?limit=1").statusCode()).isEqualTo(200);
            assertThat(server.get("/api/health").statusCode()).isEqualTo(200);
        } finally {
            server.shell("feature:install mosaic-viewer");
        }
        awaitViewer("after feature:install mosaic-viewer");
        assertThat(server.get("/dicom-web/studies?limit=1").statusCode()).isEqualTo(200);
        assertThat(server.get("/api/health").statusCode()).isEqualTo(200);
    }

    /**
     * target/viewer-browser holding the browser tests (src/test/node-viewer) with their npm
     * packages installed ({@code npm ci}, from npm's cache once it has them); prepared once.
     */
    private Path browserTests() throws IOException {
        if (browserTests == null) {
            Path source = TestEnvironment.repoRoot().resolve("karaf-distribution/itests/src/test/node-viewer");
            Path work = NodeProject.install(source, Path.of("target/viewer-browser").toAbsolutePath(),
                    List.of("package.json", "package-lock.json", "ohif.mjs", "viewer.test.mjs", "seg-overlay.test.mjs"), true);
            browserTests = work;
        }
        return browserTests;
    }

    /** Runs one browser test file with node's test runner against this server; all its tests must pass. */
    private void runBrowserTest(String file, Path expectedJson, Path screenshots, int tests) {
        Path chromium = Tools.require("chromium");
        Path node = Tools.require("node");
        Tools.Result run = Tools.run(Duration.ofMinutes(4), List.of(node.toString(), "--test",
                "--test-reporter=spec", file), browserTests, Map.of(
                "MOSAIC_URL", server.http("").toString(),
                "MOSAIC_EXPECTED", expectedJson.toString(),
                "MOSAIC_OUT", screenshots.toString(),
                "CHROMIUM", chromium.toString()));
        System.out.println(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("pass " + tests).contains("fail 0");
    }

    /** Stores the corpus with DCMTK's storescu (the independent sender) and checks QIDO-RS sees it all. */
    private void store(Path nativeFiles, Expected expected) throws IOException {
        Tools.run(Duration.ofMinutes(3), List.of(Tools.require("storescu").toString(), "-aec", "MOSAIC",
                "+sd", "+r", "-R", "127.0.0.1", Integer.toString(server.dicomPort()), nativeFiles.toString()))
                .assertSuccess();
        JsonNode instances = new ObjectMapper().readTree(server.get("/dicom-web/instances?limit=10000").body());
        assertThat(instances.size()).as("instances QIDO-RS finds after storescu").isEqualTo(expected.instances());
        JsonNode studies = new ObjectMapper().readTree(server.get("/dicom-web/studies").body());
        assertThat(studies.size()).isEqualTo(expected.studyCount());
    }

    /**
     * Waits until {@code /viewer/} and its configuration answer as they should on every sample for
     * {@link #STEADY}, so a context torn down a moment after a feature change is not missed.
     */
    private void awaitViewer(String when) {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        long steadySince = System.nanoTime();
        String last = "no answer";
        while (System.nanoTime() - steadySince < STEADY.toNanos()) {
            String failure = viewerFailure();
            if (failure != null) {
                last = failure;
                steadySince = System.nanoTime();
                if (steadySince > deadline) {
                    throw new AssertionError(when + ": /viewer did not answer within " + SETTLE_DEADLINE
                            + "; last: " + last + "; see " + server.home().resolve("data/log/karaf.log"));
                }
            }
            sleep(Duration.ofMillis(250));
        }
    }

    private String viewerFailure() {
        try {
            HttpResponse<String> index = server.get("/viewer/");
            if (index.statusCode() != 200 || !index.body().contains("window.PUBLIC_URL=\"/viewer/\"")) {
                return "GET /viewer/ -> " + index.statusCode() + " " + index.body().substring(0, Math.min(200, index.body().length()));
            }
            HttpResponse<String> config = server.get("/viewer/app-config.js");
            if (config.statusCode() != 200) {
                return "GET /viewer/app-config.js -> " + config.statusCode();
            }
            return null;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void awaitStatus(String path, IntPredicate expected, String what) {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                int status = server.get(path).statusCode();
                if (expected.test(status)) {
                    return;
                }
                last = Integer.toString(status);
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(Duration.ofMillis(250));
        }
        throw new AssertionError("expected " + what + " within " + SETTLE_DEADLINE + "; GET " + path + " last: " + last);
    }

    /** The entry names of the viewer bundle as the distribution ships it (its system/ repository). */
    private List<String> viewerBundleEntries() throws IOException {
        Path jar;
        try (var files = Files.walk(server.home().resolve("system/org/mosaicpacs/mosaic-viewer-ohif"))) {
            jar = files.filter(p -> p.toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no mosaic-viewer-ohif jar in the distribution"));
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    private static double litFraction(BufferedImage image) {
        long lit = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) > 30) {
                    lit++;
                }
            }
        }
        return (double) lit / ((long) image.getWidth() * image.getHeight());
    }

    /**
     * The share of warm-coloured pixels (red well above blue): the plugin's segment colours, blended
     * or not, are; the grey CT and OHIF's blue viewport controls are not.
     */
    private static double warmFraction(BufferedImage image) {
        long warm = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) - (rgb & 0xff) >= 20) {
                    warm++;
                }
            }
        }
        return (double) warm / ((long) image.getWidth() * image.getHeight());
    }

    /** A copy of a screenshot for docs/images: scaled down until it is under the docs' size limit. */
    private static void docsCopy(Path screenshot, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.size(screenshot) < DOCS_IMAGE_MAX_BYTES) {
            Files.copy(screenshot, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        BufferedImage full = ImageIO.read(screenshot.toFile());
        for (int width = full.getWidth(); width >= 640; width -= 160) {
            int height = Math.round((float) full.getHeight() * width / full.getWidth());
            BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            var g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(full, 0, 0, width, height, null);
            g.dispose();
            ImageIO.write(scaled, "png", target.toFile());
            if (Files.size(target) < DOCS_IMAGE_MAX_BYTES) {
                return;
            }
        }
        throw new AssertionError(screenshot + " does not fit in " + DOCS_IMAGE_MAX_BYTES + " bytes even at 640 px");
    }

    private static String firstMatch(String text, String regex) {
        var m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in %s", regex, text).isTrue();
        return m.group(1);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * What the browser test expects, from the corpus manifest ({@code make-corpus.py}): the
     * patients' family names, the study count, the first CT series and the first US multi-frame.
     */
    private record Expected(int instances, int studyCount, Set<String> patients,
                            Map<String, Object> ct, Map<String, Object> us) {

        static Expected fromManifest(Path manifest) {
            List<String> lines;
            try {
                lines = Files.readAllLines(manifest);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> header = List.of(lines.get(0).split(","));
            int path = header.indexOf("path");
            int kind = header.indexOf("kind");
            int name = header.indexOf("patient_name");
            int study = header.indexOf("study_uid");
            int series = header.indexOf("series_uid");
            int frames = header.indexOf("frames");
            int instances = 0;
            Set<String> studies = new LinkedHashSet<>();
            Set<String> patients = new LinkedHashSet<>();
            Map<String, List<String[]>> seriesRows = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] row = line.split(",", -1);
                if (!row[path].startsWith("native/")) {
                    continue;
                }
                instances++;
                studies.add(row[study]);
                // OHIF shows the alphabetic group as "Family, Given"
                patients.add(row[name].split("=")[0].split("\\^")[0]);
                seriesRows.computeIfAbsent(row[kind] + " " + row[series], k -> new ArrayList<>()).add(row);
            }
            Map<String, Object> ct = null;
            Map<String, Object> us = null;
            for (Map.Entry<String, List<String[]>> e : seriesRows.entrySet()) {
                String[] first = e.getValue().get(0);
                if (ct == null && first[kind].equals("CT")) {
                    ct = Map.of("study", first[study], "series", first[series], "instances", e.getValue().size());
                } else if (us == null && first[kind].equals("US") && Integer.parseInt(first[frames]) > 1) {
                    us = Map.of("study", first[study], "series", first[series], "frames", Integer.parseInt(first[frames]));
                }
            }
            assertThat(ct).as("a CT series in %s", manifest).isNotNull();
            assertThat(us).as("a multi-frame US in %s", manifest).isNotNull();
            return new Expected(instances, studies.size(), patients, ct, us);
        }

        Map<String, Object> json() {
            return Map.of("studyCount", studyCount, "patients", patients, "ct", ct, "us", us);
        }
    }
}
