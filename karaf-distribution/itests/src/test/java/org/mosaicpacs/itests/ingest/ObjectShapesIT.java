package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

/**
 * Objects laid out unlike the images of the corpora, written by pydicom in Explicit and Implicit
 * VR Little Endian and sent with DCMTK storescu in that syntax: an encapsulated PDF, a 1-bit
 * segmentation, an RT structure set, a presentation state (a sequence first after group 0020,
 * which the archive once refused with 0110), and images with a large private value or sequence
 * before the study UID (once refused with A900). pydicom finds each stored copy as sent.
 */
@ExtendWith(SharedMosaicServer.class)
class ObjectShapesIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

    @Test
    void objectsOfEveryLayoutAreStoredAsSent(MosaicServer server) throws Exception {
        Path reference = TestData.dicomFilesUnder(TestData.corpus("shapes-itest", "--patients", "1",
                "--studies-per-patient", "1", "--instances-per-series", "1", "--id-prefix", "SHP", "--seed", "19")
                .resolve("native")).get(0);
        Path work = TestFiles.freshDirectory(Path.of("target/object-shapes-it").toAbsolutePath());
        List<Path> files = Tools.run(TOOL_TIMEOUT, List.of(Tools.pydicomPython().toString(),
                TestEnvironment.repoRoot().resolve("karaf-distribution/itests/src/test/python/object-shapes.py").toString(),
                work.toString(), reference.toString())).assertSuccess().out().lines().map(Path::of).toList();
        assertThat(files).hasSize(12);

        Map<Path, String> withSyntax = new LinkedHashMap<>();
        files.forEach(f -> withSyntax.put(f, f.getFileName().toString().endsWith("-ile.dcm")
                ? "1.2.840.10008.1.2" : "1.2.840.10008.1.2.1"));
        StoreScu.Outcome stored = StoreScu.sendAsStored(server.dicomPort(), "MOSAIC", withSyntax, TOOL_TIMEOUT);
        assertThat(stored.succeeded()).as(stored.log()).containsExactlyInAnyOrderElementsOf(files);
        assertThat(StoredObjects.problemsWithStoredCopies(StoredObjects.objectsRoot(server.home()), files)).isEmpty();
    }
}
