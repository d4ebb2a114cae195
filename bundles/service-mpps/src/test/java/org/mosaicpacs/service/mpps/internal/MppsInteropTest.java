package org.mosaicpacs.service.mpps.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.NodeProject;
import org.mosaicpacs.testing.TestDatabase;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;
import org.mosaicpacs.testing.Tshark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The MPPS SCP on a real association, judged by independent implementations: the npm package
 * dcmjs-dimse as SCU (src/test/node/mpps-scu.js: N-CREATE, N-SET, N-SET COMPLETED, then the
 * illegal transitions), our own SCU (dicom-net) with the same cycle, and Wireshark's DICOM
 * dissector (tshark) reading a capture of one cycle: every N-CREATE and N-SET request and
 * response decoded, without a malformed packet or an expert error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MppsInteropTest {

    private static final String ROOT = "1.2.826.0.1.3680043.10.543.9";

    private HikariDataSource dataSource;
    private MppsRepository repository;
    private final FakeWorklist worklist = new FakeWorklist();
    private DicomServer server;
    private DicomClient client;

    @BeforeAll
    void startScp() throws Exception {
        dataSource = TestDatabase.DERBY.create("mpps_interop");
        repository = new MppsRepository(dataSource);
        MppsScp scp = new MppsScp(new MppsManager(repository, new MppsAttributeRules(false),
                new WorklistLinks(() -> worklist), new RecordingEventAdmin(), Clock.systemUTC()));
        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.ModalityPerformedProcedureStep, scp,
                        UID.ModalityPerformedProcedureStepRetrieve, scp)));
        server.start();
        client = DicomClient.builder().build();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Test
    void dcmjsDimseRunsTheCycleAndGetsThePs34FailureStatuses() throws Exception {
        Path node = Tools.require("node");
        // the scheduled step mpps-scu.js names in its Scheduled Step Attributes Sequence
        String worklistItem = worklist.schedule(ROOT + ".1", "ACC-DCMJS-1", "RP-DCMJS-1", "SPS-DCMJS-1");
        Path work = NodeProject.install(TestEnvironment.repoRoot().resolve("bundles/service-mpps/src/test/node"),
                Path.of("target", "dcmjs-mpps").toAbsolutePath(), List.of("package.json", "package-lock.json", "mpps-scu.js"),
                false);

        Path results = work.resolve("results.json");
        Files.deleteIfExists(results);
        Tools.Result run = Tools.run(Duration.ofSeconds(60), List.of(node.toString(), "mpps-scu.js", "127.0.0.1",
                Integer.toString(server.port()), "MOSAIC", ROOT, results.toString()), work, Map.of()).assertSuccess();
        Files.writeString(work.resolve("dcmjs-dimse.log"), run.out() + run.err());
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        for (JsonNode step : new ObjectMapper().readTree(results.toFile())) {
            steps.put(step.get("step").asText(), step);
            System.out.printf("dcmjs-dimse %-22s status 0x%04X %s%n", step.get("step").asText(), step.get("status").asInt(),
                    step.path("errorComment").isNull() ? "" : step.get("errorComment").asText());
        }
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("create", Status.SUCCESS);
        expected.put("update", Status.SUCCESS);
        expected.put("complete", Status.SUCCESS);
        expected.put("setAfterCompleted", Status.PROCESSING_FAILURE);
        expected.put("createMissingType1", Status.MISSING_ATTRIBUTE);
        expected.put("createEmptyType1", Status.MISSING_ATTRIBUTE_VALUE);
        expected.put("createCompleted", Status.INVALID_ATTRIBUTE_VALUE);
        expected.put("setUnknown", Status.NO_SUCH_SOP_INSTANCE);
        expected.put("createDuplicate", Status.DUPLICATE_SOP_INSTANCE);
        expected.put("createForDiscontinue", Status.SUCCESS);
        expected.put("discontinueWithoutEnd", Status.MISSING_ATTRIBUTE_VALUE);
        expected.put("createWithoutUid", Status.SUCCESS);
        expected.put("discontinue", Status.SUCCESS);
        assertThat(steps.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, status) -> {
            JsonNode step = steps.get(name);
            assertThat(step.has("error")).as(name + ": " + step).isFalse();
            assertThat(step.get("status").asInt()).as(name + ": " + step).isEqualTo(status);
        });
        assertThat(steps.get("create").get("affectedSopInstanceUid").asText()).isEqualTo(ROOT + ".9.1");
        String assigned = steps.get("createWithoutUid").get("affectedSopInstanceUid").asText();
        assertThat(assigned).as("the UID the SCP assigned, in the N-CREATE-RSP").startsWith("2.25.");
        assertThat(repository.find(assigned)).isPresent();
        assertThat(steps.get("setAfterCompleted").get("errorComment").asText())
                .isEqualTo("Performed Procedure Step Object may no longer be updated");
        assertThat(steps.get("setAfterCompleted").get("errorId").asInt()).isEqualTo(0xA710);
        assertThat(steps.get("createMissingType1").get("errorComment").asText())
                .contains("PerformedStationAETitle").contains("Modality");

        PerformedProcedureStep completed = repository.find(ROOT + ".9.1").orElseThrow();
        assertThat(completed.status()).isEqualTo(MppsStatus.COMPLETED);
        assertThat(completed.seriesInstanceUids()).containsExactly(ROOT + ".2.1");
        assertThat(completed.worklistItemIds()).containsExactly(worklistItem);
        // step 5 performed the same scheduled step and was discontinued: the item stays COMPLETED
        assertThat(worklist.stepStatus(worklistItem)).isEqualTo("COMPLETED");
        assertThat(repository.find(ROOT + ".9.5").orElseThrow().worklistItemIds()).containsExactly(worklistItem);
        assertThat(completed.attributes().getString(Tag.PatientName)).isEqualTo("Müller^Jürgen");
        assertThat(completed.attributes().getString(Tag.PerformedProcedureStepDescription)).isEqualTo("CT chest, low dose");
        assertThat(repository.find(ROOT + ".9.5").orElseThrow().status()).isEqualTo(MppsStatus.DISCONTINUED);
        assertThat(repository.find(ROOT + ".9.2")).isEmpty();
    }

    @Test
    void ourScuRunsTheSameCycle() throws Exception {
        Map<String, Integer> statuses = ourScuCycle("OURSCU");
        statuses.forEach((name, status) -> System.out.printf("dicom-net   %-22s status 0x%04X%n", name, status));
        assertThat(statuses).containsExactly(
                Map.entry("N-CREATE", Status.SUCCESS),
                Map.entry("N-SET", Status.SUCCESS),
                Map.entry("N-SET COMPLETED", Status.SUCCESS),
                Map.entry("N-SET after COMPLETED", Status.PROCESSING_FAILURE),
                Map.entry("N-CREATE COMPLETED", Status.INVALID_ATTRIBUTE_VALUE),
                Map.entry("N-CREATE missing", Status.MISSING_ATTRIBUTE),
                Map.entry("N-SET unknown", Status.NO_SUCH_SOP_INSTANCE),
                Map.entry("N-GET", Status.UNRECOGNIZED_OPERATION),
                Map.entry("N-GET Retrieve", Status.SUCCESS));
    }

    @Test
    void tsharkDecodesEveryMessageOfACycleWithoutMalformedPackets() throws Exception {
        Path tshark = Tools.require("tshark");
        Path capture = Path.of("target", "mpps-cycle.pcapng").toAbsolutePath();
        Files.deleteIfExists(capture);
        int port = server.port();
        Path stderr = Path.of("target", "tshark-capture.err").toAbsolutePath();
        Files.deleteIfExists(stderr);
        Process capturing = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f", "tcp port " + port, "-w",
                capture.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile()).start();
        try {
            Tshark.awaitCapturing(capturing, stderr);
            ourScuCycle("TSHARKSCU");
            Thread.sleep(500); // let the last segments reach the capture
        } finally {
            capturing.destroy(); // SIGTERM: tshark closes the file properly
            if (!capturing.waitFor(20, TimeUnit.SECONDS)) {
                capturing.destroyForcibly();
            }
        }
        String decodeAs = "tcp.port==" + port + ",dicom";
        String verbose = Tools.run(Duration.ofSeconds(60), List.of(tshark.toString(), "-r", capture.toString(), "-d",
                decodeAs, "-Y", "dicom", "-V")).assertSuccess().out();
        String summary = Tools.run(Duration.ofSeconds(60), List.of(tshark.toString(), "-r", capture.toString(), "-d",
                decodeAs, "-Y", "dicom")).assertSuccess().out();
        Files.writeString(Path.of("target", "mpps-cycle-tshark.txt"), verbose);
        System.out.println(summary);
        // the whole association, so that the dissector knows the presentation contexts
        for (String message : List.of("A-ASSOCIATE request", "A-ASSOCIATE accept", "N-CREATE-RQ", "N-CREATE-RSP",
                "N-SET-RQ", "N-SET-RSP", "N-GET-RSP", "A-RELEASE request", "A-RELEASE response")) {
            assertThat(verbose).as(message).contains(message);
        }
        assertThat(count(verbose, "N-CREATE-RSP")).isGreaterThanOrEqualTo(3);
        assertThat(verbose).doesNotContainIgnoringCase("malformed");
        // Wireshark's expert info: no error at all; one DICOM "Response" warning per failure status
        // the cycle provokes (0110, 0106, 0120, 0112, 0211), nothing else
        String expert = Tools.run(Duration.ofSeconds(60), List.of(tshark.toString(), "-r", capture.toString(), "-d",
                decodeAs, "-q", "-z", "expert")).assertSuccess().out();
        System.out.println(expert);
        assertThat(expert).doesNotContain("Errors (").doesNotContain("Malformed").contains("Warns (5)");
        assertThat(expert.lines().filter(l -> l.matches("\\s+\\d+\\s+\\w+\\s+\\w+\\s+.*"))
                .filter(l -> !l.contains("TCP"))).allMatch(l -> l.matches("\\s+5\\s+Response\\s+DICOM\\s+.*"));
    }

    /** Starts our SCU's cycle on one association; the status of each request in order. */
    private Map<String, Integer> ourScuCycle(String callingAe) throws Exception {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        AAssociateRq rq = AAssociateRq.builder("MOSAIC", callingAe)
                .presentationContext(UID.ModalityPerformedProcedureStep, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)
                .presentationContext(UID.ModalityPerformedProcedureStepRetrieve, UID.ExplicitVRLittleEndian)
                .build();
        String mpps = UID.ModalityPerformedProcedureStep;
        try (Association association = client.connect("127.0.0.1", server.port(), rq)) {
            DimseResponse created = association.nCreate(mpps, null, MppsTestData.create("SPS-" + callingAe, "OUR_CT"));
            statuses.put("N-CREATE", created.status());
            String uid = created.command().getString(Tag.AffectedSOPInstanceUID);
            assertThat(uid).as("N-CREATE-RSP carries the assigned Affected SOP Instance UID").isNotBlank();
            statuses.put("N-SET", association.nSet(mpps, uid, MppsTestData.update("updated by " + callingAe)).status());
            statuses.put("N-SET COMPLETED", association.nSet(mpps, uid,
                    MppsTestData.finish("COMPLETED", ROOT + ".4." + callingAe.length())).status());
            DimseResponse late = association.nSet(mpps, uid, MppsTestData.update("late"));
            assertThat(late.errorComment()).isEqualTo("Performed Procedure Step Object may no longer be updated");
            statuses.put("N-SET after COMPLETED", late.status());
            DataSet completed = MppsTestData.create("SPS-X", "OUR_CT");
            completed.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
            statuses.put("N-CREATE COMPLETED", association.nCreate(mpps, null, completed).status());
            DataSet missing = MppsTestData.create("SPS-Y", "OUR_CT");
            missing.remove(Tag.PerformedProcedureStepStartDate);
            DimseResponse missingRsp = association.nCreate(mpps, null, missing);
            assertThat(missingRsp.command().getInts(Tag.OffendingElement)).containsExactly(Tag.PerformedProcedureStepStartDate);
            statuses.put("N-CREATE missing", missingRsp.status());
            statuses.put("N-SET unknown", association.nSet(mpps, ROOT + ".404", MppsTestData.update("x")).status());
            statuses.put("N-GET", association.nGet(mpps, uid).status());
            DimseResponse retrieved = association.nGet(UID.ModalityPerformedProcedureStepRetrieve, uid,
                    Tag.PerformedProcedureStepStatus, Tag.PerformedSeriesSequence);
            statuses.put("N-GET Retrieve", retrieved.status());
            assertThat(retrieved.dataSet().getString(Tag.PerformedProcedureStepStatus)).isEqualTo("COMPLETED");
            assertThat(retrieved.dataSet().contains(Tag.PatientName)).isFalse();
            assertThat(retrieved.dataSet().getNestedDataSet(Tag.PerformedSeriesSequence).getString(Tag.ProtocolName))
                    .isEqualTo("Chest routine");
            association.release();
        }
        return statuses;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
