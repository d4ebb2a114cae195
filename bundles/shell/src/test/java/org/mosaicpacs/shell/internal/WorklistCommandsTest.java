package org.mosaicpacs.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.karaf.shell.api.action.Action;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * The worklist commands on an in-memory store: what add hands to the store (file and options), how
 * list prints, what list asks the store for, and remove's answer for unknown ids. (The matching
 * itself is the store's, tested in service-worklist.)
 */
class WorklistCommandsTest {

    /** Keeps items in a map; find returns them all and remembers the keys it was given. */
    static final class MemoryStore implements WorklistStore {
        final Map<String, WorklistItem> items = new ConcurrentHashMap<>();
        DataSet lastKeys;

        @Override
        public WorklistItem create(DataSet attributes) {
            DataSet ds = attributes.deepCopy();
            ds.setString(Tag.RequestedProcedureID, VR.SH, "RP1");
            ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
            ds.getSequence(Tag.ScheduledProcedureStepSequence).get(0).setString(Tag.ScheduledProcedureStepID, VR.SH, "SPS1");
            WorklistItem item = new WorklistItem("id-" + (items.size() + 1), ds, Instant.now());
            items.put(item.id(), item);
            return item;
        }

        @Override
        public Optional<WorklistItem> get(String id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public WorklistItem update(String id, DataSet attributes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String id) {
            return items.remove(id) != null;
        }

        @Override
        public List<WorklistItem> findByStep(String study, String accession, String rp, String sps) {
            return List.of();
        }

        @Override
        public List<WorklistItem> find(DataSet keys, int offset, int limit) {
            lastKeys = keys;
            return new ArrayList<>(items.values());
        }

        @Override
        public WorklistItem setStepStatus(String id, String status) throws WorklistException {
            throw new WorklistException("not here");
        }
    }

    private static String run(Action command) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void addFromFileAndOptionsThenListAndRemove() throws Exception {
        MemoryStore store = new MemoryStore();
        Path json = Files.createTempFile("worklist-item", ".json");
        Files.writeString(json, "{\"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": \"DOE^JOHN\"}]},"
                + " \"00400100\": {\"vr\": \"SQ\", \"Value\": [{\"00080060\": {\"vr\": \"CS\", \"Value\": [\"MR\"]}}]}}");
        WorklistAddCommand add = new WorklistAddCommand();
        add.store = store;
        add.file = json.toString();
        add.patientId = "P1";
        add.modality = "CT";
        add.date = "20261201";
        add.time = "0830";
        add.station = "CT1";
        String out = run(add);
        assertThat(out).contains("Worklist item id-1: SPS ID SPS1");
        DataSet stored = store.items.get("id-1").attributes();
        assertThat(stored.getString(Tag.PatientName)).isEqualTo("DOE^JOHN");
        assertThat(stored.getString(Tag.PatientID)).isEqualTo("P1");
        DataSet step = stored.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        assertThat(step.getString(Tag.Modality)).isEqualTo("CT");
        assertThat(step.getString(Tag.ScheduledStationAETitle)).isEqualTo("CT1");

        WorklistListCommand list = new WorklistListCommand();
        list.store = store;
        list.modality = "CT";
        list.date = "20261201-";
        String table = run(list);
        assertThat(table).contains("id-1").contains("20261201 0830").contains("DOE^JOHN").contains("1 item");
        DataSet keyStep = store.lastKeys.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        assertThat(keyStep.getString(Tag.Modality)).isEqualTo("CT");
        assertThat(keyStep.getString(Tag.ScheduledProcedureStepStartDate)).isEqualTo("20261201-");

        WorklistRemoveCommand remove = new WorklistRemoveCommand();
        remove.store = store;
        remove.ids = List.of("id-1");
        assertThat(run(remove)).contains("Removed worklist item id-1");
        assertThat(run(remove)).contains("No worklist item id-1");
        Files.delete(json);
    }
}
