package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.itests.plugins.PluginTests;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Tools;

/**
 * Compression on ingest in the running distribution, switched on the way an admin does it
 * ({@code config:property-set} on {@code org.mosaicpacs.archive}): a CT series sent uncompressed by
 * storescu is on disk as JPEG-LS Lossless (DCMTK's dcmdump), DCMTK's dcmdjpls decodes every
 * stored file to exactly the pixels sent (pydicom), and a getscu that offers only uncompressed
 * syntaxes gets the same pixels back.
 */
@ExtendWith(SharedMosaicServer.class)
class CompressOnIngestIT {

    private static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";

    @Test
    void aCtSeriesIsStoredAsJpegLsLosslessAndRetrievedWithItsPixels(MosaicServer server, @TempDir Path dir) throws Exception {
        List<Path> ct = PluginTests.ctSeries("compress", 6);
        DataSet first = StoredObjects.header(ct.get(0));
        String study = first.getString(Tag.StudyInstanceUID);
        server.shell("config:property-set -p org.mosaicpacs.archive compressOnIngest " + JPEG_LS_LOSSLESS);
        try {
            // the archive component takes its new configuration asynchronously, and says so
            PluginTests.await(Duration.ofSeconds(30), () -> karafLog(server),
                    log -> log.contains("compress on ingest JPEG-LS Lossless"), "archive reconfigured");
            PluginTests.storescu(server, "CTSCANNER", ct);
        } finally {
            server.shell("config:property-delete -p org.mosaicpacs.archive compressOnIngest");
        }

        List<String> pairs = new ArrayList<>();
        for (Path original : ct) {
            DataSet h = StoredObjects.header(original);
            Path stored = server.home().resolve("data/mosaic/objects").resolve(h.getString(Tag.StudyInstanceUID))
                    .resolve(h.getString(Tag.SeriesInstanceUID)).resolve(h.getString(Tag.SOPInstanceUID) + ".dcm");
            Tools.Result meta = Tools.run(Duration.ofSeconds(30), List.of(Tools.require("dcmdump").toString(),
                    "-M", "+P", "0002,0010", stored.toString())).assertSuccess();
            assertThat(meta.out()).as("stored transfer syntax of %s", stored).contains("=JPEGLSLossless");
            Path decoded = dir.resolve("decoded-" + original.getFileName());
            Tools.run(Duration.ofSeconds(60), List.of(Tools.require("dcmdjpls").toString(), stored.toString(),
                    decoded.toString())).assertSuccess();
            pairs.add(original + "=" + decoded);
        }

        // C-GET offering only uncompressed syntaxes (getscu's default): the archive decodes on the way out
        Path received = Files.createDirectories(dir.resolve("received"));
        Tools.run(Duration.ofMinutes(2), List.of(Tools.require("getscu").toString(), "-aet", "GETSCU", "-aec", "MOSAIC",
                "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study, "-od", received.toString(),
                "127.0.0.1", Integer.toString(server.dicomPort()))).assertSuccess();
        for (Path original : ct) {
            String sop = StoredObjects.header(original).getString(Tag.SOPInstanceUID);
            Path got = received.resolve("CT." + sop);
            assertThat(got).as("getscu received %s", sop).exists();
            pairs.add(original + "=" + got);
        }

        List<String> command = new ArrayList<>(List.of(Tools.pydicomPython().toString(), "-c", SAME_PIXELS));
        command.addAll(pairs);
        Tools.Result same = Tools.run(Duration.ofMinutes(2), command);
        assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
        assertThat(same.out().strip()).isEqualTo(pairs.size() + " identical");
    }

    /** pydicom: each ORIGINAL=OTHER pair has the same pixel array (values and shape). */
    private static final String SAME_PIXELS = String.join("\n",
            "import sys, numpy, pydicom",
            "bad = []",
            "for pair in sys.argv[1:]:",
            "    a, b = pair.split('=')",
            "    x, y = pydicom.dcmread(a).pixel_array, pydicom.dcmread(b).pixel_array",
            "    if x.shape != y.shape or not numpy.array_equal(x, y):",
            "        bad.append(b)",
            "if bad:",
            "    print('pixels differ:', *bad)",
            "    sys.exit(1)",
            "print(f'{len(sys.argv) - 1} identical')");

    private static String karafLog(MosaicServer server) {
        try {
            return Files.readString(server.home().resolve("data/log/karaf.log"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
