package org.mosaicpacs.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.testing.TestData;

/**
 * Our SCU against our acceptor for every DIMSE service: C-FIND streamed and cancelled, C-MOVE to a
 * new association, C-GET with C-STORE sub-operations on the same association, the DIMSE-N services
 * with an N-EVENT-REPORT after the N-ACTION response, asynchronous operations, and a failing
 * handler turned into a status.
 */
class DimseServicesTest {

    static final String PRIVATE_SOP_CLASS = "1.2.826.0.1.3680043.10.1445.99.1";

    static DicomServer server;
    static DicomServer destination;
    private static TestStorage destinationStorage;
    private static DicomClient client;
    private static Path ct;
    private static final AtomicInteger concurrentEchoes = new AtomicInteger();
    private static volatile CountDownLatch echoBarrier = new CountDownLatch(0);

    @BeforeAll
    static void start() throws Exception {
        ct = TestData.realFilesDir().resolve("test_files/CT_small.dcm");
        destinationStorage = new TestStorage(Path.of("target", "services", "moved").toAbsolutePath());
        destination = TestHandlers.start(TestHandlers.options().aeTitles("DEST").build(),
                Map.of(UID.CTImageStorage, destinationStorage));

        DimseHandler echo = (request, context) -> {
            concurrentEchoes.incrementAndGet();
            CountDownLatch barrier = echoBarrier;
            barrier.countDown();
            if (!barrier.await(10, TimeUnit.SECONDS)) {
                throw new DimseStatusException(Status.PROCESSING_FAILURE, "echoes did not run concurrently");
            }
            return DimseResponse.success();
        };
        DimseHandler find = (request, context) -> {
            DataSet keys = request.dataSet();
            int n = 0;
            while (!context.isCancelled()) {
                DataSet match = new DataSet();
                match.setString(Tag.QueryRetrieveLevel, VR.CS, keys.getString(Tag.QueryRetrieveLevel));
                match.setString(Tag.PatientID, VR.LO, "P" + n++);
                context.sendPending(DimseResponse.pending(match));
                Thread.sleep(5);
                if (n > 10_000) {
                    return DimseResponse.success();
                }
            }
            return DimseResponse.of(Status.CANCEL);
        };
        DimseHandler move = (request, context) -> {
            if (!"DEST".equals(request.moveDestination())) {
                throw new DimseStatusException(Status.MOVE_DESTINATION_UNKNOWN, "unknown " + request.moveDestination());
            }
            AAssociateRq rq = AAssociateRq.builder("DEST", context.association().calledAeTitle())
                    .presentationContext(UID.CTImageStorage).build();
            try (Association sub = context.client().connect("127.0.0.1", destination.port(), rq)) {
                DimseResponse r = sub.store(ct, StoreOptions.moveSubOperation(context.association().callingAeTitle(),
                        request.messageId()));
                return DimseResponse.of(r.isSuccess() ? Status.SUCCESS : Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES)
                        .withSubOperations(new DimseResponse.SubOperations(0, r.isSuccess() ? 1 : 0, r.isSuccess() ? 0 : 1, 0));
            }
        };
        DimseHandler get = (request, context) -> {
            context.sendPending(DimseResponse.of(Status.PENDING).withSubOperations(new DimseResponse.SubOperations(1, 0, 0, 0)));
            DimseResponse r = context.association().store(ct);
            return DimseResponse.of(r.isSuccess() ? Status.SUCCESS : Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES)
                    .withSubOperations(new DimseResponse.SubOperations(0, r.isSuccess() ? 1 : 0, r.isSuccess() ? 0 : 1, 0));
        };
        Map<String, DataSet> instances = new java.util.concurrent.ConcurrentHashMap<>();
        DimseHandler normalized = (request, context) -> switch (request.dimse()) {
            case N_CREATE_RQ -> {
                String uid = request.sopInstanceUid() != null ? request.sopInstanceUid() : "1.2.3.4." + instances.size();
                instances.put(uid, request.dataSet().deepCopy());
                yield DimseResponse.success().withAffectedSopInstanceUid(uid);
            }
            case N_SET_RQ -> {
                DataSet stored = instances.get(request.sopInstanceUid());
                if (stored == null) {
                    throw new DimseStatusException(Status.NO_SUCH_SOP_INSTANCE, "no " + request.sopInstanceUid());
                }
                stored.addAll(request.dataSet());
                yield DimseResponse.success();
            }
            case N_GET_RQ -> DimseResponse.success().withDataSet(instances.get(request.sopInstanceUid()));
            case N_ACTION_RQ -> {
                String uid = request.sopInstanceUid();
                context.afterResponse(as -> {
                    try {
                        DataSet info = new DataSet();
                        info.setString(Tag.TransactionUID, VR.UI, uid);
                        as.nEventReport(PRIVATE_SOP_CLASS, uid, 1, info);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                yield DimseResponse.success();
            }
            case N_DELETE_RQ -> instances.remove(request.sopInstanceUid()) != null ? DimseResponse.success()
                    : DimseResponse.of(Status.NO_SUCH_SOP_INSTANCE);
            default -> throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION, "not " + request.dimse());
        };
        DimseHandler failing = (request, context) -> {
            throw new IllegalStateException("disk on fire");
        };
        server = TestHandlers.start(TestHandlers.options().build(), Map.of(
                UID.Verification, echo,
                UID.StudyRootQueryRetrieveInformationModelFind, find,
                UID.StudyRootQueryRetrieveInformationModelMove, move,
                UID.StudyRootQueryRetrieveInformationModelGet, get,
                PRIVATE_SOP_CLASS, normalized,
                UID.MRImageStorage, failing));
        client = DicomClient.builder().build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        destination.close();
    }

    private static DataSet studyKeys() {
        DataSet keys = new DataSet();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
        return keys;
    }

    @Test
    void findStreamsMatchesUntilCancelled() throws Exception {
        try (Association as = client.connect("127.0.0.1", server.port(), TestHandlers.rq()
                .presentationContext(UID.StudyRootQueryRetrieveInformationModelFind).build())) {
            DimseResponse last;
            try (ResponseStream responses = as.find(UID.StudyRootQueryRetrieveInformationModelFind, studyKeys())) {
                for (int i = 0; i < 3; i++) {
                    DimseResponse r = responses.next();
                    assertThat(r.isPending()).isTrue();
                    assertThat(r.dataSet().getString(Tag.PatientID)).isEqualTo("P" + i);
                }
                responses.cancel();
                last = responses.finalResponse();
            }
            assertThat(last.status()).isEqualTo(Status.CANCEL);
            // closing a stream before its end cancels it too, and the association stays usable
            try (ResponseStream responses = as.find(UID.StudyRootQueryRetrieveInformationModelFind, studyKeys())) {
                assertThat(responses.next().isPending()).isTrue();
            }
            try (ResponseStream responses = as.find(UID.StudyRootQueryRetrieveInformationModelFind, studyKeys())) {
                assertThat(responses.next().isPending()).isTrue();
                responses.cancel();
                assertThat(responses.finalResponse().isCancel()).isTrue();
            }
        }
    }

    @Test
    void moveOpensAnAssociationToTheDestination() throws Exception {
        try (Association as = client.connect("127.0.0.1", server.port(), TestHandlers.rq()
                .presentationContext(UID.StudyRootQueryRetrieveInformationModelMove).build());
             ResponseStream responses = as.move(UID.StudyRootQueryRetrieveInformationModelMove, "DEST", studyKeys())) {
            DimseResponse r = responses.finalResponse();
            assertThat(r.isSuccess()).as(r.toString()).isTrue();
            assertThat(r.subOperations().completed()).isEqualTo(1);
            assertThat(destinationStorage.callingAeTitles).containsValue("MOSAIC");
        }
        try (Association as = client.connect("127.0.0.1", server.port(), TestHandlers.rq()
                .presentationContext(UID.StudyRootQueryRetrieveInformationModelMove).build());
             ResponseStream responses = as.move(UID.StudyRootQueryRetrieveInformationModelMove, "NOWHERE", studyKeys())) {
            DimseResponse r = responses.finalResponse();
            assertThat(r.status()).isEqualTo(Status.MOVE_DESTINATION_UNKNOWN);
            assertThat(r.errorComment()).isEqualTo("unknown NOWHERE");
        }
    }

    @Test
    void getSendsStoresOnTheSameAssociation() throws Exception {
        TestStorage got = new TestStorage(Path.of("target", "services", "got").toAbsolutePath());
        AAssociateRq rq = TestHandlers.rq().presentationContext(UID.StudyRootQueryRetrieveInformationModelGet)
                .scpRoleContext(UID.CTImageStorage, UID.ExplicitVRLittleEndian).build();
        try (Association as = client.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), rq,
                DimseHandlerRegistry.of(Map.of(UID.CTImageStorage, got)));
             ResponseStream responses = as.get(UID.StudyRootQueryRetrieveInformationModelGet, studyKeys())) {
            assertThat(as.accept().userInformation().roleSelection(UID.CTImageStorage))
                    .contains(new RoleSelection(UID.CTImageStorage, false, true));
            DimseResponse pending = responses.next();
            assertThat(pending.isPending()).isTrue();
            assertThat(pending.subOperations().remaining()).isEqualTo(1);
            DimseResponse last = responses.finalResponse();
            assertThat(last.isSuccess()).as(last.toString()).isTrue();
            assertThat(got.received).hasSize(1);
            // our SCP role received the file's data set byte for byte (Trailing Padding included)
            assertThat(DcmtkInteropTest.dataSetBytes(got.received.values().iterator().next()))
                    .isEqualTo(DcmtkInteropTest.dataSetBytes(ct));
        }
    }

    @Test
    void normalizedServicesAndAnEventReportAfterTheAction() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        DimseHandler eventReceiver = (request, context) -> {
            events.add(request.dimse() + " " + request.eventOrActionTypeId() + " "
                    + request.dataSet().getString(Tag.TransactionUID));
            return DimseResponse.success();
        };
        try (Association as = client.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()),
                TestHandlers.rq().presentationContext(PRIVATE_SOP_CLASS).build(),
                DimseHandlerRegistry.of(Map.of(PRIVATE_SOP_CLASS, eventReceiver)))) {
            DataSet attrs = new DataSet();
            attrs.setString(Tag.PatientID, VR.LO, "123");
            DimseResponse created = as.nCreate(PRIVATE_SOP_CLASS, null, attrs);
            assertThat(created.isSuccess()).isTrue();
            String uid = created.command().getString(Tag.AffectedSOPInstanceUID);
            assertThat(uid).isNotNull();
            DataSet change = new DataSet();
            change.setString(Tag.PatientName, VR.PN, "Doe^Jane");
            assertThat(as.nSet(PRIVATE_SOP_CLASS, uid, change).isSuccess()).isTrue();
            assertThat(as.nSet(PRIVATE_SOP_CLASS, "9.9.9", change).status()).isEqualTo(Status.NO_SUCH_SOP_INSTANCE);
            DimseResponse got = as.nGet(PRIVATE_SOP_CLASS, uid, Tag.PatientID, Tag.PatientName);
            assertThat(got.dataSet().getString(Tag.PatientName)).isEqualTo("Doe^Jane");
            assertThat(as.nAction(PRIVATE_SOP_CLASS, uid, 1, null).isSuccess()).isTrue();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("N-EVENT-REPORT-RQ 1 " + uid);
            assertThat(as.nDelete(PRIVATE_SOP_CLASS, uid).isSuccess()).isTrue();
            assertThat(as.nDelete(PRIVATE_SOP_CLASS, uid).status()).isEqualTo(Status.NO_SUCH_SOP_INSTANCE);
        }
    }

    @Test
    void specializedSopClassIsServedByItsGeneralClassHandler() throws Exception {
        String specialized = "1.2.826.0.1.3680043.10.1445.99.2";
        AAssociateRq rq = AAssociateRq.builder("DEST", "TESTSCU").presentationContext(specialized)
                .commonExtendedNegotiation(new CommonExtendedNegotiation(specialized, "1.2.840.10008.4.2",
                        List.of(UID.CTImageStorage)))
                .build();
        try (Association as = client.connect("127.0.0.1", destination.port(), rq)) {
            DataSet ds = new DataSet();
            ds.setString(Tag.SOPClassUID, VR.UI, specialized);
            ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5.6.7");
            assertThat(as.store(specialized, "1.2.3.4.5.6.7", ds).isSuccess()).isTrue();
            assertThat(destinationStorage.received).containsKey("1.2.3.4.5.6.7");
        }
    }

    @Test
    void aFailingHandlerBecomesAStatusNotADroppedAssociation() throws Exception {
        Path mr = TestData.realFilesDir().resolve("test_files/MR_small.dcm");
        try (Association as = client.connect("127.0.0.1", server.port(), TestHandlers.rq()
                .presentationContext(UID.MRImageStorage).presentationContext(UID.Verification).build())) {
            DimseResponse r = as.store(mr);
            assertThat(r.status()).isEqualTo(Status.STORE_UNABLE_TO_PROCESS);
            assertThat(r.errorComment()).isEqualTo("IllegalStateException: disk on fire");
            assertThat(as.store(mr).status()).isEqualTo(Status.STORE_UNABLE_TO_PROCESS);
            assertThat(as.isOpen()).isTrue();
        }
    }

    @Test
    void asynchronousOperationsRunConcurrently() throws Exception {
        int window = 4;
        echoBarrier = new CountDownLatch(window);
        AAssociateRq rq = TestHandlers.rq().presentationContext(UID.Verification).asyncOperationsWindow(window, 1).build();
        ExecutorService threads = Executors.newFixedThreadPool(window);
        try (Association as = client.connect("127.0.0.1", server.port(), rq)) {
            assertThat(as.accept().userInformation().asyncOperationsWindow()).isEqualTo(new AsyncOperationsWindow(window, 1));
            List<Future<DimseResponse>> echoes = new java.util.ArrayList<>();
            for (int i = 0; i < window; i++) {
                echoes.add(threads.submit(as::echo));
            }
            // each handler waits until all four run at once: only possible with the window honoured
            for (Future<DimseResponse> f : echoes) {
                assertThat(f.get(20, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
        } finally {
            threads.shutdownNow();
            echoBarrier = new CountDownLatch(0);
        }
    }
}
