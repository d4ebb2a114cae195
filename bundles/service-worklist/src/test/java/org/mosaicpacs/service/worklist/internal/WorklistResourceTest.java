package org.mosaicpacs.service.worklist.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.api.worklist.WorklistEvents;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.testing.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;

/**
 * {@code /api/worklist} over HTTP, in CXF (the JAX-RS implementation Aries runs in Karaf) on
 * Jetty, on the store on Derby: create, read (both representations), update, delete, list with
 * each filter, paging, and the 400/404/415 answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorklistResourceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HikariDataSource dataSource;
    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JdbcWorklistStoreTest.RecordingEventAdmin events = new JdbcWorklistStoreTest.RecordingEventAdmin();

    @BeforeAll
    void start() throws Exception {
        dataSource = TestDatabase.DERBY.create("rest");
        JdbcWorklistStore store = new JdbcWorklistStore(dataSource);
        store.eventAdmin = events;
        for (DataSet item : WorklistFixtures.items()) {
            store.create(item);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setAddress("http://127.0.0.1:" + port + "/api");
        factory.setServiceBean(new WorklistResource(store));
        server = factory.create();
        base = "http://127.0.0.1:" + port + "/api/worklist";
    }

    @AfterAll
    void stop() {
        server.destroy();
        dataSource.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder rq) throws Exception {
        return http.send(rq.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String query) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + query)).header("Accept", "application/json"));
    }

    private static String newItemJson() {
        DataSet item = new DataSet();
        item.setString(Tag.PatientName, VR.PN, "Park^Jisung=朴^智星=박^지성");
        item.setString(Tag.PatientID, VR.LO, "REST001");
        item.setString(Tag.AccessionNumber, VR.SH, "RESTACC1");
        DataSet step = item.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        step.setString(Tag.Modality, VR.CS, "DX");
        step.setString(Tag.ScheduledStationAETitle, VR.AE, "DX1");
        step.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261215");
        step.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "0930");
        return DicomJsonWriter.toJson(item);
    }

    private static List<String> patientIds(HttpResponse<String> list) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode item : MAPPER.readTree(list.body())) {
            ids.add(item.at("/dataset/00100020/Value/0").asText());
        }
        return ids;
    }

    @Test
    void createReadUpdateDelete() throws Exception {
        HttpResponse<String> created = post("application/dicom+json", newItemJson());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode item = MAPPER.readTree(created.body());
        String id = item.get("id").asText();
        assertThat(created.headers().firstValue("Location")).contains(base + "/" + id);
        assertThat(item.at("/dataset/00400100/Value/0/00400009/Value/0").asText()).startsWith("SPS");
        assertThat(item.at("/dataset/00400100/Value/0/00400020/Value/0").asText()).isEqualTo("SCHEDULED");

        HttpResponse<String> read = get("/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(read.body()).at("/dataset/00100010/Value/0/Phonetic").asText()).isEqualTo("박^지성");
        HttpResponse<String> bare = send(HttpRequest.newBuilder(URI.create(base + "/" + id))
                .header("Accept", "application/dicom+json"));
        assertThat(bare.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/dicom+json"));
        assertThat(MAPPER.readTree(bare.body()).at("/00100010/Value/0/Ideographic").asText()).isEqualTo("朴^智星");

        String changed = MAPPER.readTree(read.body()).get("dataset").toString().replace("\"DX\"", "\"CR\"");
        HttpResponse<String> updated = send(HttpRequest.newBuilder(URI.create(base + "/" + id))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(changed)));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(patientIds(get("?modality=CR&patientId=REST001"))).containsExactly("REST001");

        HttpResponse<String> deleted = send(HttpRequest.newBuilder(URI.create(base + "/" + id)).DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/" + id)).DELETE()).statusCode()).isEqualTo(404);
        HttpResponse<String> gone = get("/" + id);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(gone.body()).get("error").asText()).contains("no worklist item " + id);
        assertThat(events.events).filteredOn(e -> id.equals(e.getProperty(WorklistEvents.PROPERTY_ITEM_ID)))
                .extracting(e -> e.getTopic()).containsExactly(WorklistEvents.ITEM_CREATED, WorklistEvents.ITEM_UPDATED,
                        WorklistEvents.ITEM_DELETED);
    }

    @Test
    void listFilters() throws Exception {
        assertThat(patientIds(get(""))).hasSize(9);
        assertThat(patientIds(get("?patientId=PID003"))).containsExactly("PID003");
        assertThat(patientIds(get("?patientName=doe*"))).containsExactly("PID003", "PID004", "PID005");
        assertThat(patientIds(get("?accessionNumber=ACC00?&modality=MR"))).containsExactly("PID002", "PID004");
        assertThat(patientIds(get("?stationAeTitle=CT1"))).containsExactly("PID001", "PID003", "PID009");
        assertThat(patientIds(get("?date=20261201-20261202"))).containsExactly("PID001", "PID002", "PID003", "PID009",
                "PID004");
        assertThat(patientIds(get("?date=20261203-"))).containsExactly("PID005", "PID007", "PID008");
        assertThat(patientIds(get("?status=SCHEDULED&studyInstanceUid=1.2.826.0.1.3680043.10.1234.8")))
                .containsExactly("PID008");
        assertThat(patientIds(get("?limit=2&offset=1"))).containsExactly("PID001", "PID002");
        assertThat(patientIds(get("?status=COMPLETED"))).isEmpty();
    }

    @Test
    void badRequestsSayWhatIsWrong() throws Exception {
        assertBad(post("application/json", "not json"), 400, "not a DICOM JSON data set");
        assertBad(post("application/json", "{\"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"NO^STEP\"}]}}"),
                400, "exactly one Scheduled Procedure Step Sequence");
        assertBad(post("application/json", "[" + newItemJson() + "," + newItemJson() + "]"), 400, "more than one data set");
        assertBad(post("application/json", ""), 400, "DICOM JSON");
        assertThat(post("text/plain", newItemJson()).statusCode()).isEqualTo(415);
        assertBad(get("?date=2026-12"), 400, "date is a DICOM date");
        assertBad(get("?limit=0"), 400, "limit is 1 to 1000");
        assertBad(get("?patientId=A%5CB"), 400, "no backslash");
        assertBad(send(HttpRequest.newBuilder(URI.create(base + "/no-such-item")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(newItemJson()))), 404, "no worklist item no-such-item");
    }

    private static void assertBad(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(MAPPER.readTree(response.body()).get("error").asText()).contains(message);
    }
}
