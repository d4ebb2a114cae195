package org.mosaicpacs.service.worklist.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.api.worklist.WorklistEvents;
import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.testing.TestDatabase;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.zaxxer.hikari.HikariDataSource;

/** The store on both databases it runs on: round trips, identifiers, status, events, refusals, search. */
class JdbcWorklistStoreTest {

    /** Collects what the store posts. */
    static final class RecordingEventAdmin implements EventAdmin {
        final List<Event> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void postEvent(Event event) {
            events.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            events.add(event);
        }

        List<String> topics() {
            return events.stream().map(Event::getTopic).toList();
        }
    }

    private static final Map<TestDatabase, HikariDataSource> DATABASES = new EnumMap<>(TestDatabase.class);

    /** One database of each kind for the class (creating one costs seconds), emptied for each test. */
    private static synchronized HikariDataSource empty(TestDatabase db) throws SQLException {
        HikariDataSource ds = DATABASES.computeIfAbsent(db, d -> d.create("worklist_store"));
        JdbcWorklistStore.SCHEMA.migrate(ds);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM mwl_item");
        }
        return ds;
    }

    @AfterAll
    static void closeDatabases() {
        DATABASES.values().forEach(HikariDataSource::close);
    }

    private static DataSet step(DataSet item) {
        return item.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void createReadUpdateDelete(TestDatabase db) throws Exception {
        {
            HikariDataSource ds = empty(db);
            JdbcWorklistStore store = new JdbcWorklistStore(ds);
            RecordingEventAdmin events = new RecordingEventAdmin();
            store.eventAdmin = events;

            DataSet korean = WorklistFixtures.items().get(0);
            WorklistItem created = store.create(korean);
            assertThat(created.id()).isNotBlank();
            WorklistItem read = store.get(created.id()).orElseThrow();
            assertThat(read.attributes().getString(Tag.PatientName)).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동");
            assertThat(read.attributes().contains(Tag.SpecificCharacterSet)).isFalse();
            assertThat(step(read.attributes()).getString(Tag.ScheduledProcedureStepStatus)).isEqualTo("SCHEDULED");
            assertThat(read.updated()).isEqualTo(created.updated());

            DataSet changed = read.attributes().deepCopy();
            step(changed).setString(Tag.Modality, VR.CS, "MR");
            WorklistItem updated = store.update(created.id(), changed);
            assertThat(step(store.get(created.id()).orElseThrow().attributes()).getString(Tag.Modality)).isEqualTo("MR");
            assertThat(updated.updated()).isAfterOrEqualTo(created.updated());

            assertThat(store.delete(created.id())).isTrue();
            assertThat(store.delete(created.id())).isFalse();
            assertThat(store.get(created.id())).isEmpty();
            assertThatThrownBy(() -> store.update(created.id(), changed)).isInstanceOf(WorklistException.class)
                    .hasMessageContaining("no worklist item");
            assertThat(events.topics()).containsExactly(WorklistEvents.ITEM_CREATED, WorklistEvents.ITEM_UPDATED,
                    WorklistEvents.ITEM_DELETED);
            assertThat(events.events).allMatch(e -> created.id().equals(e.getProperty(WorklistEvents.PROPERTY_ITEM_ID)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void assignsIdentifiersAndFindsByStep(TestDatabase db) throws Exception {
        {
            HikariDataSource ds = empty(db);
            JdbcWorklistStore store = new JdbcWorklistStore(ds);
            DataSet bare = new DataSet();
            bare.setString(Tag.PatientName, VR.PN, "BARE^ITEM");
            bare.setString(Tag.AccessionNumber, VR.SH, "A-1");
            step(withStep(bare)).setString(Tag.Modality, VR.CS, "CT");
            WorklistItem item = store.create(bare);
            DataSet attrs = item.attributes();
            String study = attrs.getString(Tag.StudyInstanceUID);
            String rp = attrs.getString(Tag.RequestedProcedureID);
            String sps = step(attrs).getString(Tag.ScheduledProcedureStepID);
            assertThat(study).startsWith("2.25.");
            assertThat(rp).startsWith("RP").hasSizeLessThanOrEqualTo(16);
            assertThat(sps).startsWith("SPS").hasSizeLessThanOrEqualTo(16);
            store.create(WorklistFixtures.items().get(2));

            assertThat(store.findByStep(study, null, null, null)).extracting(WorklistItem::id).containsExactly(item.id());
            assertThat(store.findByStep(null, "A-1", rp, sps)).extracting(WorklistItem::id).containsExactly(item.id());
            assertThat(store.findByStep(study, "other", null, null)).isEmpty();
            assertThat(store.findByStep(null, null, null, null)).isEmpty();
        }
    }

    private static DataSet withStep(DataSet item) {
        item.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        return item;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void stepStatusChangesOneAtATime(TestDatabase db) throws Exception {
        {
            HikariDataSource ds = empty(db);
            JdbcWorklistStore store = new JdbcWorklistStore(ds);
            RecordingEventAdmin events = new RecordingEventAdmin();
            store.eventAdmin = events;
            WorklistItem item = store.create(WorklistFixtures.items().get(3));
            WorklistItem started = store.setStepStatus(item.id(), "STARTED");
            assertThat(step(started.attributes()).getString(Tag.ScheduledProcedureStepStatus)).isEqualTo("STARTED");
            assertThat(step(store.get(item.id()).orElseThrow().attributes())
                    .getString(Tag.ScheduledProcedureStepStatus)).isEqualTo("STARTED");
            // the other attributes are kept
            assertThat(store.get(item.id()).orElseThrow().attributes().getString(Tag.PatientName)).isEqualTo("DOE^JANE");

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<WorklistItem>> changes = new ArrayList<>();
                for (String s : List.of("ARRIVED", "READY", "COMPLETED", "DISCONTINUED")) {
                    changes.add(pool.submit(() -> store.setStepStatus(item.id(), s)));
                }
                for (Future<WorklistItem> f : changes) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(events.topics()).hasSize(6).containsOnly(WorklistEvents.ITEM_CREATED, WorklistEvents.ITEM_UPDATED);

            assertThatThrownBy(() -> store.setStepStatus(item.id(), "started")).isInstanceOf(WorklistException.class)
                    .hasMessageContaining("upper-case");
            assertThatThrownBy(() -> store.setStepStatus("no-such-id", "STARTED")).isInstanceOf(WorklistException.class)
                    .hasMessageContaining("no worklist item");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void refusesItemsItCannotKeep(TestDatabase db) throws Exception {
        {
            HikariDataSource ds = empty(db);
            JdbcWorklistStore store = new JdbcWorklistStore(ds);
            DataSet noStep = new DataSet();
            noStep.setString(Tag.PatientName, VR.PN, "NO^STEP");
            assertThatThrownBy(() -> store.create(noStep)).isInstanceOf(WorklistException.class)
                    .hasMessageContaining("exactly one Scheduled Procedure Step Sequence (0040,0100) item, this one has 0");
            DataSet twoSteps = WorklistFixtures.items().get(4);
            twoSteps.getSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
            assertThatThrownBy(() -> store.create(twoSteps)).hasMessageContaining("this one has 2");
            DataSet badDate = WorklistFixtures.items().get(4);
            step(badDate).setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "2026-12-01");
            assertThatThrownBy(() -> store.create(badDate)).hasMessageContaining("ScheduledProcedureStepStartDate")
                    .hasMessageContaining("YYYYMMDD");
            DataSet badTime = WorklistFixtures.items().get(4);
            step(badTime).setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "25:00");
            assertThatThrownBy(() -> store.create(badTime)).hasMessageContaining("Start Time");
            DataSet longId = WorklistFixtures.items().get(4);
            longId.setString(Tag.PatientID, VR.LO, "X".repeat(65));
            assertThatThrownBy(() -> store.create(longId)).hasMessageContaining("PatientID").hasMessageContaining("65");
            assertThat(store.findByStep(null, "ACC005", null, null)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void searchNarrowsInSqlAndMatchesInJava(TestDatabase db) throws Exception {
        {
            HikariDataSource ds = empty(db);
            JdbcWorklistStore store = new JdbcWorklistStore(ds);
            for (DataSet item : WorklistFixtures.items()) {
                store.create(item);
            }
            WorklistMatcher matcher = new WorklistMatcher(true);
            DataSet keys = new DataSet();
            keys.setString(Tag.PatientName, VR.PN, "doe*");
            DataSet step = keys.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
            step.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261202-");
            List<String> names = new ArrayList<>();
            JdbcWorklistStore.SearchEnd end = store.search(keys, matcher, 0, 0,
                    m -> names.add(m.attributes().getString(Tag.PatientName)));
            assertThat(end).isEqualTo(JdbcWorklistStore.SearchEnd.COMPLETE);
            // in order of scheduled start
            assertThat(names).containsExactly("DOE^JOHN", "DOE^JANE", "DOERING^PETER");

            names.clear();
            assertThat(store.search(keys, matcher, 1, 1, m -> names.add(m.attributes().getString(Tag.PatientName))))
                    .isEqualTo(JdbcWorklistStore.SearchEnd.LIMIT_REACHED);
            assertThat(names).containsExactly("DOE^JANE");
            assertThat(store.search(keys, matcher, 0, 0, m -> false)).isEqualTo(JdbcWorklistStore.SearchEnd.STOPPED);

            // a step scheduled on two stations is found by either; the status is a key like any other
            DataSet twoStations = WorklistFixtures.item(10, "TWO^STATIONS", "19990101", "O", "DX", "DX1", "20261210",
                    "1000", "GREEN^PAUL");
            step(twoStations).setString(Tag.ScheduledStationAETitle, VR.AE, "DX1", "DX2");
            String twoId = store.create(twoStations).id();
            store.setStepStatus(twoId, "ARRIVED");
            for (String station : List.of("DX1", "DX2", "DX?")) {
                DataSet byStation = new DataSet();
                DataSet s = byStation.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
                s.setString(Tag.ScheduledStationAETitle, VR.AE, station);
                s.setString(Tag.ScheduledProcedureStepStatus, VR.CS, "ARRIVED");
                assertThat(store.find(byStation, 0, 10)).as(station).extracting(WorklistItem::id).containsExactly(twoId);
            }

            DataSet like = new DataSet();
            like.setString(Tag.PatientID, VR.LO, "PID_0%"); // SQL's own wild cards are literal characters
            assertThat(store.search(like, matcher, 0, 0, m -> true)).isEqualTo(JdbcWorklistStore.SearchEnd.COMPLETE);
            List<String> none = new ArrayList<>();
            store.search(like, matcher, 0, 0, m -> none.add(m.id()));
            assertThat(none).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void schemaMigratesOnce(TestDatabase db) throws Exception {
        {
            HikariDataSource ds = empty(db);
            assertThat(JdbcWorklistStore.SCHEMA.migrate(ds)).isEqualTo(1);
            assertThat(JdbcWorklistStore.SCHEMA.migrate(ds)).isEqualTo(1);
            new JdbcWorklistStore(ds).create(WorklistFixtures.items().get(5));
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 var rs = st.executeQuery("SELECT COUNT(*) FROM mwl_schema_version")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
