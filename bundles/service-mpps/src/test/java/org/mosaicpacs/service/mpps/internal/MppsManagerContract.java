package org.mosaicpacs.service.mpps.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.api.mpps.MppsEvents;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.testing.TestDatabase;
import org.osgi.service.event.Event;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The MPPS life cycle and its failure statuses (PS3.4 F.7.2) on one database; run on Derby and
 * PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MppsManagerContract {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private HikariDataSource dataSource;
    private MppsRepository repository;
    private MppsManager manager;
    private final FakeWorklist worklist = new FakeWorklist();
    private final RecordingEventAdmin events = new RecordingEventAdmin();

    abstract TestDatabase database();

    @BeforeAll
    void openDatabase() throws Exception {
        dataSource = database().create("mpps_manager");
        repository = new MppsRepository(dataSource);
        manager = new MppsManager(repository, new MppsAttributeRules(false), new WorklistLinks(() -> worklist), events,
                Clock.systemUTC());
    }

    @AfterAll
    void closeDatabase() {
        dataSource.close();
    }

    private static String uid() {
        return "1.2.826.0.1.3680043.10.543.8." + NEXT.incrementAndGet();
    }

    private static String stepId() {
        return "SPS" + NEXT.incrementAndGet();
    }

    private static int status(Callable<?> call) throws Exception {
        try {
            call.call();
            return Status.SUCCESS;
        } catch (DimseStatusException e) {
            return e.status();
        }
    }

    @Test
    void createUpdateCompleteLinksWorklistAndSeriesAndPostsEvents() throws Exception {
        String sps = stepId();
        String item = worklist.schedule(sps);
        String uid = uid();
        events.events.clear();

        PerformedProcedureStep created = manager.create(uid, MppsTestData.create(sps, "CT1"), "MODALITY");
        assertThat(created.status()).isEqualTo(MppsStatus.IN_PROGRESS);
        assertThat(created.worklistItemIds()).containsExactly(item);
        assertThat(worklist.stepStatus(item)).isEqualTo("STARTED");

        manager.set(uid, MppsTestData.update("CT chest, low dose"));
        PerformedProcedureStep done = manager.set(uid, MppsTestData.finish("COMPLETED", MppsTestData.SERIES_UID));
        assertThat(done.status()).isEqualTo(MppsStatus.COMPLETED);
        assertThat(worklist.stepStatus(item)).isEqualTo("COMPLETED");

        PerformedProcedureStep stored = repository.find(uid).orElseThrow();
        assertThat(stored.status()).isEqualTo(MppsStatus.COMPLETED);
        assertThat(stored.seriesInstanceUids()).containsExactly(MppsTestData.SERIES_UID);
        assertThat(stored.studyInstanceUids()).containsExactly(MppsTestData.STUDY_UID);
        assertThat(stored.worklistItemIds()).containsExactly(item);
        assertThat(stored.callingAeTitle()).isEqualTo("MODALITY");
        DataSet attrs = stored.attributes();
        assertThat(attrs.getString(Tag.PerformedProcedureStepDescription)).isEqualTo("CT chest, low dose");
        assertThat(attrs.getString(Tag.PatientName)).isEqualTo("Müller^Jürgen");
        assertThat(attrs.getString(Tag.PerformedProcedureStepEndTime)).isEqualTo("103000");

        assertThat(events.topics()).containsExactly(MppsEvents.IN_PROGRESS, MppsEvents.UPDATED, MppsEvents.COMPLETED);
        Event completed = events.events.get(2);
        assertThat(completed.getProperty(MppsEvents.SOP_INSTANCE_UID)).isEqualTo(uid);
        assertThat(completed.getProperty(MppsEvents.STATUS)).isEqualTo("COMPLETED");
        assertThat((String[]) completed.getProperty(MppsEvents.SERIES_INSTANCE_UIDS)).containsExactly(MppsTestData.SERIES_UID);
        assertThat((String[]) completed.getProperty(MppsEvents.WORKLIST_ITEM_IDS)).containsExactly(item);
        for (Event e : events.events) {
            for (String name : e.getPropertyNames()) {
                assertThat(String.valueOf(e.getProperty(name))).as("no PHI in " + name)
                        .doesNotContain("Müller").doesNotContain("PID-1");
            }
        }
    }

    @Test
    void noUpdateOnceCompletedOrDiscontinued() throws Exception {
        for (String finalStatus : List.of("COMPLETED", "DISCONTINUED")) {
            String uid = uid();
            manager.create(uid, MppsTestData.create(stepId(), "CT1"), "MODALITY");
            manager.set(uid, MppsTestData.finish(finalStatus, MppsTestData.SERIES_UID + ".9"));
            assertThatThrownBy(() -> manager.set(uid, MppsTestData.update("late")))
                    .isInstanceOfSatisfying(DimseStatusException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.PROCESSING_FAILURE);
                        assertThat(e.response().errorComment())
                                .isEqualTo("Performed Procedure Step Object may no longer be updated");
                        assertThat(e.response().command().getInt(Tag.ErrorID, -1)).isEqualTo(0xA710);
                    });
            assertThat(repository.find(uid).orElseThrow().status().value()).isEqualTo(finalStatus);
        }
    }

    @Test
    void createFailuresNameTheStatusesOfPs34() throws Exception {
        DataSet missing = MppsTestData.create(stepId(), "CT1");
        missing.remove(Tag.PerformedStationAETitle);
        missing.remove(Tag.Modality);
        assertThatThrownBy(() -> manager.create(uid(), missing, "M")).isInstanceOfSatisfying(DimseStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.MISSING_ATTRIBUTE);
            assertThat(e.response().command().getInts(Tag.OffendingElement))
                    .containsExactlyInAnyOrder(Tag.PerformedStationAETitle, Tag.Modality);
        });

        DataSet missingInItem = MppsTestData.create(stepId(), "CT1");
        missingInItem.getNestedDataSet(Tag.ScheduledStepAttributesSequence).remove(Tag.StudyInstanceUID);
        assertThat(status(() -> manager.create(uid(), missingInItem, "M"))).isEqualTo(Status.MISSING_ATTRIBUTE);

        DataSet empty = MppsTestData.create(stepId(), "CT1");
        empty.setNull(Tag.PerformedProcedureStepStartDate, VR.DA);
        assertThatThrownBy(() -> manager.create(uid(), empty, "M")).isInstanceOfSatisfying(DimseStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.MISSING_ATTRIBUTE_VALUE);
            assertThat(e.response().command().getInts(Tag.OffendingElement)).containsExactly(Tag.PerformedProcedureStepStartDate);
        });

        DataSet noScheduledItems = MppsTestData.create(stepId(), "CT1");
        noScheduledItems.newSequence(Tag.ScheduledStepAttributesSequence);
        assertThat(status(() -> manager.create(uid(), noScheduledItems, "M"))).isEqualTo(Status.MISSING_ATTRIBUTE_VALUE);

        DataSet completed = MppsTestData.create(stepId(), "CT1");
        completed.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        assertThatThrownBy(() -> manager.create(uid(), completed, "M")).isInstanceOfSatisfying(DimseStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.INVALID_ATTRIBUTE_VALUE);
            assertThat(e.response().dataSet().getString(Tag.PerformedProcedureStepStatus)).isEqualTo("COMPLETED");
        });

        String uid = uid();
        manager.create(uid, MppsTestData.create(stepId(), "CT1"), "M");
        assertThat(status(() -> manager.create(uid, MppsTestData.create(stepId(), "CT1"), "M")))
                .isEqualTo(Status.DUPLICATE_SOP_INSTANCE);
        assertThat(status(() -> manager.create("1.02.3", MppsTestData.create(stepId(), "CT1"), "M")))
                .isEqualTo(MppsManager.INVALID_OBJECT_INSTANCE);
    }

    @Test
    void strictType2RefusesAnOmittedType2Attribute() throws Exception {
        MppsManager strict = new MppsManager(repository, new MppsAttributeRules(true), new WorklistLinks(() -> null),
                null, Clock.systemUTC());
        DataSet noStudyId = MppsTestData.create(stepId(), "CT1");
        noStudyId.remove(Tag.StudyID);
        assertThat(status(() -> strict.create(uid(), noStudyId, "M"))).isEqualTo(Status.MISSING_ATTRIBUTE);
        assertThat(status(() -> manager.create(uid(), noStudyId, "M"))).isEqualTo(Status.SUCCESS);
    }

    @Test
    void aStepCreatedWithoutWorklistIsLinkedAtItsNextNSet() throws Exception {
        AtomicReference<WorklistStore> registered = new AtomicReference<>();
        MppsManager late = new MppsManager(repository, new MppsAttributeRules(false), new WorklistLinks(registered::get),
                null, Clock.systemUTC());
        String sps = stepId();
        String item = worklist.schedule(sps);
        String uid = uid();
        assertThat(late.create(uid, MppsTestData.create(sps, "CT1"), "M").worklistItemIds()).isEmpty();
        registered.set(worklist);
        assertThat(late.set(uid, MppsTestData.update("worklist is back")).worklistItemIds()).containsExactly(item);
        assertThat(worklist.stepStatus(item)).isEqualTo("STARTED");
        assertThat(repository.find(uid).orElseThrow().worklistItemIds()).containsExactly(item);
    }

    @Test
    void listFiltersAndPagesOnThisDatabase() throws Exception {
        String station = "LIST" + NEXT.incrementAndGet();
        String first = uid();
        String second = uid();
        manager.create(first, MppsTestData.create(stepId(), station), "M");
        manager.set(first, MppsTestData.finish("COMPLETED", "1.2.3.5"));
        manager.create(second, MppsTestData.create(stepId(), station), "M");
        MppsRepository.Filter all = new MppsRepository.Filter(null, null, null, null, station, 10, 0);
        assertThat(repository.list(all)).extracting(PerformedProcedureStep::sopInstanceUid).containsExactly(second, first);
        assertThat(repository.list(new MppsRepository.Filter(MppsStatus.COMPLETED, "20260301", "20260301",
                MppsTestData.STUDY_UID, station, 10, 0))).extracting(PerformedProcedureStep::sopInstanceUid)
                .containsExactly(first);
        assertThat(repository.list(new MppsRepository.Filter(null, "20260302", null, null, station, 10, 0))).isEmpty();
        assertThat(repository.list(new MppsRepository.Filter(null, null, null, null, station, 1, 1)))
                .extracting(PerformedProcedureStep::sopInstanceUid).containsExactly(first);
    }

    @Test
    void assignsTheUidWhenTheRequestHasNone() throws Exception {
        PerformedProcedureStep step = manager.create(null, MppsTestData.create(stepId(), "CT1"), "M");
        assertThat(step.sopInstanceUid()).startsWith("2.25.");
        assertThat(repository.find(step.sopInstanceUid())).isPresent();
    }

    @Test
    void setFailures() throws Exception {
        assertThat(status(() -> manager.set(uid(), MppsTestData.update("x")))).isEqualTo(Status.NO_SUCH_SOP_INSTANCE);

        String uid = uid();
        manager.create(uid, MppsTestData.create(stepId(), "CT1"), "M");
        DataSet badStatus = new DataSet();
        badStatus.setString(Tag.PerformedProcedureStepStatus, VR.CS, "DONE");
        assertThat(status(() -> manager.set(uid, badStatus))).isEqualTo(Status.INVALID_ATTRIBUTE_VALUE);

        DataSet changesModality = new DataSet();
        changesModality.setString(Tag.Modality, VR.CS, "MR");
        assertThatThrownBy(() -> manager.set(uid, changesModality)).isInstanceOfSatisfying(DimseStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.NO_SUCH_ATTRIBUTE);
            assertThat(e.response().command().getInts(Tag.OffendingElement)).containsExactly(Tag.Modality);
        });
        DataSet sameModality = new DataSet();
        sameModality.setString(Tag.Modality, VR.CS, "CT");
        sameModality.setString(Tag.PerformedProcedureStepDescription, VR.LO, "resent");
        assertThat(status(() -> manager.set(uid, sameModality))).isEqualTo(Status.SUCCESS);

        DataSet completedWithoutSeries = new DataSet();
        completedWithoutSeries.setString(Tag.PerformedProcedureStepStatus, VR.CS, "COMPLETED");
        completedWithoutSeries.setString(Tag.PerformedProcedureStepEndDate, VR.DA, "20260301");
        completedWithoutSeries.setString(Tag.PerformedProcedureStepEndTime, VR.TM, "110000");
        assertThatThrownBy(() -> manager.set(uid, completedWithoutSeries)).isInstanceOfSatisfying(DimseStatusException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(Status.MISSING_ATTRIBUTE_VALUE);
                    assertThat(e.response().command().getInts(Tag.OffendingElement)).containsExactly(Tag.PerformedSeriesSequence);
                });
        DataSet seriesWithoutUid = MppsTestData.finish("COMPLETED", "1.2.3");
        seriesWithoutUid.getNestedDataSet(Tag.PerformedSeriesSequence).remove(Tag.SeriesInstanceUID);
        assertThat(status(() -> manager.set(uid, seriesWithoutUid))).isEqualTo(Status.MISSING_ATTRIBUTE_VALUE);
        // refused N-SETs changed nothing
        assertThat(repository.find(uid).orElseThrow().status()).isEqualTo(MppsStatus.IN_PROGRESS);
        assertThat(repository.find(uid).orElseThrow().attributes().getString(Tag.PerformedProcedureStepDescription))
                .isEqualTo("resent");
    }

    @Test
    void anNSetInAnotherCharacterSetKeepsEveryCharacter() throws Exception {
        String uid = uid();
        manager.create(uid, MppsTestData.create(stepId(), "CT1"), "M");
        DataSet latin1 = new DataSet();
        latin1.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        latin1.setEncodedCharacterSet(SpecificCharacterSet.of("ISO_IR 100"));
        latin1.setString(Tag.CommentsOnThePerformedProcedureStep, VR.LT, "Patient très coopératif");
        manager.set(uid, latin1);
        DataSet stored = repository.find(uid).orElseThrow().attributes();
        assertThat(stored.getString(Tag.CommentsOnThePerformedProcedureStep)).isEqualTo("Patient très coopératif");
        assertThat(stored.getString(Tag.PatientName)).isEqualTo("Müller^Jürgen");
    }

    @Test
    void anNCreateInIso2022KoreanIsStoredWithEveryCharacter() throws Exception {
        DataSet korean = MppsTestData.create(stepId(), "CT1");
        korean.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 149");
        korean.setString(Tag.PatientName, VR.PN, "Kim^Minjun=김^민준");
        korean.getNestedDataSet(Tag.ScheduledStepAttributesSequence)
                .setString(Tag.ScheduledProcedureStepDescription, VR.LO, "흉부 CT");
        // as received from the network: text held as ISO 2022 bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomWriter writer = DicomWriter.create(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.defaults())) {
            writer.writeDataSet(korean);
        }
        DataSet received;
        try (DicomReader reader = DicomReader.open(new ByteArrayInputStream(out.toByteArray()),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.defaults())) {
            received = reader.readDataSet();
        }
        String uid = uid();
        manager.create(uid, received, "M");
        DataSet stored = repository.find(uid).orElseThrow().attributes();
        assertThat(stored.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        assertThat(stored.getString(Tag.PatientName)).isEqualTo("Kim^Minjun=김^민준");
        assertThat(stored.getNestedDataSet(Tag.ScheduledStepAttributesSequence)
                .getString(Tag.ScheduledProcedureStepDescription)).isEqualTo("흉부 CT");
    }

    @Test
    void concurrentFinalNSetsLetExactlyOneWin() throws Exception {
        String uid = uid();
        manager.create(uid, MppsTestData.create(stepId(), "CT1"), "M");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String status = i % 2 == 0 ? "COMPLETED" : "DISCONTINUED";
                results.add(pool.submit(() -> status(() -> manager.set(uid, MppsTestData.finish(status, "1.2.3.4")))));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnlyOnce(Status.SUCCESS);
            assertThat(statuses.stream().filter(s -> s == Status.PROCESSING_FAILURE)).hasSize(3);
        } finally {
            pool.shutdownNow();
        }
    }
}
