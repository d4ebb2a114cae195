package org.mosaicpacs.service.mpps.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.testing.TestDatabase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;

/** {@code /api/mpps}, the resource class called directly on steps stored in Derby. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MppsResourceTest {

    private static final String UID = "1.2.826.0.1.3680043.10.543.10.";

    private HikariDataSource dataSource;
    private MppsResource resource;
    private final FakeWorklist worklist = new FakeWorklist();
    private String item;
    private ArchiveIndex archive;

    @BeforeAll
    void storeSteps() throws Exception {
        dataSource = TestDatabase.DERBY.create("mpps_rest");
        MppsRepository repository = new MppsRepository(dataSource);
        MppsManager manager = new MppsManager(repository, new MppsAttributeRules(false), new WorklistLinks(() -> worklist),
                null, Clock.systemUTC());
        item = worklist.schedule("SPS-R1");
        manager.create(UID + 1, MppsTestData.create("SPS-R1", "CT1"), "CT1");
        manager.set(UID + 1, MppsTestData.finish("COMPLETED", MppsTestData.SERIES_UID));
        DataSet other = MppsTestData.create("SPS-R2", "MR1");
        other.setString(Tag.PerformedProcedureStepStartDate, VR.DA, "20260305");
        other.getNestedDataSet(Tag.ScheduledStepAttributesSequence).setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4.5");
        manager.create(UID + 2, other, "MR1");
        manager.create(UID + 3, MppsTestData.create("SPS-R3", "CT1"), "CT1");
        manager.set(UID + 3, MppsTestData.finish("DISCONTINUED", "1.2.3.6"));
        resource = new MppsResource(repository, () -> archive);
    }

    @AfterAll
    void close() {
        dataSource.close();
    }

    private static JsonNode body(Response response, int status) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType().toString()).startsWith("application/json");
        return new ObjectMapper().readTree((String) response.getEntity());
    }

    private List<String> uids(String status, String from, String to, String study, String station, String limit,
                              String offset) throws Exception {
        JsonNode body = body(resource.list(status, from, to, study, station, limit, offset), 200);
        List<String> uids = new ArrayList<>();
        body.get("items").forEach(i -> uids.add(i.get("sopInstanceUid").asText()));
        return uids;
    }

    @Test
    void listsNewestFirstWithFilters() throws Exception {
        assertThat(uids(null, null, null, null, null, "100", "0")).containsExactly(UID + 3, UID + 2, UID + 1);
        assertThat(uids("COMPLETED", null, null, null, null, "100", "0")).containsExactly(UID + 1);
        assertThat(uids("in_progress", null, null, null, null, "100", "0")).containsExactly(UID + 2);
        assertThat(uids("DISCONTINUED", null, null, null, null, "100", "0")).containsExactly(UID + 3);
        assertThat(uids(null, "2026-03-02", null, null, null, "100", "0")).containsExactly(UID + 2);
        assertThat(uids(null, null, "20260301", null, null, "100", "0")).containsExactly(UID + 3, UID + 1);
        assertThat(uids(null, null, null, MppsTestData.STUDY_UID, null, "100", "0")).containsExactly(UID + 3, UID + 1);
        assertThat(uids(null, null, null, null, "MR1", "100", "0")).containsExactly(UID + 2);
        assertThat(uids(null, null, null, null, null, "1", "1")).containsExactly(UID + 2);
    }

    @Test
    void listItemsCarryStatusAndLinks() throws Exception {
        JsonNode items = body(resource.list("COMPLETED", null, null, null, null, "100", "0"), 200).get("items");
        JsonNode step = items.get(0);
        assertThat(step.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(step.get("performedStationAeTitle").asText()).isEqualTo("CT1");
        assertThat(step.get("modality").asText()).isEqualTo("CT");
        assertThat(step.get("startDate").asText()).isEqualTo("20260301");
        assertThat(step.get("endTime").asText()).isEqualTo("103000");
        assertThat(step.get("seriesInstanceUids").get(0).asText()).isEqualTo(MppsTestData.SERIES_UID);
        assertThat(step.get("studyInstanceUids").get(0).asText()).isEqualTo(MppsTestData.STUDY_UID);
        assertThat(step.get("worklistItemIds").get(0).asText()).isEqualTo(item);
        assertThat(step.has("dataset")).as("the list leaves the data sets out").isFalse();
    }

    @Test
    void oneStepWithItsDicomJsonDataSet() throws Exception {
        JsonNode step = body(resource.get(UID + 1), 200);
        assertThat(step.get("sopInstanceUid").asText()).isEqualTo(UID + 1);
        assertThat(step.get("status").asText()).isEqualTo("COMPLETED");
        JsonNode ds = step.get("dataset");
        assertThat(ds.get("00400252").get("vr").asText()).isEqualTo("CS");
        assertThat(ds.get("00400252").get("Value").get(0).asText()).isEqualTo("COMPLETED");
        assertThat(ds.get("00100010").get("Value").get(0).get("Alphabetic").asText()).isEqualTo("Müller^Jürgen");
        assertThat(ds.get("00400340").get("Value").get(0).get("0020000E").get("Value").get(0).asText())
                .isEqualTo(MppsTestData.SERIES_UID);
    }

    @Test
    void theDetailSaysHowManyListedInstancesTheArchiveHolds() throws Exception {
        archive = null;
        JsonNode series = body(resource.get(UID + 1), 200).get("series");
        assertThat(series).hasSize(1);
        assertThat(series.get(0).get("seriesInstanceUid").asText()).isEqualTo(MppsTestData.SERIES_UID);
        assertThat(series.get(0).get("referencedInstances").asInt()).isEqualTo(1);
        assertThat(series.get(0).has("archivedInstances")).as("no archive index to ask").isFalse();

        InstanceRecord held = new InstanceRecord(MppsTestData.STUDY_UID, MppsTestData.SERIES_UID, MppsTestData.SERIES_UID + ".1",
                "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1", "fs", "key", 1, "SHA-256", "00", Instant.now());
        archive = new ArchiveIndex() {
            @Override
            public List<InstanceRecord> findInstances(String study, String seriesUid) {
                return study.equals(held.studyInstanceUid()) && seriesUid.equals(held.seriesInstanceUid())
                        ? List.of(held) : List.of();
            }

            @Override
            public Optional<InstanceRecord> findInstance(String sopInstanceUid) {
                throw new UnsupportedOperationException();
            }

            @Override
            public RecordOutcome record(DataSet header, StoredObject object, String ts, Instant received, boolean replace) {
                throw new UnsupportedOperationException();
            }

            @Override
            public QueryResults query(IndexQuery query) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<InstanceRecord> removeInstance(String sopInstanceUid) {
                throw new UnsupportedOperationException();
            }
        };
        assertThat(body(resource.get(UID + 1), 200).get("series").get(0).get("archivedInstances").asInt()).isEqualTo(1);
        assertThat(body(resource.get(UID + 3), 200).get("series").get(0).get("archivedInstances").asInt()).isZero();
    }

    @Test
    void unknownStepIs404AndBadFiltersAre400() throws Exception {
        assertThat(body(resource.get("1.2.3.999"), 404).get("error").asText()).contains("1.2.3.999");
        assertThat(body(resource.list("DONE", null, null, null, null, "100", "0"), 400).get("error").asText())
                .contains("status");
        assertThat(body(resource.list(null, "yesterday", null, null, null, "100", "0"), 400).get("error").asText())
                .contains("from");
        assertThat(body(resource.list(null, null, null, null, null, "0", "0"), 400).get("error").asText()).contains("limit");
        assertThat(body(resource.list(null, null, null, null, null, "10", "-1"), 400).get("error").asText())
                .contains("offset");
        assertThat(body(resource.list(null, null, null, null, null, "ten", "0"), 400).get("error").asText())
                .contains("limit");
    }
}
