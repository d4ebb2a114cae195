package org.mosaicpacs.service.commitment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;

/**
 * The Storage Commitment SCP over real associations (our DICOM network library on both ends):
 * committed and failed references, the report on the same association, and on a new one when
 * the requester has gone. The independent SCU (dcmjs-dimse) and the tshark capture are in
 * {@link StorageCommitmentInteropTest}.
 */
class StorageCommitmentScpTest {

    private final CommitmentFixture archive = new CommitmentFixture();
    private DicomServer server;
    private DicomClient client;

    @BeforeEach
    void start() throws Exception {
        archive.store(UID.CTImageStorage, "1.2.3.1");
        archive.store(UID.MRImageStorage, "1.2.3.2");
        archive.store(UID.CTImageStorage, "1.2.3.3");
        archive.alter("1.2.3.3");
        archive.storeWithSha256(UID.CTImageStorage, "1.2.3.4");
        archive.storeWithSha256(UID.CTImageStorage, "1.2.3.5");
        archive.alter("1.2.3.5");
        StorageCommitmentScp scp = archive.scp(false);
        server = new DicomServer(ServerOptions.builder().aeTitles("MOSAIC").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, scp)));
        server.start();
        client = DicomClient.builder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void reportOnTheSameAssociationListsCommittedAndFailedInstances() throws Exception {
        BlockingQueue<DataSet> reports = new ArrayBlockingQueue<>(1);
        BlockingQueue<Integer> eventTypes = new ArrayBlockingQueue<>(1);
        DimseHandler receiver = (request, context) -> {
            // recorded once the N-EVENT-REPORT-RSP is sent: releasing before would strand it (PS3.8 Sta7/Sta8)
            DataSet report = request.dataSet();
            context.afterResponse(a -> {
                eventTypes.add(request.eventOrActionTypeId());
                reports.add(report);
            });
            return DimseResponse.success();
        };
        AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
        try (Association association = client.connect("127.0.0.1", server.port(), rq,
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            DimseResponse rsp = association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                    CommitmentFixture.request("2.25.1", List.of(UID.CTImageStorage, "1.2.3.1", UID.CTImageStorage, "1.2.3.2",
                            UID.CTImageStorage, "1.2.3.3", UID.CTImageStorage, "1.2.3.9")));
            assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
            DataSet report = reports.poll(20, TimeUnit.SECONDS);
            assertThat(report).as("N-EVENT-REPORT on the same association").isNotNull();
            assertThat(eventTypes.poll()).isEqualTo(CommitmentVerifier.FAILURES_EXIST);
            assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.1");
            Sequence ok = report.getSequence(Tag.ReferencedSOPSequence);
            assertThat(ok).hasSize(1);
            assertThat(ok.get(0).getString(Tag.ReferencedSOPInstanceUID)).isEqualTo("1.2.3.1");
            Sequence failed = report.getSequence(Tag.FailedSOPSequence);
            assertThat(failed).extracting(i -> i.getString(Tag.ReferencedSOPInstanceUID) + ":" + i.getInt(Tag.FailureReason, -1))
                    .containsExactly("1.2.3.2:" + CommitmentVerifier.CLASS_INSTANCE_CONFLICT,
                            "1.2.3.3:" + Status.PROCESSING_FAILURE, "1.2.3.9:" + Status.NO_SUCH_SOP_INSTANCE);

            DimseResponse second = association.nAction(UID.StorageCommitmentPushModel,
                    UID.StorageCommitmentPushModelInstance, 1, CommitmentFixture.request("2.25.11",
                            List.of(UID.CTImageStorage, "1.2.3.1", UID.MRImageStorage, "1.2.3.2")));
            assertThat(second.status()).isEqualTo(Status.SUCCESS);
            DataSet allCommitted = reports.poll(20, TimeUnit.SECONDS);
            assertThat(allCommitted).as("second report on the same association").isNotNull();
            assertThat(eventTypes.poll()).isEqualTo(CommitmentVerifier.ALL_SUCCESSFUL);
            assertThat(allCommitted.getString(Tag.TransactionUID)).isEqualTo("2.25.11");
            assertThat(allCommitted.getSequence(Tag.ReferencedSOPSequence))
                    .extracting(i -> i.getString(Tag.ReferencedSOPInstanceUID)).containsExactly("1.2.3.1", "1.2.3.2");
            assertThat(allCommitted.contains(Tag.FailedSOPSequence)).isFalse();
        }
    }

    @Test
    void objectsStoredWithSha256BeforeCrc32cAreStillVerified() throws Exception {
        BlockingQueue<DataSet> reports = new ArrayBlockingQueue<>(1);
        DimseHandler receiver = reportsTo(reports);
        AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
        try (Association association = client.connect("127.0.0.1", server.port(), rq,
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            DimseResponse rsp = association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                    CommitmentFixture.request("2.25.2", List.of(UID.CTImageStorage, "1.2.3.1", UID.CTImageStorage, "1.2.3.4",
                            UID.CTImageStorage, "1.2.3.5")));
            assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
            DataSet report = reports.poll(20, TimeUnit.SECONDS);
            assertThat(report).as("N-EVENT-REPORT").isNotNull();
            assertThat(report.getSequence(Tag.ReferencedSOPSequence))
                    .extracting(i -> i.getString(Tag.ReferencedSOPInstanceUID)).containsExactly("1.2.3.1", "1.2.3.4");
            assertThat(report.getSequence(Tag.FailedSOPSequence))
                    .extracting(i -> i.getString(Tag.ReferencedSOPInstanceUID) + ":" + i.getInt(Tag.FailureReason, -1))
                    .containsExactly("1.2.3.5:" + Status.PROCESSING_FAILURE);
        }
    }

    /**
     * A requester that takes no N-EVENT-REPORT on its own association (our client without a
     * handler answers 0122, as a modality without role reversal does) still gets the report: on a
     * new association to its configured AE.
     */
    @Test
    void aReportRefusedOnTheRequestsAssociationGoesOnANewOne() throws Exception {
        BlockingQueue<String> eventTypeAndCaller = new ArrayBlockingQueue<>(2);
        DimseHandler receiver = (request, context) -> {
            context.afterResponse(a -> eventTypeAndCaller.add(request.eventOrActionTypeId() + " from " + a.callingAeTitle()));
            return DimseResponse.success();
        };
        try (DicomServer requesterScp = requesterScp(receiver)) {
            AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
            try (Association association = client.connect("127.0.0.1", server.port(), rq)) {
                DimseResponse rsp = association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance,
                        1, CommitmentFixture.request("2.25.3", List.of(UID.CTImageStorage, "1.2.3.1")));
                assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
                assertThat(eventTypeAndCaller.poll(20, TimeUnit.SECONDS)).as("N-EVENT-REPORT on a new association")
                        .isEqualTo(CommitmentVerifier.ALL_SUCCESSFUL + " from MOSAIC");
                assertThat(association.isOpen()).as("the request's association is left alone").isTrue();
            }
        }
    }

    @Test
    void reportGoesOnANewAssociationWhenTheRequesterHasLeft() throws Exception {
        BlockingQueue<DataSet> reports = new ArrayBlockingQueue<>(1);
        BlockingQueue<String> eventTypeAndCaller = new ArrayBlockingQueue<>(1);
        DimseHandler receiver = (request, context) -> {
            DataSet report = request.dataSet();
            context.afterResponse(a -> {
                eventTypeAndCaller.add(request.eventOrActionTypeId() + " from " + a.callingAeTitle());
                reports.add(report);
            });
            return DimseResponse.success();
        };
        try (DicomServer requesterScp = requesterScp(receiver)) {
            AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
            Association association = client.connect("127.0.0.1", server.port(), rq);
            DimseResponse rsp = association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                    CommitmentFixture.request("2.25.2", List.of(UID.CTImageStorage, "1.2.3.1")));
            assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
            association.abort(); // the modality does not wait
            DataSet report = reports.poll(20, TimeUnit.SECONDS);
            assertThat(report).as("N-EVENT-REPORT on a new association to the configured AE").isNotNull();
            assertThat(eventTypeAndCaller.poll()).isEqualTo(CommitmentVerifier.ALL_SUCCESSFUL + " from MOSAIC");
            assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.2");
            assertThat(report.getSequence(Tag.ReferencedSOPSequence)).hasSize(1);
            assertThat(report.contains(Tag.FailedSOPSequence)).isFalse();
        }
    }

    @Test
    void badRequestsGetTheStatusesPs34Names() throws Exception {
        AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
        BlockingQueue<DataSet> reports = new ArrayBlockingQueue<>(1);
        DimseHandler receiver = reportsTo(reports);
        try (Association association = client.connect("127.0.0.1", server.port(), rq,
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            DataSet ok = CommitmentFixture.request("2.25.3", List.of(UID.CTImageStorage, "1.2.3.1"));
            assertThat(association.nAction(UID.StorageCommitmentPushModel, "1.2.3.4.5", 1, ok).status())
                    .isEqualTo(Status.NO_SUCH_SOP_INSTANCE);
            assertThat(association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 7, ok)
                    .status()).isEqualTo(Status.NO_SUCH_ACTION_TYPE);
            DataSet noTransaction = CommitmentFixture.request("2.25.4", List.of(UID.CTImageStorage, "1.2.3.1"));
            noTransaction.remove(Tag.TransactionUID);
            DimseResponse missing = association.nAction(UID.StorageCommitmentPushModel,
                    UID.StorageCommitmentPushModelInstance, 1, noTransaction);
            assertThat(missing.status()).isEqualTo(Status.MISSING_ATTRIBUTE);
            assertThat(missing.errorComment()).contains("Transaction UID");
            assertThat(association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1, ok)
                    .status()).as("the association goes on").isEqualTo(Status.SUCCESS);
            assertThat(reports.poll(20, TimeUnit.SECONDS)).isNotNull();
        }
    }

    /** The requester's N-EVENT-REPORT SCP: each report is queued once its response is sent (PS3.8 Sta7/Sta8). */
    private static DimseHandler reportsTo(BlockingQueue<DataSet> reports) {
        return (request, context) -> {
            DataSet report = request.dataSet();
            context.afterResponse(a -> reports.add(report));
            return DimseResponse.success();
        };
    }

    /** The requester's own SCP, started and configured as remote AE MODALITY: where reports go on a new association. */
    private DicomServer requesterScp(DimseHandler receiver) throws Exception {
        DicomServer scp = new DicomServer(ServerOptions.builder().aeTitles("MODALITY").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)));
        scp.start();
        archive.addRemote(new RemoteAe("MODALITY", "127.0.0.1", scp.port(), false, ""));
        return scp;
    }
}
