package org.mosaicpacs.itests.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mosaicpacs.itests.hotswap.HotSwapCorpus.Instance;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.Tools;

/**
 * Issue 8, "hot swap": a codec is upgraded the durable admin way while the server decodes for
 * WADO-RS frames and C-GET sub-operations and negotiates its transfer syntax, and no request fails.
 *
 * <ol>
 *   <li>A release 0.1.1 of {@code mosaic-codec-rle} (the shipped bundle re-versioned, and a
 *       features repository naming it) is put into the distribution's {@code system/} folder.
 *       Under load ({@link TranscodingLoad}: WADO-RS frames and C-GETs that need decoding,
 *       storescu associations offering only RLE Lossless): {@code feature:repo-add},
 *       {@code feature:install mosaic-codec-rle/0.1.1} (both versions run side by side), then
 *       {@code feature:uninstall} of the shipped version. Every request before, during and after
 *       must succeed, with exactly the pixels pydicom / DCMTK decode; afterwards only 0.1.1 is
 *       installed and its codec service is the one the transcoder uses.</li>
 *   <li>Uninstalling the codec feature takes RLE Lossless out of association negotiation at
 *       once (storescu offering only RLE: no acceptable presentation context; WADO-RS 406);
 *       installing it brings it back; no restart.</li>
 *   <li>After a restart of the server 0.1.1 is still the version running.</li>
 * </ol>
 * Not {@code feature:install -u}: it updates the codec bundle in place (stop, update, start), and
 * requests arriving in that window find no RLE codec (see docs/admin-guide.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CodecHotSwapIT {

    private static final String ARTIFACT = "mosaic-codec-rle";
    private static final String BSN = "org.mosaicpacs.codec.rle";
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[;\\d]*m");
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    /** What shows which codec version runs (scr:list prints nothing in batch mode unless piped). */
    private static final String STATE_COMMANDS = "bundle:list -s -t 0 " + BSN + "\nfeature:list -i\n"
            + "scr:list | grep RleCodec\nservice:list org.mosaicpacs.api.codec.TransferSyntaxCodec";

    private MosaicServer server;
    private Path work;
    private HotSwapCorpus corpus;
    /** Maven version of the shipped codec (0.1.0-SNAPSHOT) and its feature version (0.1.0.SNAPSHOT). */
    private String shippedMavenVersion;
    private String shippedFeatureVersion;
    private CodecRelease release;

    @BeforeAll
    void startServerAndStore() throws IOException {
        work = Path.of("target/hotswap-it").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        corpus = HotSwapCorpus.prepare(work);
        server = MosaicServer.unpack(Path.of("target/hotswap-server").toAbsolutePath(), false);
        server.start();
        corpus.storeInto(server.dicomPort());

        try (Stream<Path> versions = Files.list(server.home().resolve("system").resolve(CodecRelease.GROUP_PATH)
                .resolve(ARTIFACT))) {
            shippedMavenVersion = versions.map(p -> p.getFileName().toString()).findFirst().orElseThrow();
        }
        shippedFeatureVersion = shippedMavenVersion.replace('-', '.');
        release = new CodecRelease(ARTIFACT, BSN, nextMicroVersion(shippedMavenVersion));
        release.publishInto(server.home(), shippedMavenVersion);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void newFeatureVersionReplacesTheCodecWhileRequestsRunAndNoneFails() throws Exception {
        String repoAdd = shell("feature:repo-add " + release.featuresRepository() + "\nfeature:list");
        assertThat(featureLines(repoAdd)).as("both versions known, the shipped one started")
                .contains(ARTIFACT + " " + shippedFeatureVersion + " Started", ARTIFACT + " " + release.version() + " Uninstalled");

        Path received = work.resolve("received-under-load");
        List<Instance> rleOnly = rleCtAndMr();
        TranscodingLoad load = TranscodingLoad.start(server, corpus.instances(), received, 3,
                storescuCommand(resource("storescu-profiles.cfg"), "RLE-ONLY", rleOnly), rleOnly.size());
        TranscodingLoad.Counts before;
        TranscodingLoad.Counts swapped;
        String sideBySide;
        String state;
        long swapMillis;
        try {
            load.awaitAtLeast(30, 3, 3, Duration.ofSeconds(60));
            before = load.counts();
            long swapStart = System.nanoTime();
            // The admin's upgrade: install the new version (it runs beside the old one), then remove the old.
            sideBySide = shell("feature:install " + release.feature() + "\nbundle:list -s -t 0 " + BSN);
            shell("feature:uninstall " + ARTIFACT + "/" + shippedFeatureVersion);
            swapMillis = Duration.ofNanos(System.nanoTime() - swapStart).toMillis();
            swapped = load.counts();
            // The load goes on while the state is checked: those requests can only be served by the release.
            state = shell(STATE_COMMANDS);
            load.awaitAtLeast(swapped.wadoFrames() + 30, swapped.cGets() + 3, swapped.cStores() + 3, Duration.ofSeconds(60));
        } finally {
            load.close();
        }
        TranscodingLoad.Counts end = load.counts();
        TranscodingLoad.Counts during = swapped.minus(before);
        TranscodingLoad.Counts after = end.minus(swapped);
        System.out.printf("hot swap of %s %s -> %s took %d ms; requests before: %s, during: %s, after: %s; failures: %s%n",
                ARTIFACT, shippedFeatureVersion, release.version(), swapMillis, before, during, after, load.failures());
        assertThat(load.failures()).as("requests that failed (before, during or after the swap)").isEmpty();
        assertThat(during.wadoFrames()).as("WADO-RS frames decoded during the swap").isPositive();
        assertThat(during.cGets()).as("C-GETs transcoded during the swap").isPositive();
        assertThat(during.cStores()).as("RLE-only associations during the swap").isPositive();
        assertThat(after.wadoFrames()).as("WADO-RS frames decoded after the swap").isPositive();
        assertThat(after.cGets()).as("C-GETs transcoded after the swap").isPositive();
        assertThat(after.cStores()).as("RLE-only associations after the swap").isPositive();
        assertThat(bundleLines(sideBySide)).as("both bundle versions active between install and uninstall")
                .containsExactlyInAnyOrder("Active " + shippedFeatureVersion, "Active " + release.version());
        assertThat(corpus.checkReceived(received)).as("every file C-GET delivered, by pydicom").isEqualTo("OK " + end.cGets());
        deleteTree(received);
        assertOnlyTheReleaseRuns(state);
    }

    @Test
    @Order(2)
    void uninstallingTheCodecRemovesItsSyntaxFromNegotiationAtOnceAndInstallingBringsItBack() throws Exception {
        Path profiles = resource("storescu-profiles.cfg");
        List<Instance> rle = rleCtAndMr();
        List<Instance> jpegLs = corpus.inSyntax(HotSwapCorpus.JPEG_LS_LOSSLESS);
        Instance rleFrames = rle.get(0);

        String removed = shell("feature:uninstall " + release.feature() + "\nbundle:list -s -t 0 " + BSN);
        assertThat(bundleLines(removed)).as("no RLE bundle left").isEmpty();
        String refused = storescu(profiles, "RLE-ONLY", rle);
        assertThat(refused).as("storescu offering only RLE Lossless").contains("No Acceptable Presentation Contexts")
                .doesNotContain("Received Store Response");
        assertThat(storescu(profiles, "JPEG-LS-ONLY", jpegLs)).as("other codecs untouched")
                .contains("Received Store Response (Success)").doesNotContain("No Acceptable Presentation Contexts");
        assertThat(frameRequest(rleFrames, 1).statusCode()).as("WADO-RS frame that needs the RLE decoder").isEqualTo(406);

        String state = shell("feature:install " + release.feature() + "\n" + STATE_COMMANDS);
        String accepted = storescu(profiles, "RLE-ONLY", rle);
        assertThat(accepted.lines().filter(l -> l.contains("Received Store Response (Success)")))
                .as("storescu offering only RLE Lossless, codec back").hasSize(rle.size());
        assertFrameServed(rleFrames, 1);
        assertOnlyTheReleaseRuns(state);
    }

    @Test
    @Order(3)
    void theUpgradedVersionIsStillTheOneRunningAfterARestart() throws Exception {
        server.stop();
        server.start();
        assertOnlyTheReleaseRuns(shell(STATE_COMMANDS));
        Instance multiFrame = corpus.inSyntax(HotSwapCorpus.RLE_LOSSLESS).stream().filter(i -> i.frames() > 1)
                .findFirst().orElseThrow();
        assertFrameServed(multiFrame, multiFrame.frames());
        Path received = Files.createDirectories(work.resolve("received-after-restart"));
        Tools.Result get = Tools.run(TOOL_TIMEOUT, TranscodingLoad.cGetCommand(server.dicomPort(), multiFrame, received));
        assertThat(get.out() + get.err()).contains("Received C-GET Response (Success)");
        assertThat(corpus.checkReceived(received)).isEqualTo("OK 1");
    }

    /**
     * Only the release's bundle and feature are installed, and its codec is the one the transcoder
     * holds; {@code out} is what {@link #STATE_COMMANDS} printed.
     */
    private void assertOnlyTheReleaseRuns(String out) {
        assertThat(bundleLines(out)).as(BSN + " bundles").containsExactly("Active " + release.version());
        assertThat(featureLines(out).stream().filter(l -> l.startsWith(ARTIFACT + " ")))
                .as("installed " + ARTIFACT + " features").containsExactly(ARTIFACT + " " + release.version() + " Started");
        Matcher component = Pattern.compile("RleCodec in bundle (\\d+) \\(" + Pattern.quote(BSN) + ":"
                + Pattern.quote(release.version()) + "\\) (\\w+)").matcher(out);
        assertThat(component.find()).as("scr:list shows the RLE codec component of the release:\n" + out).isTrue();
        assertThat(component.group(2)).isEqualTo("enabled");
        String bundleId = component.group(1);
        // service:list: the codec service of that bundle, used by the transcoder's codec registry
        String service = serviceBlock(out, "component.name = org.mosaicpacs.codec.rle.internal.RleCodec");
        assertThat(service).contains("service.bundleid = " + bundleId).contains(HotSwapCorpus.RLE_LOSSLESS)
                .containsPattern("Used by:\\s+Mosaic PACS :: Transcoder");
    }

    private void assertFrameServed(Instance instance, int frame) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = frameRequest(instance, frame);
        assertThat(response.statusCode()).as(instance.name() + " frame " + frame).isEqualTo(200);
        byte[] pixels = TranscodingLoad.singlePart(response.headers().firstValue("Content-Type").orElse(""), response.body());
        assertThat(pixels).as(instance.name() + " frame " + frame + " as the oracle decodes it")
                .isEqualTo(instance.frame(frame));
    }

    private HttpResponse<byte[]> frameRequest(Instance instance, int frame) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(server.http("/dicom-web/studies/" + instance.study() + "/series/"
                        + instance.series() + "/instances/" + instance.sop() + "/frames/" + frame))
                .header("Accept", TranscodingLoad.DECODED_FRAMES).timeout(Duration.ofSeconds(60)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The RLE CT and MR made by DCMTK: the SOP classes of storescu-profiles.cfg. */
    private List<Instance> rleCtAndMr() {
        return corpus.inSyntax(HotSwapCorpus.RLE_LOSSLESS).stream()
                .filter(i -> i.name().startsWith("rle-dcmtk/CT") || i.name().startsWith("rle-dcmtk/MR")).toList();
    }

    /** DCMTK storescu with an association profile of storescu-profiles.cfg; its whole log. */
    private String storescu(Path profiles, String profile, List<Instance> instances) {
        Tools.Result r = Tools.run(TOOL_TIMEOUT, storescuCommand(profiles, profile, instances));
        return r.out() + r.err();
    }

    private List<String> storescuCommand(Path profiles, String profile, List<Instance> instances) {
        List<String> command = new ArrayList<>(List.of(Tools.require("storescu").toString(), "-v", "-xf",
                profiles.toString(), profile, "-aet", "HOTSWAP", "-aec", "MOSAIC", "127.0.0.1",
                Integer.toString(server.dicomPort())));
        instances.forEach(i -> command.add(i.file().toString()));
        return command;
    }

    private String shell(String commands) {
        return ANSI.matcher(server.shell(commands)).replaceAll("");
    }

    /** "State Version" of each row of bundle:list -s naming the codec bundle. */
    private static List<String> bundleLines(String shellOutput) {
        return shellOutput.lines().map(l -> l.split("\\|")).filter(c -> c.length == 5 && c[4].strip().equals(BSN))
                .map(c -> c[1].strip() + " " + c[3].strip()).toList();
    }

    /** "name version state" of each row of feature:list. */
    private static List<String> featureLines(String shellOutput) {
        return shellOutput.lines().map(l -> l.split("\\|")).filter(c -> c.length >= 5)
                .map(c -> c[0].strip() + " " + c[1].strip() + " " + c[3].strip()).toList();
    }

    /** The block of service:list output that contains {@code marker}. */
    private static String serviceBlock(String shellOutput, String marker) {
        for (String block : shellOutput.split("\\n\\s*\\n")) {
            if (block.contains(marker)) {
                return block;
            }
        }
        throw new AssertionError("no service with " + marker + " in:\n" + shellOutput);
    }

    /** 0.1.0-SNAPSHOT gives 0.1.1: a release above the shipped version in OSGi order. */
    static String nextMicroVersion(String mavenVersion) {
        String[] parts = mavenVersion.replaceFirst("-.*", "").split("\\.");
        return parts[0] + "." + (parts.length > 1 ? parts[1] : "0") + "."
                + (parts.length > 2 ? Integer.parseInt(parts[2]) + 1 : 1);
    }

    private Path resource(String name) throws IOException {
        Path target = work.resolve(name);
        try (InputStream in = CodecHotSwapIT.class.getResourceAsStream(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
