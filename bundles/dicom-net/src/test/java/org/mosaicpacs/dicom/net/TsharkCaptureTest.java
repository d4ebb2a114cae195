package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.internal.PduCodec;
import org.mosaicpacs.testing.Tools;

/**
 * Wireshark's DICOM dissector as an independent judge of our wire format: our SCU talks to our
 * acceptor through every PDU type and every DIMSE message the suite uses, captured on loopback;
 * the capture must show each of them and no malformed packet or expert warning or error.
 */
class TsharkCaptureTest {

    @Test
    void dissectorFindsNoFault() throws Exception {
        Path tshark = Tools.require("tshark");
        Path dir = Files.createDirectories(Path.of("target", "tshark").toAbsolutePath());
        Path capture = dir.resolve("dimse.pcapng");
        Files.deleteIfExists(capture);
        DimseServicesTest.start();
        int port = DimseServicesTest.server.port();
        int destination = DimseServicesTest.destination.port();
        Process tsharkProcess = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f",
                "tcp port " + port + " or tcp port " + destination, "-w", capture.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("capture.log").toFile()).start();
        try {
            awaitCapturing(dir.resolve("capture.log"), tsharkProcess);
            DimseServicesTest scenarios = new DimseServicesTest();
            scenarios.findStreamsMatchesUntilCancelled();
            scenarios.moveOpensAnAssociationToTheDestination();
            scenarios.getSendsStoresOnTheSameAssociation();
            scenarios.normalizedServicesAndAnEventReportAfterTheAction();
            scenarios.asynchronousOperationsRunConcurrently();
            try (DicomClient client = DicomClient.builder().build()) {
                // A-ASSOCIATE-RJ
                try {
                    client.connect("127.0.0.1", port, AAssociateRq.builder("NOBODY", "TSHARK")
                            .presentationContext(UID.Verification).build()).close();
                } catch (AssociationRejectedException expected) {
                    // wanted
                }
                // C-ECHO, C-STORE, then A-ABORT
                try (Association as = client.connect("127.0.0.1", port, TestHandlers.rq()
                        .presentationContext(UID.Verification).presentationContext(UID.MRImageStorage).build())) {
                    as.echo();
                    as.store(org.mosaicpacs.testing.TestData.realFilesDir().resolve("test_files/MR_small.dcm"));
                    as.abort();
                }
            }
            Thread.sleep(500);
        } finally {
            tsharkProcess.destroy();
            tsharkProcess.waitFor(20, TimeUnit.SECONDS);
            DimseServicesTest.stop();
        }
        List<String> decode = List.of(tshark.toString(), "-r", capture.toString(), "-d", "tcp.port==" + port + ",dicom",
                "-d", "tcp.port==" + destination + ",dicom");
        Tools.Result malformed = Tools.run(Duration.ofMinutes(2), concat(decode, "-Y", "_ws.malformed", "-V")).assertSuccess();
        assertThat(malformed.out()).as("frames the DICOM dissector finds malformed").isBlank();
        // The dissector reports a reject and an abort as expert warnings by design: those two
        // events, which this scenario provokes, are the only warnings or errors allowed.
        Tools.Result expert = Tools.run(Duration.ofMinutes(2), concat(decode, "-Y",
                "dicom && _ws.expert.severity >= 0x00600000", "-T", "fields", "-e", "frame.number",
                "-e", "_ws.expert.message")).assertSuccess();
        List<String> warnings = expert.out().lines().map(l -> l.substring(l.indexOf('\t') + 1)).toList();
        assertThat(warnings).as(expert.out()).containsExactlyInAnyOrder("Association rejected", "Association aborted");

        Tools.Result pduTypes = Tools.run(Duration.ofMinutes(2), concat(decode, "-Y", "dicom", "-T", "fields",
                "-e", "dicom.pdu.type")).assertSuccess();
        Set<Integer> seen = new TreeSet<>();
        for (String line : pduTypes.out().split("\\R")) {
            for (String v : line.split(",")) {
                if (!v.isBlank()) {
                    seen.add(Integer.decode(v.strip()));
                }
            }
        }
        assertThat(seen).containsExactly(PduCodec.A_ASSOCIATE_RQ, PduCodec.A_ASSOCIATE_AC, PduCodec.A_ASSOCIATE_RJ,
                PduCodec.P_DATA_TF, PduCodec.A_RELEASE_RQ, PduCodec.A_RELEASE_RP, PduCodec.A_ABORT);

        Tools.Result commands = Tools.run(Duration.ofMinutes(2), concat(decode, "-Y", "dicom", "-V")).assertSuccess();
        for (String message : List.of("C-ECHO-RQ", "C-ECHO-RSP", "C-STORE-RQ", "C-STORE-RSP", "C-FIND-RQ", "C-FIND-RSP",
                "C-CANCEL-RQ", "C-MOVE-RQ", "C-MOVE-RSP", "C-GET-RQ", "C-GET-RSP", "N-CREATE-RQ", "N-CREATE-RSP",
                "N-SET-RQ", "N-SET-RSP", "N-GET-RQ", "N-GET-RSP", "N-ACTION-RQ", "N-ACTION-RSP", "N-EVENT-REPORT-RQ",
                "N-EVENT-REPORT-RSP", "N-DELETE-RQ", "N-DELETE-RSP")) {
            assertThat(commands.out()).as("the capture holds a " + message).contains(message);
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all;
    }

    private static void awaitCapturing(Path log, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Capturing on")) {
                Thread.sleep(300);
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("tshark ended: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("tshark did not start capturing: " + Files.readString(log));
    }
}
