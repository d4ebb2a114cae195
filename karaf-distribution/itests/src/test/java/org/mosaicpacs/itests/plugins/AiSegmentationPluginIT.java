package org.mosaicpacs.itests.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Tools;

/**
 * Storing a CT series triggers the sample AI plugin through the AI pipeline: its Segmentation and
 * TID 1500 SR land in the same study, QIDO-RS lists them, WADO-RS returns them, and they pass
 * dciodvfy (dicom3tools) and dcmdump/dsrdump (DCMTK). The job is visible on /api/ai/jobs and in
 * {@code mosaic:ai-jobs}.
 */
@ExtendWith(SharedMosaicServer.class)
class AiSegmentationPluginIT {

    private static final String FEATURE = "mosaic-sample-ai-segmentation";

    @Test
    void aStoredCtSeriesGetsASegmentationAndAMeasurementReport(MosaicServer server) throws Exception {
        List<Path> ct = PluginTests.ctSeries("aiseg", 12);
        String study;
        try (DicomReader r = DicomReader.open(ct.get(0))) {
            study = r.readDataSet(StopCondition.beforeTag(Tag.PixelData)).getString(Tag.StudyInstanceUID);
        }
        server.shell("config:property-set -p org.mosaicpacs.archive studyStableSeconds 2");
        server.shell("feature:install " + FEATURE);
        try {
            PluginTests.await(Duration.ofSeconds(60), () -> PluginTests.getJson(server, "/api/ai/connectors"),
                    s -> s.contains("sample-ct-segmentation"), "connector registered");
            PluginTests.storescu(server, "CTSCANNER", ct);

            String job = PluginTests.await(Duration.ofSeconds(120), () -> PluginTests.getJson(server, "/api/ai/jobs?study=" + study),
                    s -> s.contains("\"COMPLETED\"") || s.contains("\"FAILED\""), "AI job finished");
            assertThat(job).contains("\"connector\":\"sample-ct-segmentation\"").contains("\"state\":\"COMPLETED\"")
                    .contains("\"inputInstances\":12").containsPattern("Lung \\d+\\.\\d ml, Bone \\d+\\.\\d ml");
            List<String> results = results(job);
            assertThat(results).hasSize(2);

            assertThat(server.shell("mosaic:ai-jobs --study " + study)).contains("sample-ct-segmentation").contains("COMPLETED");
            // the objects as the archive stored them, checked by independent tools
            List<String> stored = new ArrayList<>();
            for (String uid : results) {
                Path file = PluginTests.storedFile(server, uid);
                DataSet header;
                try (DicomReader r = DicomReader.open(file)) {
                    header = r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
                }
                stored.add(header.getString(Tag.SOPClassUID));
                String tree = validate(file, header.getString(Tag.SOPClassUID));
                if (!tree.isEmpty()) {
                    assertThat(tree).contains("Referenced Segment").contains("Volume").contains("mm3");
                }
            }
            assertThat(stored).containsExactlyInAnyOrder(UID.SegmentationStorage, UID.Comprehensive3DSRStorage);

            // last, as the rest does not depend on it: QIDO-RS lists them, WADO-RS returns them
            String series = PluginTests.getJson(server, "/dicom-web/studies/" + study + "/series");
            assertThat(series).startsWith("200").contains("\"SEG\"").contains("\"SR\"").contains("\"CT\"");

            var wado = PluginTests.get(server, "/dicom-web/studies/" + study, "multipart/related; type=\"application/dicom\"");
            assertThat(wado.statusCode()).isEqualTo(200);
            List<String> sopClasses = new ArrayList<>();
            for (byte[] part : PluginTests.parts(wado)) {
                DataSet header;
                try (DicomReader r = DicomReader.open(new ByteArrayInputStream(part), org.mosaicpacs.dicom.io.ReadOptions.defaults())) {
                    header = r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
                }
                String uid = header.getString(Tag.SOPInstanceUID);
                sopClasses.add(header.getString(Tag.SOPClassUID));
                if (results.contains(uid)) {
                    assertThat(part).as("WADO-RS returns the stored bytes").isEqualTo(Files.readAllBytes(PluginTests.storedFile(server, uid)));
                }
            }
            assertThat(sopClasses).contains(UID.SegmentationStorage, UID.Comprehensive3DSRStorage);
            assertThat(sopClasses.stream().filter(UID.CTImageStorage::equals)).hasSize(12);
        } finally {
            server.shell("feature:uninstall " + FEATURE);
            server.shell("config:property-delete -p org.mosaicpacs.archive studyStableSeconds");
        }
    }

    /**
     * dciodvfy reports no error, dcmdump reads it; for an SR, dsrdump reads its content tree, which
     * is returned (else "").
     */
    static String validate(Path file, String sopClass) {
        Tools.Result dciodvfy = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("dciodvfy").toString(), file.toString()));
        assertThat((dciodvfy.out() + dciodvfy.err()).lines().filter(l -> l.startsWith("Error")).toList())
                .as(file + ": " + dciodvfy.out() + dciodvfy.err()).isEmpty();
        Tools.run(Duration.ofSeconds(60), List.of(Tools.require("dcmdump").toString(), "-E", file.toString())).assertSuccess();
        if (!UID.Comprehensive3DSRStorage.equals(sopClass)) {
            return "";
        }
        String tree = Tools.run(Duration.ofSeconds(60), List.of(Tools.require("dcmdump").toString()
                .replace("dcmdump", "dsrdump"), "-Ee", file.toString())).assertSuccess().out();
        assertThat(tree).contains("Imaging Measurement Report").doesNotContain("Error");
        return tree;
    }

    /** The "results" array of the job JSON. */
    static List<String> results(String json) {
        Matcher m = Pattern.compile("\"results\":\\[([^\\]]*)\\]").matcher(json);
        List<String> uids = new ArrayList<>();
        if (m.find()) {
            Matcher uid = Pattern.compile("\"([0-9.]+)\"").matcher(m.group(1));
            while (uid.find()) {
                uids.add(uid.group(1));
            }
        }
        return uids;
    }
}
