package org.mosaicpacs.service.query.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.ResponseStream;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.index.jdbc.internal.TestIndex;
import org.mosaicpacs.testing.TestData;

/**
 * What the C-FIND SCP answers besides matches, seen with our SCU on the real index: every
 * malformed identifier gets A900 with an Offending Element and an Error Comment and the
 * association carries on; the configured maximum ends the answer with A700; C-CANCEL ends it with
 * FE00; an index failure is C000; relational queries, combined date-time matching and fuzzy name
 * matching follow SOP Class Extended Negotiation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FindScpStatusTest {

    private static final String STUDY_ROOT = UID.StudyRootQueryRetrieveInformationModelFind;
    private static final String PATIENT_ROOT = UID.PatientRootQueryRetrieveInformationModelFind;

    private ArchiveIndex index;
    private DicomServer server;
    private DicomClient client;
    private volatile ArchiveIndex served;
    private volatile QuerySettings settings = new QuerySettings(0, false, true);

    @BeforeAll
    void start() throws Exception {
        List<java.nio.file.Path> files = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native"));
        index = TestIndex.create("status", files, Map.of()).index();
        served = index;
        // the handler is looked up per request: each test may swap the index or the settings
        DimseHandler scp = (request, context) -> new FindScp(served, settings).handle(request, context);
        DimseHandler negotiating = new DimseHandler() {
            @Override
            public DimseResponse handle(org.mosaicpacs.dicom.net.handler.DimseRequest request,
                                        org.mosaicpacs.dicom.net.handler.DimseContext context) throws Exception {
                return scp.handle(request, context);
            }

            @Override
            public byte[] extendedNegotiation(String sopClassUid, byte[] requested) {
                return QueryNegotiation.reply(requested, settings.relationalQueries());
            }
        };
        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").bindAddress("127.0.0.1").port(0).build(),
                DimseHandlerRegistry.of(Map.of(STUDY_ROOT, negotiating, PATIENT_ROOT, negotiating)));
        server.start();
        client = DicomClient.builder().build();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }

    private Association connect(ExtendedNegotiation... extended) throws Exception {
        AAssociateRq.Builder rq = AAssociateRq.builder("MOSAIC", "STATUSSCU")
                .presentationContext(STUDY_ROOT, UID.ExplicitVRLittleEndian)
                .presentationContext(PATIENT_ROOT, UID.ExplicitVRLittleEndian);
        for (ExtendedNegotiation e : extended) {
            rq.extendedNegotiation(e);
        }
        return client.connect("127.0.0.1", server.port(), rq.build());
    }

    private static DataSet study(String patientName) {
        DataSet keys = new DataSet();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.PatientName, VR.PN, patientName);
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        return keys;
    }

    /** The final response, counting the pending ones. */
    private static Answer find(Association as, String sopClass, DataSet keys) throws Exception {
        try (ResponseStream rs = as.find(sopClass, keys)) {
            int pending = 0;
            for (DimseResponse r; (r = rs.next()) != null; ) {
                if (r.isPending()) {
                    pending++;
                } else {
                    return new Answer(pending, r);
                }
            }
            throw new AssertionError("no final response");
        }
    }

    record Answer(int pending, DimseResponse last) {
        int status() {
            return last.status();
        }

        int[] offending() {
            int[] tags = last.command().getInts(Tag.OffendingElement);
            return tags == null ? new int[0] : tags;
        }
    }

    private static void assertRefused(Association as, DataSet keys, String sopClass, int offending, String comment)
            throws Exception {
        Answer a = find(as, sopClass, keys);
        assertThat(a.status()).as(a.last().toString()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(a.pending()).isZero();
        assertThat(a.last().errorComment()).contains(comment);
        if (offending != 0) {
            assertThat(a.offending()).containsExactly(offending);
        }
        // never a dropped association: the next query works
        assertThat(as.isOpen()).isTrue();
        assertThat(find(as, STUDY_ROOT, study("TORRES*")).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void malformedIdentifiersGetA900AndTheAssociationCarriesOn() throws Exception {
        try (Association as = connect()) {
            DataSet noLevel = study("*");
            noLevel.remove(Tag.QueryRetrieveLevel);
            assertRefused(as, noLevel, STUDY_ROOT, Tag.QueryRetrieveLevel, "Query/Retrieve Level (0008,0052) is missing");

            DataSet unknown = study("*");
            unknown.setString(Tag.QueryRetrieveLevel, VR.CS, "FRAME");
            assertRefused(as, unknown, STUDY_ROOT, Tag.QueryRetrieveLevel, "Query/Retrieve Level 'FRAME' is unknown");

            DataSet patientInStudyRoot = study("*");
            patientInStudyRoot.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
            assertRefused(as, patientInStudyRoot, STUDY_ROOT, Tag.QueryRetrieveLevel, "Study Root model has no PATIENT");

            DataSet wrongVr = study("*");
            wrongVr.remove(Tag.PatientName);
            wrongVr.setInt(Tag.PatientName, VR.US, 7);
            assertRefused(as, wrongVr, STUDY_ROOT, Tag.PatientName, "PatientName (0010,0010) has VR US, not PN");

            DataSet badDate = study("*");
            badDate.setString(Tag.StudyDate, VR.DA, "20201345");
            Answer a = find(as, STUDY_ROOT, badDate);
            assertThat(a.status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
            assertThat(a.last().errorComment()).contains("StudyDate").doesNotContain("20201345");

            DataSet seriesWithoutStudy = new DataSet();
            seriesWithoutStudy.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
            seriesWithoutStudy.setString(Tag.Modality, VR.CS, "SR");
            assertRefused(as, seriesWithoutStudy, STUDY_ROOT, Tag.StudyInstanceUID,
                    "SERIES query needs a value of StudyInstanceUID");

            DataSet studyWithoutPatient = new DataSet();
            studyWithoutPatient.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
            studyWithoutPatient.setString(Tag.PatientID, VR.LO, "PAT*");
            assertRefused(as, studyWithoutPatient, PATIENT_ROOT, Tag.PatientID, "STUDY query needs a value of PatientID");
        }
    }

    @Test
    void relationalQueriesFollowTheNegotiation() throws Exception {
        DataSet srSeries = new DataSet();
        srSeries.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
        srSeries.setString(Tag.Modality, VR.CS, "SR");
        srSeries.setNull(Tag.SeriesInstanceUID, VR.UI);
        try (Association as = connect(new ExtendedNegotiation(STUDY_ROOT, new byte[] {1, 1, 0}))) {
            assertThat(as.accept().userInformation().extendedNegotiation(STUDY_ROOT).orElseThrow().information())
                    .containsExactly(1, 1, 0);
            Answer a = find(as, STUDY_ROOT, srSeries);
            assertThat(a.status()).isEqualTo(Status.SUCCESS);
            assertThat(a.pending()).isEqualTo(3); // one SR series in each CT study
        }
        settings = new QuerySettings(0, false, false);
        try (Association as = connect(new ExtendedNegotiation(STUDY_ROOT, new byte[] {1}))) {
            assertThat(as.accept().userInformation().extendedNegotiation(STUDY_ROOT).orElseThrow().information())
                    .containsExactly(0);
            assertThat(find(as, STUDY_ROOT, srSeries).status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        } finally {
            settings = new QuerySettings(0, false, true);
        }
    }

    @Test
    void combinedDateTimeMatchingWhenNegotiated() throws Exception {
        // the CT study of PAT000003 was made on 2022-09-12 at 10:56:35: inside 2022-09-11 11:00 to
        // 2022-09-12 12:00 as one date-time range, outside 11:00-12:00 as a time of day (C.2.2.2.5)
        DataSet keys = new DataSet();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyDate, VR.DA, "20220911-20220912");
        keys.setString(Tag.StudyTime, VR.TM, "110000-120000");
        keys.setNull(Tag.StudyInstanceUID, VR.UI);
        try (Association separate = connect()) {
            Answer a = find(separate, STUDY_ROOT, keys);
            assertThat(a.status()).isEqualTo(Status.SUCCESS);
            assertThat(a.pending()).isZero();
        }
        try (Association combined = connect(new ExtendedNegotiation(STUDY_ROOT, new byte[] {0, 1}))) {
            assertThat(combined.accept().userInformation().extendedNegotiation(STUDY_ROOT).orElseThrow().information())
                    .containsExactly(0, 1);
            Answer a = find(combined, STUDY_ROOT, keys);
            assertThat(a.status()).isEqualTo(Status.SUCCESS);
            assertThat(a.pending()).isEqualTo(1);
        }
    }

    @Test
    void fuzzyPersonNamesWhenNegotiatedOrConfigured() throws Exception {
        try (Association plain = connect()) {
            assertThat(find(plain, STUDY_ROOT, study("TORES^SANDRA")).pending()).isZero();
        }
        try (Association fuzzy = connect(new ExtendedNegotiation(STUDY_ROOT, new byte[] {0, 0, 1}))) {
            assertThat(fuzzy.accept().userInformation().extendedNegotiation(STUDY_ROOT).orElseThrow().information())
                    .containsExactly(0, 0, 1);
            Answer a = find(fuzzy, STUDY_ROOT, study("TORES^SANDRA"));
            assertThat(a.status()).isEqualTo(Status.SUCCESS);
            assertThat(a.pending()).isEqualTo(2);
        }
        settings = new QuerySettings(0, true, true);
        try (Association plain = connect()) {
            assertThat(find(plain, STUDY_ROOT, study("TORES^SANDRA")).pending()).isEqualTo(2);
        } finally {
            settings = new QuerySettings(0, false, true);
        }
    }

    @Test
    void tooManyMatchesEndWithA700AfterTheMaximum() throws Exception {
        settings = new QuerySettings(5, false, true);
        try (Association as = connect()) {
            Answer a = find(as, STUDY_ROOT, study("*"));
            assertThat(a.pending()).isEqualTo(5);
            assertThat(a.status()).isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(a.last().errorComment()).isEqualTo("more than 5 matches, only those were sent: narrow the query");
        } finally {
            settings = new QuerySettings(0, false, true);
        }
    }

    @Test
    void cancelStopsTheStream() throws Exception {
        served = new SlowIndex(index);
        try (Association as = connect(new ExtendedNegotiation(STUDY_ROOT, new byte[] {1}))) {
            DataSet everyImage = new DataSet();
            everyImage.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
            everyImage.setNull(Tag.SOPInstanceUID, VR.UI);
            try (ResponseStream rs = as.find(STUDY_ROOT, everyImage)) {
                assertThat(rs.next().isPending()).isTrue();
                long start = System.nanoTime();
                rs.cancel();
                int pending = 1;
                DimseResponse last;
                while ((last = rs.next()).isPending()) {
                    pending++;
                }
                assertThat(last.status()).isEqualTo(Status.CANCEL);
                assertThat(pending).isLessThan(10);
                assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
            }
            assertThat(find(as, STUDY_ROOT, study("TORRES*")).status()).isEqualTo(Status.SUCCESS);
        } finally {
            served = index;
        }
    }

    @Test
    void anIndexFailureIsC000() throws Exception {
        served = new FailingIndex(index);
        try (Association as = connect()) {
            Answer a = find(as, STUDY_ROOT, study("*"));
            assertThat(a.status()).isEqualTo(0xC000);
            assertThat(a.last().errorComment()).contains("the index failed: connection refused");
        } finally {
            served = index;
        }
    }

    /** Delegates everything; subclasses change queries. */
    private static class DelegatingIndex implements ArchiveIndex {
        final ArchiveIndex delegate;

        DelegatingIndex(ArchiveIndex delegate) {
            this.delegate = delegate;
        }

        @Override
        public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid,
                                    java.time.Instant received, boolean replaceExisting) throws IndexException {
            return delegate.record(header, object, transferSyntaxUid, received, replaceExisting);
        }

        @Override
        public Optional<InstanceRecord> findInstance(String sopInstanceUid) throws IndexException {
            return delegate.findInstance(sopInstanceUid);
        }

        @Override
        public List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) throws IndexException {
            return delegate.findInstances(studyInstanceUid, seriesInstanceUid);
        }

        @Override
        public QueryResults query(IndexQuery query) throws IndexException {
            return delegate.query(query);
        }

        @Override
        public Optional<InstanceRecord> removeInstance(String sopInstanceUid) throws IndexException {
            return delegate.removeInstance(sopInstanceUid);
        }
    }

    /** Each match takes 100 ms to come: a cancel arrives while matches are still being read. */
    private static final class SlowIndex extends DelegatingIndex {
        SlowIndex(ArchiveIndex delegate) {
            super(delegate);
        }

        @Override
        public QueryResults query(IndexQuery query) throws IndexException {
            QueryResults results = delegate.query(query);
            return new QueryResults() {
                @Override
                public boolean limitReached() {
                    return results.limitReached();
                }

                @Override
                public void close() {
                    results.close();
                }

                @Override
                public boolean hasNext() {
                    return results.hasNext();
                }

                @Override
                public DataSet next() {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return results.next();
                }
            };
        }
    }

    private static final class FailingIndex extends DelegatingIndex {
        FailingIndex(ArchiveIndex delegate) {
            super(delegate);
        }

        @Override
        public QueryResults query(IndexQuery query) throws IndexException {
            throw new IndexException("connection refused", new SQLException("connection refused"));
        }
    }
}
