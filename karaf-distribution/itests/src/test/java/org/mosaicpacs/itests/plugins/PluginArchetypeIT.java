package org.mosaicpacs.itests.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Tools;

/**
 * What docs/plugin-guide.md promises, done by a machine: {@code mvn archetype:generate} from the
 * SDK's archetype, {@code mvn install} of the generated project (with its unit test),
 * {@code feature:install} into the running server,
 * an N-GET answered by the plugin; then version 1.1.0 built and {@code bundle:update}d while an
 * association stays open, which the next N-GET on that same association shows, without a restart.
 * Maven runs online: the generated project needs a plugin (build-helper) that the build running
 * this test does not, and a fresh machine's local repository does not have it.
 */
@ExtendWith(SharedMosaicServer.class)
class PluginArchetypeIT {

    private static final String SOP_CLASS = "2.25.271433416413315932733233398398148470821";
    private static final String GROUP = "com.example.itest";
    private static final String ARTIFACT = "itest-status";
    private static final String BSN = "com.example.itest.status";

    @Test
    void generateBuildInstallAndUpgradeWithoutRestart(MosaicServer server) throws Exception {
        Path work = Path.of("target", "archetype-it").toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        mvn(work, "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate", "-DarchetypeGroupId=org.mosaicpacs",
                "-DarchetypeArtifactId=mosaic-plugin-archetype", "-DarchetypeVersion=" + mosaicVersion(),
                "-DgroupId=" + GROUP, "-DartifactId=" + ARTIFACT, "-Dversion=1.0.0", "-Dpackage=" + BSN,
                "-DsopClassUid=" + SOP_CLASS, "-Dvendor=ITEST");
        Path project = work.resolve(ARTIFACT);
        // The generated PluginIT boots a second distribution (1-2 minutes beside this one on a 2-core
        // machine): it is left to the vendor's build; its unit test runs here.
        mvn(project, "install", "-DskipITs");

        server.shell("feature:repo-add mvn:" + GROUP + "/" + ARTIFACT + "/1.0.0/xml/features");
        server.shell("feature:install " + ARTIFACT);
        try (DicomClient client = DicomClient.builder().connectTimeout(Duration.ofSeconds(10)).build();
             Association as = PluginTests.await(Duration.ofSeconds(30), () -> associate(client, server),
                     a -> a != null, "plugin SOP class accepted")) {
            assertThat(version(as)).isEqualTo("1.0.0");

            Path pom = project.resolve("pom.xml");
            Files.writeString(pom, Files.readString(pom).replaceFirst("<version>1.0.0</version>", "<version>1.1.0</version>"));
            mvn(project, "install", "-DskipTests");
            server.shell("bundle:update " + BSN + " mvn:" + GROUP + "/" + ARTIFACT + "/1.1.0");

            // the same association, never closed: the acceptor finds the new handler for the next request
            String upgraded = PluginTests.await(Duration.ofSeconds(30), () -> version(as), "1.1.0"::equals,
                    "version 1.1.0 answering on the open association");
            assertThat(upgraded).isEqualTo("1.1.0");
            assertThat(as.isOpen()).isTrue();
            assertThat(server.shell("bundle:list -s " + BSN)).contains("1.1.0").contains("Active");
        } finally {
            server.shell("feature:uninstall " + ARTIFACT);
            server.shell("feature:repo-remove mvn:" + GROUP + "/" + ARTIFACT + "/1.0.0/xml/features");
        }
    }

    /** Software Versions from an N-GET, or the status while no handler serves the SOP class. */
    private static String version(Association as) {
        try {
            DimseResponse rsp = as.nGet(SOP_CLASS, SOP_CLASS + ".1");
            return rsp.status() == Status.SUCCESS ? rsp.dataSet().getString(Tag.SoftwareVersions)
                    : "status " + Integer.toHexString(rsp.status());
        } catch (Exception e) {
            throw new AssertionError("N-GET failed: " + e, e);
        }
    }

    /** An association with the plugin's SOP class accepted, or null while it is not. */
    private static Association associate(DicomClient client, MosaicServer server) {
        try {
            Association as = client.connect("127.0.0.1", server.dicomPort(),
                    AAssociateRq.builder("MOSAIC", "ITEST").presentationContext(SOP_CLASS).build());
            if (as.acceptedContexts(SOP_CLASS).isEmpty()) {
                as.close();
                return null;
            }
            return as;
        } catch (Exception e) {
            throw new AssertionError("association failed: " + e, e);
        }
    }

    private static void mvn(Path dir, String... args) {
        Path mvn = Tools.find("mvn");
        if (mvn == null) {
            throw new AssertionError("mvn is not on the PATH: the test builds a generated project with it");
        }
        List<String> cmd = new ArrayList<>(List.of(mvn.toString(), "-B", "-ntp"));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(Duration.ofMinutes(8), cmd, dir, Map.of());
        assertThat(r.exitCode()).as(String.join(" ", cmd) + "\n" + tail(r.out())).isZero();
    }

    private static String tail(String out) {
        String[] lines = out.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
    }

    /** The version of the distribution under test, from its tar.gz name: the SDK version too. */
    private static String mosaicVersion() {
        String name = Path.of(System.getProperty("mosaic.distribution")).getFileName().toString();
        return name.replace("mosaic-karaf-distribution-", "").replace(".tar.gz", "");
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
