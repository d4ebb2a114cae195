package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mosaicpacs.index.jdbc.internal.Headers.all;
import static org.mosaicpacs.index.jdbc.internal.Headers.instance;
import static org.mosaicpacs.index.jdbc.internal.Headers.keys;
import static org.mosaicpacs.index.jdbc.internal.Headers.record;
import static org.mosaicpacs.index.jdbc.internal.Headers.studyQuery;
import static org.mosaicpacs.index.jdbc.internal.Headers.values;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.api.index.DuplicateInstanceException;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.index.Rejection;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.testing.TestDatabase;

import com.zaxxer.hikari.HikariDataSource;

/** Recording, finding, replacing and removing instances, and the rules around them, on Derby and PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveIndexTest {

    private final Map<TestDatabase, HikariDataSource> dataSources = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, JdbcArchiveIndex> indexes = new EnumMap<>(TestDatabase.class);

    @BeforeAll
    void open() throws Exception {
        for (TestDatabase db : TestDatabase.values()) {
            HikariDataSource ds = db.create("archive_index_test");
            dataSources.put(db, ds);
            indexes.put(db, new JdbcArchiveIndex(ds, new IndexSettings(1000, false, true)));
        }
    }

    @AfterAll
    void close() {
        dataSources.values().forEach(HikariDataSource::close);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void recordsAndFindsInstances(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        RecordOutcome first = record(index, instance("P1", "Doe^Jane", "1.1.1", "1.1.1.1", "1.1.1.1.2", "CT", Headers.CT));
        record(index, instance("P1", "Doe^Jane", "1.1.1", "1.1.1.1", "1.1.1.1.1", "CT", Headers.CT));
        RecordOutcome third = record(index, instance("P1", "Doe^Jane", "1.1.1", "1.1.1.2", "1.1.1.2.1", "SR", Headers.SR));

        assertThat(first.replaced()).isNull();
        assertThat(first.seriesInstanceCount()).isEqualTo(1);
        assertThat(third.studyInstanceCount()).isEqualTo(3);
        assertThat(third.seriesInstanceCount()).isEqualTo(1);
        InstanceRecord found = index.findInstance("1.1.1.1.2").orElseThrow();
        assertThat(found).isEqualTo(first.instance());
        assertThat(found.received()).isEqualTo(Instant.parse("2024-01-15T10:15:30.123456Z"));
        assertThat(found.storageKey()).isEqualTo("objects/1.1.1.1.2.dcm");
        assertThat(index.findInstance("9.9.9")).isEmpty();
        assertThat(index.findInstances("1.1.1", null)).extracting(InstanceRecord::sopInstanceUid)
                .containsExactly("1.1.1.1.1", "1.1.1.1.2", "1.1.1.2.1");
        assertThat(index.findInstances("1.1.1", "1.1.1.2")).extracting(InstanceRecord::sopInstanceUid)
                .containsExactly("1.1.1.2.1");

        DataSet study = all(index, studyQuery(keys("StudyInstanceUID=1.1.1", "ModalitiesInStudy=", "SOPClassesInStudy=",
                "NumberOfStudyRelatedSeries=", "NumberOfStudyRelatedInstances=", "NumberOfPatientRelatedStudies=",
                "PatientName="))).get(0);
        assertThat(study.getStrings(Tag.ModalitiesInStudy)).containsExactly("CT", "SR");
        assertThat(study.getStrings(Tag.SOPClassesInStudy)).containsExactlyInAnyOrder(Headers.CT, Headers.SR);
        assertThat(study.getString(Tag.NumberOfStudyRelatedSeries)).isEqualTo("2");
        assertThat(study.getString(Tag.NumberOfStudyRelatedInstances)).isEqualTo("3");
        assertThat(study.getString(Tag.NumberOfPatientRelatedStudies)).isEqualTo("1");
        assertThat(study.getString(Tag.PatientName)).isEqualTo("Doe^Jane");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void remembersRejectionsApartFromTheInstancesAndReplacesAndForgetsThem(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        record(index, instance("P7", "Rej^Ected", "7.1", "7.1.1", "7.1.1.1", "CT", Headers.CT));
        Instant when = Instant.parse("2026-11-23T08:00:00.250Z");
        assertThat(index.findRejection("7.1.1.1")).isEmpty();

        index.recordRejection(new Rejection("7.1.1.1", "7.1", "7.1.1", "113001", "7.9.1", when));
        // a note may reject what the archive never received: remembered all the same
        index.recordRejection(new Rejection("7.1.1.2", null, null, "113038", "7.9.1", when));

        assertThat(index.findRejection("7.1.1.1")).contains(new Rejection("7.1.1.1", "7.1", "7.1.1", "113001", "7.9.1", when));
        assertThat(index.findRejection("7.1.1.2").orElseThrow().studyInstanceUid()).isNull();
        index.recordRejection(new Rejection("7.1.2.1", "7.1", "7.1.2", "113001", "7.9.1", when));
        assertThat(index.findRejections("7.1")).extracting(Rejection::sopInstanceUid).containsExactly("7.1.1.1", "7.1.2.1");
        assertThat(index.findRejections("7.2")).isEmpty();
        assertThat(index.findInstance("7.1.1.1")).as("remembering does not remove").isPresent();
        index.removeInstance("7.1.1.1");
        assertThat(index.findRejection("7.1.1.1")).as("removing does not forget").isPresent();

        // a later note about the same instance replaces the first
        index.recordRejection(new Rejection("7.1.1.1", "7.1", "7.1.1", "113037", "7.9.2", when.plusSeconds(60)));
        assertThat(index.findRejection("7.1.1.1").orElseThrow())
                .extracting(Rejection::code, Rejection::noteUid, Rejection::rejected)
                .containsExactly("113037", "7.9.2", when.plusSeconds(60));

        assertThat(index.forgetRejection("7.1.1.1")).isTrue();
        assertThat(index.forgetRejection("7.1.1.1")).isFalse();
        assertThat(index.findRejection("7.1.1.1")).isEmpty();
        assertThat(index.findRejection("7.1.1.2")).isPresent();
        assertThat(index.findRejections("7.1")).extracting(Rejection::sopInstanceUid).containsExactly("7.1.2.1");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void refusesDuplicatesUnlessReplacing(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        DataSet header = instance("P2", "Roe^Richard", "2.1", "2.1.1", "2.1.1.1", "MR", Headers.CT);
        RecordOutcome first = record(index, header);

        assertThatThrownBy(() -> record(index, header)).isInstanceOf(DuplicateInstanceException.class)
                .satisfies(e -> assertThat(((DuplicateInstanceException) e).existing()).isEqualTo(first.instance()));

        RecordOutcome replaced = index.record(header, Headers.object("other-key"), UID.JPEGLosslessSV1,
                Instant.parse("2024-02-01T00:00:00Z"), true);
        assertThat(replaced.replaced()).isEqualTo(first.instance());
        assertThat(replaced.studyInstanceCount()).isEqualTo(1);
        assertThat(index.findInstance("2.1.1.1").orElseThrow().transferSyntaxUid()).isEqualTo(UID.JPEGLosslessSV1);

        // replacing with the same SOP Instance UID in another series moves it
        DataSet moved = instance("P2", "Roe^Richard", "2.1", "2.1.2", "2.1.1.1", "MR", Headers.CT);
        RecordOutcome outcome = index.record(moved, Headers.object("moved"), UID.ExplicitVRLittleEndian, Instant.now(), true);
        assertThat(outcome.seriesInstanceCount()).isEqualTo(1);
        assertThat(outcome.studyInstanceCount()).isEqualTo(1);
        assertThat(index.findInstance("2.1.1.1").orElseThrow().seriesInstanceUid()).isEqualTo("2.1.2");
        DataSet study = all(index, studyQuery(keys("StudyInstanceUID=2.1", "NumberOfStudyRelatedSeries="))).get(0);
        assertThat(study.getString(Tag.NumberOfStudyRelatedSeries)).isEqualTo("1");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void refusesHeadersWithoutUidsOrWithASeriesOfAnotherStudy(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        DataSet noStudy = instance("P3", "A^B", "3.1", "3.1.1", "3.1.1.1", "CT", Headers.CT);
        noStudy.remove(Tag.StudyInstanceUID);
        assertThatThrownBy(() -> record(index, noStudy)).isInstanceOf(IndexException.class)
                .hasMessageContaining("StudyInstanceUID");
        DataSet noSop = instance("P3", "A^B", "3.1", "3.1.1", "3.1.1.1", "CT", Headers.CT);
        noSop.setNull(Tag.SOPInstanceUID, VR.UI);
        assertThatThrownBy(() -> record(index, noSop)).isInstanceOf(IndexException.class)
                .hasMessageContaining("SOPInstanceUID");

        record(index, instance("P3", "A^B", "3.1", "3.1.1", "3.1.1.1", "CT", Headers.CT));
        assertThatThrownBy(() -> record(index, instance("P3", "A^B", "3.2", "3.1.1", "3.1.1.2", "CT", Headers.CT)))
                .isInstanceOf(IndexException.class).hasMessageContaining("belongs to another study");
        assertThat(index.findInstance("3.1.1.2")).isEmpty();
        assertThat(all(index, studyQuery(keys("StudyInstanceUID=3.2")))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void removingTheLastInstancesRemovesSeriesStudyAndPatient(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        record(index, instance("P4", "Poe^Edgar", "4.1", "4.1.1", "4.1.1.1", "CT", Headers.CT));
        record(index, instance("P4", "Poe^Edgar", "4.1", "4.1.2", "4.1.2.1", "SR", Headers.SR));
        record(index, instance("P4", "Poe^Edgar", "4.2", "4.2.1", "4.2.1.1", "MR", Headers.CT));

        assertThat(index.removeInstance("4.1.2.1")).map(InstanceRecord::seriesInstanceUid).contains("4.1.2");
        assertThat(index.removeInstance("4.1.2.1")).isEmpty();
        DataSet study = all(index, studyQuery(keys("StudyInstanceUID=4.1", "ModalitiesInStudy=", "SOPClassesInStudy=",
                "NumberOfStudyRelatedSeries=", "NumberOfPatientRelatedInstances="))).get(0);
        assertThat(study.getStrings(Tag.ModalitiesInStudy)).containsExactly("CT");
        assertThat(study.getStrings(Tag.SOPClassesInStudy)).containsExactly(Headers.CT);
        assertThat(study.getString(Tag.NumberOfStudyRelatedSeries)).isEqualTo("1");
        assertThat(study.getString(Tag.NumberOfPatientRelatedInstances)).isEqualTo("2");

        index.removeInstance("4.1.1.1");
        assertThat(all(index, studyQuery(keys("StudyInstanceUID=4.1")))).isEmpty();
        index.removeInstance("4.2.1.1");
        assertThat(all(index, patientQuery(keys("PatientID=P4")))).isEmpty();
        // the patient and its name rows are gone: recording again starts afresh
        record(index, instance("P4", "Poe^Edgar", "4.3", "4.3.1", "4.3.1.1", "CT", Headers.CT));
        assertThat(all(index, patientQuery(keys("PatientName=POE*", "NumberOfPatientRelatedStudies="))))
                .extracting(r -> r.getString(Tag.NumberOfPatientRelatedStudies)).containsExactly("1");
    }

    /**
     * A node remembers the patient of the studies it recorded; another node sharing the database
     * removes two of them (one patient keeps another study, the other patient goes) and records
     * them again under a new patient. What the first node records next goes where the database says.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void studiesRemovedAndCreatedAgainByAnotherNodeAreRecordedUnderTheirNewPatient(TestDatabase db) throws Exception {
        JdbcArchiveIndex nodeA = indexes.get(db);
        JdbcArchiveIndex nodeB = new JdbcArchiveIndex(dataSources.get(db), new IndexSettings(1000, false, true));
        record(nodeA, instance("P12", "Kept^Patient", "12.1", "12.1.1", "12.1.1.1", "CT", Headers.CT));
        record(nodeA, instance("P12", "Kept^Patient", "12.2", "12.2.1", "12.2.1.1", "CT", Headers.CT));
        record(nodeA, instance("P13", "Gone^Patient", "12.3", "12.3.1", "12.3.1.1", "CT", Headers.CT));

        nodeB.removeInstance("12.1.1.1");
        nodeB.removeInstance("12.3.1.1");
        assertThat(all(nodeB, patientQuery(keys("PatientID=P13")))).isEmpty();
        record(nodeB, instance("P14", "New^Patient", "12.1", "12.1.1", "12.1.1.2", "CT", Headers.CT));
        record(nodeB, instance("P14", "New^Patient", "12.3", "12.3.1", "12.3.1.2", "CT", Headers.CT));

        RecordOutcome toKeptPatientsStudy = record(nodeA, instance("P14", "New^Patient", "12.1", "12.1.1", "12.1.1.3", "CT", Headers.CT));
        RecordOutcome toGonePatientsStudy = record(nodeA, instance("P14", "New^Patient", "12.3", "12.3.1", "12.3.1.3", "CT", Headers.CT));
        assertThat(toKeptPatientsStudy.studyInstanceCount()).isEqualTo(2);
        assertThat(toGonePatientsStudy.studyInstanceCount()).isEqualTo(2);

        DataSet kept = all(nodeA, patientQuery(keys("PatientID=P12", "NumberOfPatientRelatedStudies=",
                "NumberOfPatientRelatedInstances="))).get(0);
        assertThat(kept.getString(Tag.NumberOfPatientRelatedStudies)).isEqualTo("1");
        assertThat(kept.getString(Tag.NumberOfPatientRelatedInstances)).as("no count left from a retried attempt").isEqualTo("1");
        DataSet moved = all(nodeA, patientQuery(keys("PatientID=P14", "NumberOfPatientRelatedStudies=",
                "NumberOfPatientRelatedInstances="))).get(0);
        assertThat(moved.getString(Tag.NumberOfPatientRelatedStudies)).isEqualTo("2");
        assertThat(moved.getString(Tag.NumberOfPatientRelatedInstances)).isEqualTo("4");
        assertThat(values(all(nodeA, studyQuery(keys("StudyInstanceUID=12.1\\12.3", "PatientID="))), Tag.PatientID))
                .containsExactly("P14", "P14");
        assertThat(all(nodeA, patientQuery(keys("PatientID=P13")))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNewStudyUpdatesThePatientAndLaterInstancesFillGaps(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        DataSet first = instance("P5", "Maiden^Mary", "5.1", "5.1.1", "5.1.1.1", "CT", Headers.CT);
        first.remove(Tag.StudyDescription);
        record(index, first);
        DataSet second = instance("P5", "Maiden^Mary", "5.1", "5.1.1", "5.1.1.2", "CT", Headers.CT);
        second.setString(Tag.StudyDescription, VR.LO, "filled later");
        second.setString(Tag.PatientName, VR.PN, "Ignored^Name"); // same study: the patient keeps its name
        record(index, second);
        assertThat(values(all(index, studyQuery(keys("StudyInstanceUID=5.1", "StudyDescription=", "PatientName="))),
                Tag.StudyDescription)).containsExactly("filled later");
        assertThat(values(all(index, studyQuery(keys("PatientName=Maiden*"))), Tag.StudyInstanceUID))
                .containsExactly("5.1");

        record(index, instance("P5", "Married^Mary", "5.2", "5.2.1", "5.2.1.1", "CT", Headers.CT));
        assertThat(all(index, studyQuery(keys("PatientName=Maiden*")))).isEmpty();
        assertThat(values(all(index, studyQuery(keys("PatientName=MARRIED^MARY"))), Tag.StudyInstanceUID))
                .containsExactly("5.1", "5.2");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void fourWritersIntoOneNewStudyLoseNothing(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        long[] commitsBefore = index.groupCommitCounts();
        int perWriter = 40;
        fourWriters(writer -> {
            for (int k = 0; k < perWriter; k++) {
                // writers 0 and 1 share one series, 2 and 3 make a series each, all in study 6.1 of patient P6,
                // and every writer also records into a study of its own for the same patient
                String series = writer < 2 ? "6.1.1" : "6.1." + writer;
                record(index, instance("P6", "Busy^Bee", "6.1", series, "6.1." + writer + "." + k, "CT", Headers.CT));
                record(index, instance("P6", "Busy^Bee", "6.2." + writer, "6.2." + writer + ".1",
                        "6.2." + writer + ".1." + k, "MR", Headers.CT));
            }
        });
        DataSet study = all(index, studyQuery(keys("StudyInstanceUID=6.1", "NumberOfStudyRelatedSeries=",
                "NumberOfStudyRelatedInstances=", "NumberOfPatientRelatedStudies=", "NumberOfPatientRelatedSeries=",
                "NumberOfPatientRelatedInstances="))).get(0);
        assertThat(study.getString(Tag.NumberOfStudyRelatedSeries)).isEqualTo("3");
        assertThat(study.getString(Tag.NumberOfStudyRelatedInstances)).isEqualTo(Integer.toString(4 * perWriter));
        assertThat(study.getString(Tag.NumberOfPatientRelatedStudies)).isEqualTo("5");
        assertThat(study.getString(Tag.NumberOfPatientRelatedSeries)).isEqualTo("7");
        assertThat(study.getString(Tag.NumberOfPatientRelatedInstances)).isEqualTo(Integer.toString(8 * perWriter));
        assertThat(index.findInstances("6.1", null)).hasSize(4 * perWriter);
        // the recordings of study 6.1 queue for one patient row: those that queued shared a commit
        long[] commitsAfter = index.groupCommitCounts();
        assertThat(commitsAfter[1] - commitsBefore[1]).isEqualTo(8 * perWriter);
        assertThat(commitsAfter[0] - commitsBefore[0]).as("commits").isLessThan(8 * perWriter);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void writersStoringTheSameInstancesRecordEachOnce(TestDatabase db) throws Exception {
        // a new instance is inserted without looking it up first: the losers must still see a duplicate
        JdbcArchiveIndex index = indexes.get(db);
        int perWriter = 30;
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        fourWriters(writer -> {
            for (int k = 0; k < perWriter; k++) {
                try {
                    record(index, instance("P11", "Twice^Sent", "11.1", "11.1.1", "11.1.1." + k, "CT", Headers.CT));
                    recorded.incrementAndGet();
                } catch (DuplicateInstanceException e) {
                    assertThat(e.existing().sopInstanceUid()).isEqualTo("11.1.1." + k);
                    refused.incrementAndGet();
                }
            }
        });
        assertThat(recorded).hasValue(perWriter);
        assertThat(refused).hasValue(3 * perWriter);
        DataSet study = all(index, studyQuery(keys("StudyInstanceUID=11.1", "NumberOfStudyRelatedSeries=",
                "NumberOfStudyRelatedInstances=", "NumberOfPatientRelatedStudies=", "NumberOfPatientRelatedSeries=",
                "NumberOfPatientRelatedInstances="))).get(0);
        assertThat(study.getString(Tag.NumberOfStudyRelatedSeries)).isEqualTo("1");
        assertThat(study.getString(Tag.NumberOfStudyRelatedInstances)).isEqualTo(Integer.toString(perWriter));
        assertThat(study.getString(Tag.NumberOfPatientRelatedStudies)).isEqualTo("1");
        assertThat(study.getString(Tag.NumberOfPatientRelatedSeries)).isEqualTo("1");
        assertThat(study.getString(Tag.NumberOfPatientRelatedInstances)).isEqualTo(Integer.toString(perWriter));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void limitsMatchesAndSaysSo(TestDatabase db) throws Exception {
        try (HikariDataSource ds = db.create("archive_index_limit")) {
            JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new IndexSettings(3, false, true));
            for (int i = 1; i <= 5; i++) {
                record(index, instance("L" + i, "Limit^" + i, "7." + i, "7." + i + ".1", "7." + i + ".1.1", "CT", Headers.CT));
            }
            try (QueryResults r = index.query(studyQuery(keys("PatientName=LIMIT*")))) {
                assertThat(r).toIterable().hasSize(3);
                assertThat(r.limitReached()).isTrue();
            }
            IndexQuery two = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys("PatientName=LIMIT*"),
                    false, false, false, 3, 2);
            assertThat(values(all(index, two), Tag.StudyInstanceUID)).containsExactly("7.4", "7.5");
            // with a key matched in Java (a derived count), offset and limit are applied in Java: same answers
            IndexQuery java = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY,
                    keys("PatientName=LIMIT*", "NumberOfStudyRelatedInstances=1"), false, false, false, 1, 3);
            try (QueryResults r = index.query(java)) {
                assertThat(r).toIterable().extracting(d -> d.getString(Tag.StudyInstanceUID)).containsExactly("7.2", "7.3", "7.4");
                assertThat(r.limitReached()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void hierarchicalQueriesNeedTheUniqueKeysAbove(TestDatabase db) {
        JdbcArchiveIndex index = indexes.get(db);
        IndexQuery series = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.SERIES, keys("Modality=CT"),
                false, false, false, 0, 0);
        assertThatThrownBy(() -> index.query(series)).isInstanceOf(IndexException.class)
                .hasMessageContaining("StudyInstanceUID");
        IndexQuery study = new IndexQuery(InformationModel.PATIENT_ROOT, QueryLevel.STUDY, keys("StudyDate=20240101"),
                false, false, false, 0, 0);
        assertThatThrownBy(() -> index.query(study)).isInstanceOf(IndexException.class).hasMessageContaining("PatientID");
        assertThatThrownBy(() -> index.query(studyQuery(keys("StudyDate=20241301"))))
                .isInstanceOf(IndexException.class).hasMessageContaining("StudyDate");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void matchesNamesFuzzilyWhenAsked(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        record(index, instance("F1", "Smith^John", "8.1", "8.1.1", "8.1.1.1", "CT", Headers.CT));
        record(index, instance("F2", "Schmidt^Jon", "8.2", "8.2.1", "8.2.1.1", "CT", Headers.CT));
        record(index, instance("F3", "Smyth^Joan", "8.3", "8.3.1", "8.3.1.1", "CT", Headers.CT));
        record(index, instance("F4", "Jones^John", "8.4", "8.4.1", "8.4.1.1", "CT", Headers.CT));

        assertThat(values(all(index, studyQuery(keys("PatientName=SMITH*"))), Tag.StudyInstanceUID)).containsExactly("8.1");
        IndexQuery fuzzy = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY, keys("PatientName=Smith"),
                true, false, false, 0, 0);
        assertThat(values(all(index, fuzzy), Tag.StudyInstanceUID)).containsExactly("8.1", "8.2", "8.3");
        IndexQuery fuzzyGiven = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY,
                keys("PatientName=Smyth^Jon"), true, false, false, 0, 0);
        assertThat(values(all(index, fuzzyGiven), Tag.StudyInstanceUID)).containsExactly("8.1", "8.2", "8.3");
        IndexQuery fuzzyPrefix = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.STUDY,
                keys("PatientName=Shmit*"), true, false, false, 0, 0);
        assertThat(values(all(index, fuzzyPrefix), Tag.StudyInstanceUID)).contains("8.2");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void matchesNamesCaseSensitivelyWhenConfigured(TestDatabase db) throws Exception {
        try (HikariDataSource ds = db.create("archive_index_case")) {
            JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new IndexSettings(0, false, false));
            record(index, instance("C1", "Case^Carl", "9.1", "9.1.1", "9.1.1.1", "CT", Headers.CT));
            assertThat(all(index, studyQuery(keys("PatientName=case*")))).isEmpty();
            assertThat(all(index, studyQuery(keys("PatientName=Case*")))).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void returnsAnyAttributeInAnyCharacterSetAndSequencesByTheirItems(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        DataSet header = instance("J1", "Yamada^Tarou=山田^太郎=やまだ^たろう", "10.1", "10.1.1", "10.1.1.1", "CT", Headers.CT);
        // written in ISO 2022 IR 87 and read back, as a Japanese modality sends it
        header.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 87");
        header.setString(Tag.StudyDescription, VR.LO, "胸部検査");
        header.setString(0x00091010, VR.LO, "private value");
        header.setString(0x00090010, VR.LO, "ACME");
        DataSet item1 = header.newSequence(Tag.AnatomicRegionSequence).addNewItem();
        item1.setString(Tag.CodeValue, VR.SH, "T-D3000");
        item1.setString(Tag.CodeMeaning, VR.LO, "Chest");
        DataSet item2 = new DataSet();
        item2.setString(Tag.CodeValue, VR.SH, "T-D4000");
        item2.setString(Tag.CodeMeaning, VR.LO, "Abdomen");
        header.getSequence(Tag.AnatomicRegionSequence).add(item2);
        DataSet reread = DicomRoundTrip.explicitLittleEndian(header);
        assertThat(reread.encodedCharacterSet()).isEqualTo(SpecificCharacterSet.of("", "ISO 2022 IR 87"));
        record(index, reread);

        DataSet study = all(index, studyQuery(keys("PatientName=やまだ*", "StudyDescription=胸部*"))).get(0);
        assertThat(study.getString(Tag.PatientName)).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
        assertThat(study.getString(Tag.StudyDescription)).isEqualTo("胸部検査");

        DataSet anatomy = new DataSet();
        anatomy.newSequence(Tag.AnatomicRegionSequence).addNewItem().setString(Tag.CodeValue, VR.SH, "T-D4000");
        anatomy.getSequence(Tag.AnatomicRegionSequence).get(0).setNull(Tag.CodeMeaning, VR.LO);
        IndexQuery image = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.IMAGE, anatomy, false, true, false, 0, 0);
        DataSet match = all(index, image).get(0);
        assertThat(match.getString(Tag.SOPInstanceUID)).isEqualTo("10.1.1.1");
        assertThat(match.getSequence(Tag.AnatomicRegionSequence)).singleElement()
                .satisfies(item -> {
                    assertThat(item.getString(Tag.CodeMeaning)).isEqualTo("Abdomen");
                    assertThat(item.contains(Tag.CodeValue)).isTrue();
                });

        IndexQuery everything = new IndexQuery(InformationModel.STUDY_ROOT, QueryLevel.IMAGE,
                keys("SOPInstanceUID=10.1.1.1"), false, true, true, 0, 0);
        DataSet allAttrs = all(index, everything).get(0);
        assertThat(allAttrs.getString(0x00091010)).isEqualTo("private value");
        assertThat(allAttrs.getString(Tag.PatientName)).isEqualTo("Yamada^Tarou=山田^太郎=やまだ^たろう");
        assertThat(allAttrs.getSequence(Tag.AnatomicRegionSequence)).hasSize(2);
        assertThat(allAttrs.contains(Tag.SpecificCharacterSet)).isFalse();
    }

    /** What one of four concurrent writers does; it may throw. */
    private interface Writer {
        void run(int writer) throws Exception;
    }

    /** Runs four writers at once (as four associations would) and waits for all of them. */
    private static void fourWriters(Writer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    work.run(writer);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static IndexQuery patientQuery(DataSet keys) {
        return new IndexQuery(InformationModel.PATIENT_ROOT, QueryLevel.PATIENT, keys, false, false, false, 0, 0);
    }
}
