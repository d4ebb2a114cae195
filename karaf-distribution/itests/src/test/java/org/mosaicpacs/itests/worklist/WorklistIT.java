package org.mosaicpacs.itests.worklist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The feature {@code mosaic-worklist} in the real distribution: an item POSTed to
 * {@code /api/worklist} is seen at once by DCMTK's {@code findscu -W} on the DICOM port (sequence
 * matching on the station AE title), a DELETE removes it from the next answer, and the shell
 * commands schedule, list and remove items on the same store. On the shared server: installing
 * the feature at run time (a no-op when {@code mosaic} includes it) only adds a store, a DIMSE
 * handler and a REST resource.
 */
@ExtendWith(SharedMosaicServer.class)
class WorklistIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(1);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String ITEM = """
            {"00080050": {"vr": "SH", "Value": ["WLIT-ACC-1"]},
             "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Worklist^Ivy"}]},
             "00100020": {"vr": "LO", "Value": ["WLIT-PID-1"]},
             "00400100": {"vr": "SQ", "Value": [{
                 "00080060": {"vr": "CS", "Value": ["CT"]},
                 "00400001": {"vr": "AE", "Value": ["WLIT_CT"]},
                 "00400002": {"vr": "DA", "Value": ["20261224"]},
                 "00400003": {"vr": "TM", "Value": ["101500"]}}]}}
            """;

    @Test
    void restItemIsSeenByFindscuAtOnceAndGoneAfterDelete(MosaicServer server) throws Exception {
        server.shell("feature:install mosaic-worklist");
        awaitResource(server);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(server.http("/api/worklist"))
                .header("Content-Type", "application/dicom+json").POST(HttpRequest.BodyPublishers.ofString(ITEM)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = MAPPER.readTree(created.body()).get("id").asText();
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/worklist/" + id));

        String found = findscu(server, "WLIT_CT");
        assertThat(found).contains("Received Final Find Response (Success)").contains("WLIT-PID-1")
                .contains("Worklist^Ivy").contains("WLIT-ACC-1");
        assertThat(pending(found)).isEqualTo(1);
        assertThat(pending(findscu(server, "OTHER_AE"))).isZero();

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(server.http("/api/worklist/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        String after = findscu(server, "WLIT_CT");
        assertThat(after).contains("Received Final Find Response (Success)").doesNotContain("WLIT-PID-1");
        assertThat(pending(after)).isZero();
        assertThat(server.get("/api/worklist/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void shellCommandsScheduleListAndRemove(MosaicServer server) throws Exception {
        server.shell("feature:install mosaic-worklist");
        awaitResource(server);
        String added = server.shell("mosaic:worklist-add --patient-id WLIT-PID-2 --patient-name Shell^Sam --modality MR"
                + " --station WLIT_MR --date 20261225 --time 0800");
        assertThat(added).contains("Worklist item ");
        String id = added.substring(added.indexOf("Worklist item ") + 14, added.indexOf(':', added.indexOf("Worklist item ")));
        assertThat(server.shell("mosaic:worklist-list --station WLIT_MR")).contains(id).contains("WLIT-PID-2")
                .contains("20261225 0800").contains("1 item");
        assertThat(pending(findscu(server, "WLIT_MR"))).isEqualTo(1);
        JsonNode item = MAPPER.readTree(server.get("/api/worklist/" + id).body());
        assertThat(item.at("/dataset/00400100/Value/0/00400020/Value/0").asText()).isEqualTo("SCHEDULED");
        assertThat(server.shell("mosaic:worklist-remove " + id)).contains("Removed worklist item " + id);
        assertThat(pending(findscu(server, "WLIT_MR"))).isZero();
    }

    /** findscu -W for the steps of one station, asking for the usual return keys. */
    private static String findscu(MosaicServer server, String station) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("findscu").toString(), "-v", "-W", "-aet", "WLIT",
                "-aec", "MOSAIC", "-k", "PatientName", "-k", "PatientID", "-k", "AccessionNumber",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledStationAETitle=" + station,
                "-k", "ScheduledProcedureStepSequence[0].Modality",
                "-k", "ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate",
                "127.0.0.1", Integer.toString(server.dicomPort())));
        Tools.Result r = Tools.run(TOOL_TIMEOUT, cmd);
        return r.out() + r.err();
    }

    private static long pending(String findscuOutput) {
        return findscuOutput.lines().filter(l -> l.contains("Find Response") && l.contains("(Pending)")).count();
    }

    private static void awaitResource(MosaicServer server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            status = server.get("/api/worklist").statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("/api/worklist answered " + status + " instead of 200 within 60 s");
    }
}
