package org.mosaicpacs.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;

import org.mosaicpacs.testing.Ports;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;

/**
 * Pax Exam options that boot the real Mosaic distribution (the tar.gz this build made) with
 * free ports, so test runs never collide with a PACS already running on the machine.
 */
final class MosaicKarafOptions {

    /** HTTP port chosen for this JVM; tests reach {@code http://127.0.0.1:HTTP_PORT/api}. */
    static final int HTTP_PORT = Ports.free();

    private MosaicKarafOptions() {
    }

    static Option[] distribution() {
        MavenArtifactUrlReference karaf = maven().groupId("org.mosaicpacs").artifactId("mosaic-karaf-distribution")
                .versionAsInProject().type("tar.gz");
        return new Option[] {
            karafDistributionConfiguration().frameworkUrl(karaf).name("Mosaic PACS")
                    .unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.WARN),
            // Fail, not hang, when the container never offers the probe (a broken boot).
            systemTimeout(300_000),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(HTTP_PORT)),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(Ports.free())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(Ports.free())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(Ports.free())),
            // Test-only libraries the probe uses inside Karaf.
            mavenBundle("net.bytebuddy", "byte-buddy").versionAsInProject(),
            mavenBundle("org.assertj", "assertj-core").versionAsInProject(),
            // The probe runs inside Karaf and reads this to know where to send HTTP requests.
            systemProperty("mosaic.itest.httpPort").value(Integer.toString(HTTP_PORT)),
        };
    }
}
