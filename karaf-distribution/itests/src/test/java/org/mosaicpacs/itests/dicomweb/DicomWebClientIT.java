package org.mosaicpacs.itests.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.NodeProject;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * The distribution's DICOMweb service driven by the npm {@code dicomweb-client} (the library OHIF
 * is built on): {@code src/test/node/dicomweb-client.test.mjs} stores the corpus with
 * storeInstances, then calls every search and retrieve operation the client has and checks the
 * answers against what pydicom reads from the same files ({@code src/test/node/expected.py}).
 * Node and npm come from the machine (Node 20); {@code npm ci} installs the locked client.
 */
@ExtendWith(SharedMosaicServer.class)
class DicomWebClientIT {

    @Test
    void dicomwebClientCallsEveryOperation(MosaicServer server) throws IOException {
        DicomWebCorpus.awaitDicomWeb(server.http("/"));
        Path node = Tools.require("node");
        Path source = TestEnvironment.repoRoot().resolve("karaf-distribution/itests/src/test/node");
        Path work = NodeProject.install(source, Path.of("target/dicomweb-client").toAbsolutePath(),
                List.of("package.json", "package-lock.json", "dicomweb-client.test.mjs"), true);

        List<String> expected = new ArrayList<>(List.of(Tools.pydicomPython().toString(),
                source.resolve("expected.py").toString(), work.resolve("expected.json").toString()));
        DicomWebCorpus.files().forEach(f -> expected.add(f.toString()));
        Tools.run(Duration.ofMinutes(2), expected).assertSuccess();

        Tools.Result run = Tools.run(Duration.ofMinutes(4), List.of(node.toString(), "--test",
                "--test-reporter=spec", "dicomweb-client.test.mjs"), work, Map.of(
                "MOSAIC_DICOMWEB", server.http("/dicom-web").toString(),
                "MOSAIC_EXPECTED", work.resolve("expected.json").toString()));
        System.out.println(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("pass 8").contains("fail 0");
    }
}
