package org.mosaicpacs.service.commitment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.NodeProject;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;
import org.mosaicpacs.testing.Tshark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Storage Commitment SCP judged by independent implementations: the npm package dcmjs-dimse as
 * requester (src/test/node/commitment-scu.js), receiving the N-EVENT-REPORT on its own association
 * and, as an SCP, on a new association our SCP opens (PS3.4 J.3.3); and Wireshark's DICOM dissector
 * (tshark) decoding an N-ACTION / N-EVENT-REPORT round trip on both kinds of association.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageCommitmentInteropTest {

    private static final String ROOT = "2.25.31415926535897932384626";
    private static final String CT_1 = ROOT + ".1.1";
    private static final String CT_2 = ROOT + ".1.2";
    private static final String MR_1 = ROOT + ".1.3";
    private static final String UNKNOWN = ROOT + ".9.9";
    private static final String REQUESTER = "DCMJS_SCU";

    private final CommitmentFixture archive = new CommitmentFixture();
    private final ObjectMapper json = new ObjectMapper();
    /** Reports on the request's association while the requester keeps it open (the default). */
    private DicomServer sameAssociationScp;
    /** Reports always on a new association to the requester's configured AE. */
    private DicomServer newAssociationScp;
    private DicomClient client;

    @BeforeAll
    void start() throws IOException {
        archive.store(UID.CTImageStorage, CT_1);
        archive.store(UID.CTImageStorage, CT_2);
        archive.store(UID.MRImageStorage, MR_1);
        sameAssociationScp = scp(false);
        newAssociationScp = scp(true);
        client = DicomClient.builder().build();
    }

    private DicomServer scp(boolean alwaysNewAssociation) throws IOException {
        // ARTIM 5 s, not 30: after an A-ABORT to a peer that keeps the connection open (dcmjs-dimse),
        // dicom-net fails the pending N-EVENT-REPORT only when ARTIM closes the connection
        DicomServer server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0)
                .acseTimeout(Duration.ofSeconds(5)).build(),
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, archive.scp(alwaysNewAssociation))));
        server.start();
        return server;
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        for (DicomServer server : new DicomServer[] {sameAssociationScp, newAssociationScp}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void dcmjsDimseGetsBothReportsOnItsOwnAssociation() throws Exception {
        ObjectNode spec = spec(sameAssociationScp.port(), 0);
        // one association, two transactions; it stays open 4 s after the last N-ACTION-RSP for the reports
        ObjectNode association = spec.withArray("associations").addObject().put("lingerMs", 4000);
        transaction(association, ROOT + ".7.1", UID.CTImageStorage, CT_1, UID.CTImageStorage, CT_2,
                UID.MRImageStorage, MR_1, UID.CTImageStorage, UNKNOWN);
        transaction(association, ROOT + ".7.2", UID.CTImageStorage, CT_1, UID.CTImageStorage, CT_2,
                UID.MRImageStorage, MR_1);
        JsonNode result = runDcmjsDimse(spec, "same");

        assertThat(result.get("errors")).as(result.toString()).isEmpty();
        assertActionsSucceeded(result, ROOT + ".7.1", ROOT + ".7.2");
        JsonNode partial = report(result, ROOT + ".7.1");
        assertThat(partial.get("via").asText()).isEqualTo("same");
        assertEventReport(partial, CommitmentVerifier.FAILURES_EXIST);
        assertThat(references(partial.get("dataset").get("ReferencedSOPSequence")))
                .containsExactly(UID.CTImageStorage + " " + CT_1, UID.CTImageStorage + " " + CT_2,
                        UID.MRImageStorage + " " + MR_1);
        JsonNode failed = partial.get("dataset").get("FailedSOPSequence");
        assertThat(references(failed)).containsExactly(UID.CTImageStorage + " " + UNKNOWN);
        assertThat(failed.get(0).get("FailureReason").asInt()).as("0112 No such object instance")
                .isEqualTo(Status.NO_SUCH_SOP_INSTANCE);

        JsonNode complete = report(result, ROOT + ".7.2");
        assertThat(complete.get("via").asText()).isEqualTo("same");
        assertEventReport(complete, CommitmentVerifier.ALL_SUCCESSFUL);
        assertThat(references(complete.get("dataset").get("ReferencedSOPSequence"))).hasSize(3);
        assertThat(complete.get("dataset").has("FailedSOPSequence")).isFalse();
    }

    @Test
    void dcmjsDimseGetsTheReportOnANewAssociationToItsConfiguredAe() throws Exception {
        int listenPort = Ports.free();
        archive.addRemote(new RemoteAe(REQUESTER, "127.0.0.1", listenPort, false, ""));
        ObjectNode spec = spec(newAssociationScp.port(), listenPort).put("waitForReportsMs", 20000);
        ObjectNode association = spec.withArray("associations").addObject().put("lingerMs", 0);
        transaction(association, ROOT + ".8.1", UID.MRImageStorage, MR_1, UID.CTImageStorage, UNKNOWN);
        JsonNode result = runDcmjsDimse(spec, "new");

        assertThat(result.get("errors")).as(result.toString()).isEmpty();
        assertActionsSucceeded(result, ROOT + ".8.1");
        JsonNode report = report(result, ROOT + ".8.1");
        assertThat(report.get("via").asText()).as("report on a new association to the dcmjs-dimse SCP").isEqualTo("new");
        assertThat(report.get("callingAe").asText()).isEqualTo("MOSAIC");
        assertThat(report.get("calledAe").asText()).isEqualTo(REQUESTER);
        assertEventReport(report, CommitmentVerifier.FAILURES_EXIST);
        assertThat(references(report.get("dataset").get("ReferencedSOPSequence")))
                .containsExactly(UID.MRImageStorage + " " + MR_1);
        assertThat(report.get("dataset").get("FailedSOPSequence").get(0).get("FailureReason").asInt())
                .isEqualTo(Status.NO_SUCH_SOP_INSTANCE);
        // PS3.4 J.3.3: on the new association we propose the SCP role only (PS3.7 D.3.3.4)
        assertThat(result.get("newAssociationRoles").toString())
                .isEqualTo("[{\"abstractSyntax\":\"" + UID.StorageCommitmentPushModel
                        + "\",\"scuRole\":false,\"scpRole\":true}]");
    }

    @Test
    void dcmjsDimseThatReleasesAtOnceStillGetsTheReport() throws Exception {
        // A requester that releases right after the N-ACTION-RSP, against the default configuration:
        // the report races the A-RELEASE-RQ. It arrives on the request's association if sent before
        // the release, else on a new one; when it crossed the A-RELEASE-RQ on the wire its response
        // cannot come back (PS3.8 Sta7/Sta8), so the SCP sends it again on a new association: at
        // least once, always the same content.
        int listenPort = Ports.free();
        archive.addRemote(new RemoteAe(REQUESTER, "127.0.0.1", listenPort, false, ""));
        ObjectNode spec = spec(sameAssociationScp.port(), listenPort).put("waitForReportsMs", 20000).put("settleMs", 1500);
        ObjectNode association = spec.withArray("associations").addObject().put("lingerMs", 0);
        transaction(association, ROOT + ".5.1", UID.CTImageStorage, CT_1, UID.CTImageStorage, CT_2);
        JsonNode result = runDcmjsDimse(spec, "release-at-once");

        assertThat(result.get("errors")).as(result.toString()).isEmpty();
        assertActionsSucceeded(result, ROOT + ".5.1");
        JsonNode reports = result.get("reports");
        assertThat(reports).as(result.toString()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        for (JsonNode report : reports) {
            assertThat(report.get("dataset").get("TransactionUID").asText()).isEqualTo(ROOT + ".5.1");
            assertEventReport(report, CommitmentVerifier.ALL_SUCCESSFUL);
            assertThat(references(report.get("dataset").get("ReferencedSOPSequence")))
                    .containsExactly(UID.CTImageStorage + " " + CT_1, UID.CTImageStorage + " " + CT_2);
        }
        if (reports.size() == 2) {
            assertThat(reports.get(1).get("via").asText()).as("the repeat goes on a new association").isEqualTo("new");
        }
    }

    @Test
    void tsharkDecodesTheRoundTripOnTheSameAndOnANewAssociation() throws Exception {
        Path tshark = Tools.require("tshark");
        BlockingQueue<Integer> reports = new ArrayBlockingQueue<>(2);
        DimseHandler receiver = (request, context) -> {
            // counted once the N-EVENT-REPORT-RSP is sent: releasing before would strand it (PS3.8 Sta7/Sta8)
            context.afterResponse(a -> reports.add(request.eventOrActionTypeId()));
            return DimseResponse.success();
        };
        try (DicomServer requesterScp = new DicomServer(ServerOptions.builder().aeTitles("TSHARK_SCU")
                .bindAddress("127.0.0.1").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            requesterScp.start();
            archive.addRemote(new RemoteAe("TSHARK_SCU", "127.0.0.1", requesterScp.port(), false, ""));
            List<Integer> ports = List.of(sameAssociationScp.port(), newAssociationScp.port(), requesterScp.port());
            Path capture = Path.of("target", "commitment-round-trip.pcapng").toAbsolutePath();
            Path stderr = Path.of("target", "tshark-capture.err").toAbsolutePath();
            Files.deleteIfExists(capture);
            Files.deleteIfExists(stderr);
            String filter = String.join(" or ", ports.stream().map(p -> "tcp port " + p).toList());
            Process capturing = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f", filter, "-w", capture.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
            try {
                Tshark.awaitCapturing(capturing, stderr);
                // failures exist, reported on the same association
                requestCommitment(sameAssociationScp.port(), ROOT + ".6.1", receiver, reports,
                        UID.CTImageStorage, CT_1, UID.CTImageStorage, UNKNOWN);
                // all successful, reported on a new association to TSHARK_SCU
                requestCommitment(newAssociationScp.port(), ROOT + ".6.2", receiver, reports,
                        UID.CTImageStorage, CT_2);
                assertThat(List.of(reports.poll(20, TimeUnit.SECONDS), reports.poll(20, TimeUnit.SECONDS)))
                        .containsExactly(CommitmentVerifier.FAILURES_EXIST, CommitmentVerifier.ALL_SUCCESSFUL);
                awaitReleased(requesterScp);
                Thread.sleep(500); // let the last segments reach the capture
            } finally {
                capturing.destroy(); // SIGTERM: tshark closes the file properly
                if (!capturing.waitFor(20, TimeUnit.SECONDS)) {
                    capturing.destroyForcibly();
                }
            }
            List<String> decodeAs = new ArrayList<>();
            for (int port : ports) {
                decodeAs.addAll(List.of("-d", "tcp.port==" + port + ",dicom"));
            }
            String verbose = tshark(tshark, capture, decodeAs, "-Y", "dicom", "-V");
            Files.writeString(Path.of("target", "commitment-round-trip-tshark.txt"), verbose);
            String summary = tshark(tshark, capture, decodeAs, "-Y", "dicom");
            System.out.println(summary);
            for (String message : List.of("A-ASSOCIATE request", "A-ASSOCIATE accept", "N-ACTION-RQ", "N-ACTION-RSP",
                    "N-EVENT-REPORT-RQ", "N-EVENT-REPORT-RSP", "A-RELEASE request", "A-RELEASE response")) {
                assertThat(verbose).as(message).contains(message);
            }
            assertThat(summary.lines().filter(l -> l.contains("N-EVENT-REPORT-RQ"))).hasSize(2);
            assertThat(summary.lines().filter(l -> l.contains("N-ACTION-RSP"))).hasSize(2);
            assertThat(verbose).doesNotContainIgnoringCase("malformed");
            assertDecodedMessages(verbose);
            String expert = tshark(tshark, capture, decodeAs, "-q", "-z", "expert,warn");
            System.out.println(expert);
            assertThat(expert).doesNotContain("Errors (").doesNotContain("Malformed");
            // TCP's own analysis may warn on a loaded loopback (D-SACK, retransmission); nothing else may
            assertThat(expert.lines().filter(l -> l.matches("\\s+\\d+\\s+\\S+\\s+\\S+\\s+.*")))
                    .allSatisfy(l -> assertThat(l.strip().split("\\s+")[2]).as(l).isEqualTo("TCP"));
        }
    }

    /** The command and data set elements tshark decoded, per DIMSE message, in capture order. */
    private static void assertDecodedMessages(String verbose) {
        String scClass = "1.2.840.10008.1.20.1 (Storage Commitment Push Model SOP Class)";
        String scInstance = "1.2.840.10008.1.20.1.1 (Storage Commitment Push Model SOP Instance)";
        List<String> actions = pdvs(verbose, "N-ACTION-RQ ID=");
        assertThat(actions).hasSize(2).allSatisfy(pdv -> assertThat(pdv)
                .containsPattern("Requested SOP Class UID\\s+" + Pattern.quote(scClass))
                .containsPattern("Command Field\\s+N-ACTION-RQ\n")
                .containsPattern("Command Data Set Type\\s+1\n") // a data set follows (PS3.7 E.1)
                .containsPattern("Requested SOP Instance UID\\s+" + Pattern.quote(scInstance))
                .containsPattern("Action Type ID\\s+1\n"));
        for (String header : List.of("N-ACTION-RSP ID=", "N-EVENT-REPORT-RSP ID=")) {
            assertThat(pdvs(verbose, header)).as(header).hasSize(2).allSatisfy(pdv -> assertThat(pdv)
                    .containsPattern("Affected SOP Class UID\\s+" + Pattern.quote(scClass))
                    .containsPattern("Command Data Set Type\\s+257\n")
                    .containsPattern("Status\\s+Success \\(0x00\\)")
                    .containsPattern("Affected SOP Instance UID\\s+" + Pattern.quote(scInstance)));
        }
        List<String> reports = pdvs(verbose, "N-EVENT-REPORT-RQ ID=");
        assertThat(reports).hasSize(2).allSatisfy(pdv -> assertThat(pdv)
                .containsPattern("Affected SOP Class UID\\s+" + Pattern.quote(scClass))
                .containsPattern("Command Field\\s+N-EVENT-REPORT-RQ\n")
                .containsPattern("Affected SOP Instance UID\\s+" + Pattern.quote(scInstance)));
        assertThat(reports.get(0)).containsPattern("Event Type ID\\s+2\n");
        assertThat(reports.get(1)).containsPattern("Event Type ID\\s+1\n");
        List<String> information = pdvs(verbose, "N-EVENT-REPORT-RQ-DATA");
        assertThat(information).hasSize(2);
        assertThat(information.get(0)).contains("Transaction UID                               [UI] " + ROOT + ".6.1")
                .containsPattern("Failed SOP Sequence[^\n]+\\[SQ\\]")
                .containsPattern("Referenced SOP Instance UID\\s+\\[UI\\] " + Pattern.quote(UNKNOWN) + "\n"
                        + "\\s+\\(0008,1197\\)\\s+2 Failure Reason\\s+\\[US\\] 274\n") // 0112
                .containsPattern("Referenced SOP Instance UID\\s+\\[UI\\] " + Pattern.quote(CT_1) + "\n");
        assertThat(information.get(1)).contains("Transaction UID                               [UI] " + ROOT + ".6.2")
                .doesNotContain("Failed SOP Sequence")
                .containsPattern("Referenced SOP Instance UID\\s+\\[UI\\] " + Pattern.quote(CT_2) + "\n");
        // the new association: our SCP proposes the SCP role, the requester accepts it (PS3.4 J.3.3)
        assertThat(count(verbose, "Role Selection: SCU-role: no, SCP-role: yes")).isEqualTo(2);
    }

    /** The lines of each PDV whose summary starts with {@code header}, up to the next PDV or frame. */
    private static List<String> pdvs(String verbose, String header) {
        List<String> found = new ArrayList<>();
        StringBuilder current = null;
        for (String line : verbose.split("\n")) {
            if (line.startsWith("    PDV, ") || line.isBlank()) {
                if (current != null) {
                    found.add(current.toString());
                }
                current = line.startsWith("    PDV, " + header) ? new StringBuilder() : null;
            }
            if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (current != null) {
            found.add(current.toString());
        }
        return found;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    /** One N-ACTION on its own association, released once a report arrived (on it or on a new one). */
    private void requestCommitment(int port, String transactionUid, DimseHandler receiver, BlockingQueue<Integer> reports,
                                   String... classAndInstance) throws Exception {
        AAssociateRq rq = AAssociateRq.builder("MOSAIC", "TSHARK_SCU")
                .presentationContext(UID.StorageCommitmentPushModel).build();
        int before = reports.size();
        try (Association association = client.connect("127.0.0.1", port, rq,
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            DimseResponse rsp = association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                    CommitmentFixture.request(transactionUid, List.of(classAndInstance)));
            assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (reports.size() == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            association.release();
        }
    }

    private JsonNode runDcmjsDimse(ObjectNode spec, String name) throws IOException {
        Path node = Tools.require("node");
        Path work = NodeProject.install(TestEnvironment.repoRoot().resolve("bundles/service-commitment/src/test/node"),
                Path.of("target", "dcmjs-commitment").toAbsolutePath(),
                List.of("package.json", "package-lock.json", "commitment-scu.js"), false);
        Path specFile = work.resolve(name + "-spec.json");
        Path resultFile = work.resolve(name + "-result.json");
        json.writeValue(specFile.toFile(), spec);
        Files.deleteIfExists(resultFile);
        Tools.Result run = Tools.run(Duration.ofSeconds(60), List.of(node.toString(), "commitment-scu.js",
                specFile.toString(), resultFile.toString()), work, Map.of()).assertSuccess();
        Files.writeString(work.resolve(name + "-dcmjs-dimse.log"), run.out() + run.err());
        JsonNode result = json.readTree(resultFile.toFile());
        System.out.println("dcmjs-dimse (" + name + " association): " + result);
        return result;
    }

    private static ObjectNode spec(int port, int listenPort) {
        ObjectNode spec = new ObjectMapper().createObjectNode();
        spec.put("host", "127.0.0.1").put("port", port).put("calledAe", "MOSAIC").put("callingAe", REQUESTER)
                .put("listenPort", listenPort);
        return spec;
    }

    private static void transaction(ObjectNode association, String transactionUid, String... classAndInstance) {
        ObjectNode transaction = association.withArray("transactions").addObject().put("transactionUid", transactionUid);
        ArrayNode references = transaction.putArray("references");
        for (int i = 0; i < classAndInstance.length; i += 2) {
            references.addArray().add(classAndInstance[i]).add(classAndInstance[i + 1]);
        }
    }

    private static void assertActionsSucceeded(JsonNode result, String... transactionUids) {
        assertThat(result.get("actions")).as(result.toString()).hasSize(transactionUids.length);
        for (int i = 0; i < transactionUids.length; i++) {
            JsonNode action = result.get("actions").get(i);
            assertThat(action.get("transactionUid").asText()).isEqualTo(transactionUids[i]);
            assertThat(action.get("status").asInt()).as(action.toString()).isEqualTo(Status.SUCCESS);
        }
    }

    private static JsonNode report(JsonNode result, String transactionUid) {
        List<JsonNode> found = new ArrayList<>();
        result.get("reports").forEach(r -> {
            if (transactionUid.equals(r.path("dataset").path("TransactionUID").asText())) {
                found.add(r);
            }
        });
        assertThat(found).as("one N-EVENT-REPORT for " + transactionUid + " in " + result).hasSize(1);
        return found.get(0);
    }

    private static void assertEventReport(JsonNode report, int eventTypeId) {
        assertThat(report.get("eventTypeId").asInt()).as(report.toString()).isEqualTo(eventTypeId);
        assertThat(report.get("affectedSopClassUid").asText()).isEqualTo(UID.StorageCommitmentPushModel);
        assertThat(report.get("affectedSopInstanceUid").asText()).isEqualTo(UID.StorageCommitmentPushModelInstance);
        assertThat(report.get("dataset").get("RetrieveAETitle").asText()).isEqualTo("MOSAIC");
    }

    private static List<String> references(JsonNode sequence) {
        List<String> refs = new ArrayList<>();
        sequence.forEach(item -> refs.add(item.get("ReferencedSOPClassUID").asText() + " "
                + item.get("ReferencedSOPInstanceUID").asText()));
        return refs;
    }

    private static String tshark(Path tshark, Path capture, List<String> decodeAs, String... args) {
        List<String> command = new ArrayList<>(List.of(tshark.toString(), "-r", capture.toString()));
        command.addAll(decodeAs);
        command.addAll(List.of(args));
        return Tools.run(Duration.ofSeconds(60), command).assertSuccess().out();
    }

    private static void awaitReleased(DicomServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.activeAssociations() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
