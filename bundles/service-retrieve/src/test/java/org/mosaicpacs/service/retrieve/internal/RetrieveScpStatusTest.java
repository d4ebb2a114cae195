package org.mosaicpacs.service.retrieve.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.mosaicpacs.api.remote.RemoteAe;
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
import org.mosaicpacs.dicom.net.ResponseStream;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.index.jdbc.internal.TestIndex;
import org.mosaicpacs.testing.Ports;
import org.mosaicpacs.testing.TestData;

/**
 * The retrieve SCP's statuses seen with our SCU: malformed identifiers (A900), an unknown (A801)
 * or unreachable (A702, every UID listed) destination, a failing index (A701), C-CANCEL during a
 * C-MOVE (FE00 with the remaining count), and C-GET sub-operations that can only go where the
 * requestor took the SCP role (B000 listing the others, A702 when there is none).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetrieveScpStatusTest {

    private static final String STUDY_MOVE = UID.StudyRootQueryRetrieveInformationModelMove;
    private static final String STUDY_GET = UID.StudyRootQueryRetrieveInformationModelGet;

    private ArchiveIndex index;
    private volatile ArchiveIndex served;
    private RetrieveTestServer scp;
    private DicomServer slowDestination;
    private final AtomicInteger slowStores = new AtomicInteger();
    private DicomClient client;
    private CorpusFiles corpus;

    @BeforeAll
    void start() throws Exception {
        Path mixed = TestData.mixedCorpus();
        corpus = new CorpusFiles(mixed);
        index = TestIndex.create("retrieve-status", TestData.dicomFilesUnder(mixed.resolve("native")), Map.of()).index();
        served = index;
        scp = new RetrieveTestServer(new DelegatingIndex() {
            @Override
            ArchiveIndex delegate() {
                return served;
            }
        });
        // a destination that takes 200 ms per object: a C-CANCEL arrives while the C-MOVE still runs
        DimseHandler slowStorage = (request, context) -> {
            try (InputStream in = request.dataStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            slowStores.incrementAndGet();
            Thread.sleep(200);
            return DimseResponse.success();
        };
        slowDestination = new DicomServer(ServerOptions.builder().aeTitles("SLOW").bindAddress("127.0.0.1").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.CTImageStorage, slowStorage, UID.MRImageStorage, slowStorage,
                        UID.SecondaryCaptureImageStorage, slowStorage, UID.BasicTextSRStorage, slowStorage)));
        slowDestination.start();
        scp.remoteAes.put("SLOW", new RemoteAe("SLOW", "127.0.0.1", slowDestination.port(), false, ""));
        scp.remoteAes.put("NOBODY", new RemoteAe("NOBODY", "127.0.0.1", Ports.free(), false, ""));
        client = DicomClient.builder().build();
    }

    @AfterAll
    void stop() {
        client.close();
        slowDestination.close();
        scp.close();
    }

    private Association connect() throws Exception {
        return client.connect("127.0.0.1", scp.port(), AAssociateRq.builder("MOSAIC", "STATUSSCU")
                .presentationContext(STUDY_MOVE, UID.ExplicitVRLittleEndian).build());
    }

    private static DataSet study(String uid) {
        DataSet keys = new DataSet();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyInstanceUID, VR.UI, uid);
        return keys;
    }

    /** The final response and how many pending ones came before it. */
    private record Answer(int pending, DimseResponse last) {
        List<String> failedUids() {
            return last.dataSet() == null ? List.of() : List.of(last.dataSet().getStrings(Tag.FailedSOPInstanceUIDList));
        }
    }

    private static Answer finish(ResponseStream rs) throws Exception {
        int pending = 0;
        for (DimseResponse r; (r = rs.next()) != null; ) {
            if (!r.isPending()) {
                return new Answer(pending, r);
            }
            pending++;
        }
        throw new AssertionError("no final response");
    }

    private Answer move(Association as, String destination, DataSet keys) throws Exception {
        try (ResponseStream rs = as.move(STUDY_MOVE, destination, keys)) {
            return finish(rs);
        }
    }

    @Test
    void malformedIdentifiersGetA900() throws Exception {
        try (Association as = connect()) {
            DataSet noLevel = study(corpus.studies("PAT000001").get(0));
            noLevel.remove(Tag.QueryRetrieveLevel);
            assertA900(move(as, "SLOW", noLevel), Tag.QueryRetrieveLevel, "Query/Retrieve Level (0008,0052) is missing");

            DataSet patientInStudyRoot = study(corpus.studies("PAT000001").get(0));
            patientInStudyRoot.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
            assertA900(move(as, "SLOW", patientInStudyRoot), Tag.QueryRetrieveLevel, "Study Root model has no PATIENT");

            DataSet noUid = new DataSet();
            noUid.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
            assertA900(move(as, "SLOW", noUid), Tag.SeriesInstanceUID, "SERIES retrieve needs a value of SeriesInstanceUID");

            assertA900(move(as, "SLOW", study("1.2.3*")), Tag.StudyInstanceUID, "must name entities, not match them");
            assertThat(as.isOpen()).isTrue();
        }
    }

    private static void assertA900(Answer a, int offending, String comment) {
        assertThat(a.last().status()).as(a.last().toString()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(a.last().errorComment()).contains(comment);
        assertThat(a.last().command().getInts(Tag.OffendingElement)).containsExactly(offending);
    }

    @Test
    void unknownAndUnreachableDestinations() throws Exception {
        String study = corpus.studies("PAT000003").get(0);
        try (Association as = connect()) {
            Answer unknown = move(as, "STRANGER", study(study));
            assertThat(unknown.last().status()).isEqualTo(Status.MOVE_DESTINATION_UNKNOWN);
            assertThat(unknown.last().errorComment()).isEqualTo("Move Destination 'STRANGER' is not a configured remote AE");

            Answer unreachable = move(as, "NOBODY", study(study));
            assertThat(unreachable.last().status()).isEqualTo(Status.OUT_OF_RESOURCES_UNABLE_TO_PERFORM_SUB_OPERATIONS);
            assertThat(unreachable.last().errorComment()).startsWith("cannot open an association to NOBODY");
            List<String> all = index.findInstances(study, null).stream().map(InstanceRecord::sopInstanceUid).toList();
            assertThat(unreachable.failedUids()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(unreachable.last().subOperations()).isEqualTo(new DimseResponse.SubOperations(-1, 0, all.size(), 0));
        }
    }

    @Test
    void anIndexFailureIsA701() throws Exception {
        served = new DelegatingIndex() {
            @Override
            ArchiveIndex delegate() {
                return index;
            }

            @Override
            public List<InstanceRecord> findInstances(String study, String series) throws IndexException {
                throw new IndexException("connection refused", new SQLException("connection refused"));
            }
        };
        try (Association as = connect()) {
            Answer a = move(as, "SLOW", study(corpus.studies("PAT000003").get(0)));
            assertThat(a.last().status()).isEqualTo(Status.OUT_OF_RESOURCES_UNABLE_TO_CALCULATE_MATCHES);
            assertThat(a.last().errorComment()).contains("connection refused");
        } finally {
            served = index;
        }
    }

    @Test
    void cancelEndsAMoveWithTheRemainingCount() throws Exception {
        String study = corpus.studies("PAT000001").get(0);
        int total = index.findInstances(study, null).size();
        try (Association as = connect(); ResponseStream rs = as.move(STUDY_MOVE, "SLOW", study(study))) {
            DimseResponse first = rs.next();
            assertThat(first.isPending()).isTrue();
            assertThat(first.subOperations().remaining()).isEqualTo(total - 1);
            rs.cancel();
            Answer a = finish(rs);
            assertThat(a.last().status()).isEqualTo(Status.CANCEL);
            DimseResponse.SubOperations counts = a.last().subOperations();
            assertThat(counts.remaining()).isPositive();
            assertThat(counts.completed() + counts.remaining()).isEqualTo(total);
            assertThat(slowStores.get()).isLessThan(total);
        }
    }

    @Test
    void getSendsOnlyWhereTheRequestorTookTheScpRole() throws Exception {
        String study = corpus.studies("PAT000003").get(0); // CT study: CT images, an SC and an SR
        List<InstanceRecord> instances = index.findInstances(study, null);
        AtomicInteger received = new AtomicInteger();
        DimseHandler storage = (request, context) -> {
            try (InputStream in = request.dataStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            received.incrementAndGet();
            return DimseResponse.success();
        };
        AAssociateRq ctOnly = AAssociateRq.builder("MOSAIC", "GETSCU").presentationContext(STUDY_GET)
                .scpRoleContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian)
                .presentationContext(UID.SecondaryCaptureImageStorage, UID.ExplicitVRLittleEndian) // no role selection
                .build();
        try (Association as = client.connect("127.0.0.1", scp.port(), ctOnly,
                DimseHandlerRegistry.of(Map.of(UID.CTImageStorage, storage)));
             ResponseStream rs = as.get(STUDY_GET, study(study))) {
            Answer a = finish(rs);
            List<String> notCt = instances.stream().filter(r -> !r.sopClassUid().equals(UID.CTImageStorage))
                    .map(InstanceRecord::sopInstanceUid).toList();
            assertThat(notCt).isNotEmpty();
            assertThat(a.last().status()).isEqualTo(Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES);
            assertThat(a.failedUids()).containsExactlyInAnyOrderElementsOf(notCt);
            assertThat(a.last().subOperations().completed()).isEqualTo(instances.size() - notCt.size())
                    .isEqualTo(received.get());
            assertThat(a.pending()).isEqualTo(instances.size());
        }
        AAssociateRq noRole = AAssociateRq.builder("MOSAIC", "GETSCU").presentationContext(STUDY_GET).build();
        try (Association as = client.connect("127.0.0.1", scp.port(), noRole, DimseHandlerRegistry.empty());
             ResponseStream rs = as.get(STUDY_GET, study(study))) {
            Answer a = finish(rs);
            assertThat(a.last().status()).isEqualTo(Status.OUT_OF_RESOURCES_UNABLE_TO_PERFORM_SUB_OPERATIONS);
            assertThat(a.last().errorComment()).contains("accepted no presentation context for");
            assertThat(a.failedUids()).hasSize(instances.size());
        }
    }

    /** An index that forwards to {@link #delegate()}, looked up at each call. */
    private abstract static class DelegatingIndex implements ArchiveIndex {
        abstract ArchiveIndex delegate();

        @Override
        public RecordOutcome record(DataSet header, StoredObject object, String transferSyntaxUid,
                                    java.time.Instant received, boolean replaceExisting) throws IndexException {
            return delegate().record(header, object, transferSyntaxUid, received, replaceExisting);
        }

        @Override
        public Optional<InstanceRecord> findInstance(String sopInstanceUid) throws IndexException {
            return delegate().findInstance(sopInstanceUid);
        }

        @Override
        public List<InstanceRecord> findInstances(String studyInstanceUid, String seriesInstanceUid) throws IndexException {
            return delegate().findInstances(studyInstanceUid, seriesInstanceUid);
        }

        @Override
        public QueryResults query(IndexQuery query) throws IndexException {
            return delegate().query(query);
        }

        @Override
        public Optional<InstanceRecord> removeInstance(String sopInstanceUid) throws IndexException {
            return delegate().removeInstance(sopInstanceUid);
        }
    }
}
