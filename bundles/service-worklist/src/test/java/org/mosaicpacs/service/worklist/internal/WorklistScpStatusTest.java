package org.mosaicpacs.service.worklist.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Consumer;

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
import org.mosaicpacs.dicom.net.ResponseStream;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What the worklist SCP answers besides matches, seen with our SCU: malformed identifiers get A900
 * with Offending Element and Error Comment and the association carries on; the maximum ends the
 * answer with A700; C-CANCEL ends it with FE00 within a few responses; a database failure is C000;
 * a response holds exactly the requested keys, zero-length where the item has no value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorklistScpStatusTest {

    private static final String MWL = UID.ModalityWorklistInformationModelFind;

    private HikariDataSource dataSource;
    private JdbcWorklistStore store;
    private DicomServer server;
    private DicomClient client;
    private volatile DimseHandler served;

    @BeforeAll
    void start() throws Exception {
        dataSource = TestDatabase.DERBY.create("scp-status");
        store = new JdbcWorklistStore(dataSource);
        for (DataSet item : WorklistFixtures.items()) {
            store.create(item);
        }
        served = new WorklistScp(store, true, 0);
        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0).build(),
                DimseHandlerRegistry.of(Map.of(MWL, (DimseHandler) (rq, ctx) -> served.handle(rq, ctx))));
        server.start();
        client = DicomClient.builder().build();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
        dataSource.close();
    }

    private Association connect() throws Exception {
        return client.connect("127.0.0.1", server.port(),
                AAssociateRq.builder("MOSAIC", "STATUSSCU").presentationContext(MWL, UID.ExplicitVRLittleEndian).build());
    }

    record Answer(int pending, DimseResponse last, DimseResponse first) {
        int status() {
            return last.status();
        }
    }

    private static Answer find(Association as, DataSet keys) throws Exception {
        try (ResponseStream rs = as.find(MWL, keys)) {
            int pending = 0;
            DimseResponse first = null;
            for (DimseResponse r; (r = rs.next()) != null; ) {
                if (!r.isPending()) {
                    return new Answer(pending, r, first);
                }
                first = first == null ? r : first;
                pending++;
            }
            throw new AssertionError("no final response");
        }
    }

    private static DataSet keys(Consumer<DataSet> top, Consumer<DataSet> step) {
        DataSet keys = new DataSet();
        keys.setNull(Tag.PatientName, VR.PN);
        DataSet item = keys.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        item.setNull(Tag.Modality, VR.CS);
        top.accept(keys);
        step.accept(item);
        return keys;
    }

    private static void assertRefused(Association as, DataSet keys, int offending, String comment) throws Exception {
        Answer a = find(as, keys);
        assertThat(a.status()).as(a.last().toString()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(a.pending()).isZero();
        assertThat(a.last().errorComment()).contains(comment);
        assertThat(a.last().command().getInts(Tag.OffendingElement)).containsExactly(offending);
    }

    @Test
    void malformedIdentifiersAreA900AndTheAssociationCarriesOn() throws Exception {
        try (Association as = connect()) {
            assertRefused(as, keys(t -> { }, s -> s.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "2026-12-01")),
                    Tag.ScheduledProcedureStepStartDate, "no valid DA value or range");
            assertRefused(as, keys(t -> { }, s -> s.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "2500")),
                    Tag.ScheduledProcedureStepStartTime, "no valid TM value or range");
            assertRefused(as, keys(t -> t.setString(Tag.PatientName, VR.LO, "DOE*"), s -> { }),
                    Tag.PatientName, "has VR LO, not PN");
            assertRefused(as, keys(t -> t.getSequence(Tag.ScheduledProcedureStepSequence).addNewItem(), s -> { }),
                    Tag.ScheduledProcedureStepSequence, "has 2 items");
            assertThat(find(as, keys(t -> t.setString(Tag.PatientName, VR.PN, "DOE*"), s -> { })).pending()).isEqualTo(3);
        }
    }

    @Test
    void responsesHoldTheRequestedKeysOnly() throws Exception {
        try (Association as = connect()) {
            DataSet keys = keys(t -> {
                t.setString(Tag.PatientID, VR.LO, "PID003");
                t.setNull(Tag.PatientWeight, VR.DS);
            }, s -> s.setNull(Tag.ScheduledProcedureStepLocation, VR.SH));
            keys.newSequence(Tag.ReferencedStudySequence);
            Answer a = find(as, keys);
            assertThat(a.status()).isEqualTo(Status.SUCCESS);
            assertThat(a.pending()).isEqualTo(1);
            DataSet r = a.first().dataSet();
            assertThat(r.tags()).containsExactlyInAnyOrder(Tag.PatientName, Tag.PatientID, Tag.PatientWeight,
                    Tag.ReferencedStudySequence, Tag.ScheduledProcedureStepSequence);
            assertThat(r.getString(Tag.PatientName)).isEqualTo("DOE^JOHN");
            assertThat(r.contains(Tag.PatientWeight)).isTrue();
            assertThat(r.getString(Tag.PatientWeight)).isNull();
            assertThat(r.getSequence(Tag.ReferencedStudySequence)).isEmpty();
            DataSet step = r.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
            assertThat(step.tags()).containsExactly(Tag.Modality, Tag.ScheduledProcedureStepLocation);
            assertThat(step.getString(Tag.Modality)).isEqualTo("CT");
        }
    }

    @Test
    void theMaximumEndsTheAnswerWithA700() throws Exception {
        served = new WorklistScp(store, true, 4);
        try (Association as = connect()) {
            Answer a = find(as, keys(t -> { }, s -> { }));
            assertThat(a.status()).isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(a.pending()).isEqualTo(4);
            assertThat(a.last().errorComment()).contains("more than 4 matches");
            assertThat(find(as, keys(t -> t.setString(Tag.PatientID, VR.LO, "PID001"), s -> { })).status())
                    .isEqualTo(Status.SUCCESS);
        } finally {
            served = new WorklistScp(store, true, 0);
        }
    }

    @Test
    void cancelStopsTheStream() throws Exception {
        WorklistScp scp = new WorklistScp(store, true, 0);
        // each pending response takes a while, so the C-CANCEL arrives in the middle of the answer
        served = (rq, ctx) -> scp.handle(rq, new SlowContext(ctx));
        try (Association as = connect(); ResponseStream rs = as.find(MWL, keys(t -> { }, s -> { }))) {
            assertThat(rs.next().isPending()).isTrue();
            rs.cancel();
            int pending = 1;
            DimseResponse last;
            while ((last = rs.next()).isPending()) {
                pending++;
            }
            assertThat(last.status()).isEqualTo(Status.CANCEL);
            assertThat(pending).isLessThan(WorklistFixtures.items().size());
        } finally {
            served = new WorklistScp(store, true, 0);
        }
    }

    @Test
    void aDatabaseFailureIsC000() throws Exception {
        HikariDataSource closed = TestDatabase.DERBY.create("scp-closed");
        JdbcWorklistStore broken = new JdbcWorklistStore(closed);
        closed.close();
        served = new WorklistScp(broken, true, 0);
        try (Association as = connect()) {
            Answer a = find(as, keys(t -> { }, s -> { }));
            assertThat(a.status()).isEqualTo(0xC000);
            assertThat(a.last().errorComment()).contains("database failed");
        } finally {
            served = new WorklistScp(store, true, 0);
        }
    }

    /** Delays each pending response by 100 ms. */
    private record SlowContext(DimseContext delegate) implements DimseContext {
        @Override
        public org.mosaicpacs.dicom.net.Association association() {
            return delegate.association();
        }

        @Override
        public void sendPending(DimseResponse pending) throws java.io.IOException {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delegate.sendPending(pending);
        }

        @Override
        public boolean isCancelled() {
            return delegate.isCancelled();
        }

        @Override
        public DicomClient client() {
            return delegate.client();
        }

        @Override
        public void afterResponse(Consumer<org.mosaicpacs.dicom.net.Association> task) {
            delegate.afterResponse(task);
        }
    }
}
