package org.mosaicpacs.service.commitment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.api.archive.StoredInstance;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.index.RecordOutcome;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.DicomServer;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;

/**
 * The Storage Commitment SCP over real associations (our DICOM network library on both ends):
 * committed and failed references, the report on the same association, and on a new one when
 * the requester has gone. The independent SCU (dcmjs-dimse) test runs against the distribution.
 */
class StorageCommitmentScpTest {

    private static final byte[] OBJECT = {1, 2, 3, 4};
    private final Map<String, InstanceRecord> records = new ConcurrentHashMap<>();
    private final Map<String, RemoteAe> remotes = new ConcurrentHashMap<>();
    private DicomServer server;
    private DicomClient client;

    @BeforeEach
    void start() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(OBJECT));
        records.put("1.2.3.1", record("1.2.3.1", UID.CTImageStorage, sha));
        records.put("1.2.3.2", record("1.2.3.2", UID.MRImageStorage, sha));
        records.put("1.2.3.3", record("1.2.3.3", UID.CTImageStorage, "0000")); // bytes altered since ingest
        StorageCommitmentScp scp = new StorageCommitmentScp(index(), archive(), registry(), config(false));
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
            eventTypes.add(request.eventOrActionTypeId());
            reports.add(request.dataSet());
            return DimseResponse.success();
        };
        AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
        try (Association association = client.connect("127.0.0.1", server.port(), rq,
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            DimseResponse rsp = association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                    request("2.25.1", List.of(UID.CTImageStorage, "1.2.3.1", UID.CTImageStorage, "1.2.3.2",
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
        }
    }

    @Test
    void reportGoesOnANewAssociationWhenTheRequesterHasLeft() throws Exception {
        BlockingQueue<DataSet> reports = new ArrayBlockingQueue<>(1);
        DimseHandler receiver = (request, context) -> {
            reports.add(request.dataSet());
            return DimseResponse.success();
        };
        try (DicomServer requesterScp = new DicomServer(ServerOptions.builder().aeTitles("MODALITY").port(0).build(),
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            requesterScp.start();
            remotes.put("MODALITY", new RemoteAe("MODALITY", "127.0.0.1", requesterScp.port(), false, ""));
            AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
            Association association = client.connect("127.0.0.1", server.port(), rq);
            DimseResponse rsp = association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 1,
                    request("2.25.2", List.of(UID.CTImageStorage, "1.2.3.1")));
            assertThat(rsp.status()).isEqualTo(Status.SUCCESS);
            association.abort(); // the modality does not wait
            DataSet report = reports.poll(20, TimeUnit.SECONDS);
            assertThat(report).as("N-EVENT-REPORT on a new association to the configured AE").isNotNull();
            assertThat(report.getString(Tag.TransactionUID)).isEqualTo("2.25.2");
            assertThat(report.getSequence(Tag.ReferencedSOPSequence)).hasSize(1);
            assertThat(report.contains(Tag.FailedSOPSequence)).isFalse();
        }
    }

    @Test
    void badRequestsGetTheStatusesPs34Names() throws Exception {
        AAssociateRq rq = AAssociateRq.builder("MOSAIC", "MODALITY").presentationContext(UID.StorageCommitmentPushModel).build();
        BlockingQueue<DataSet> reports = new ArrayBlockingQueue<>(1);
        DimseHandler receiver = (request, context) -> {
            reports.add(request.dataSet());
            return DimseResponse.success();
        };
        try (Association association = client.connect("127.0.0.1", server.port(), rq,
                DimseHandlerRegistry.of(Map.of(UID.StorageCommitmentPushModel, receiver)))) {
            DataSet ok = request("2.25.3", List.of(UID.CTImageStorage, "1.2.3.1"));
            assertThat(association.nAction(UID.StorageCommitmentPushModel, "1.2.3.4.5", 1, ok).status())
                    .isEqualTo(Status.NO_SUCH_SOP_INSTANCE);
            assertThat(association.nAction(UID.StorageCommitmentPushModel, UID.StorageCommitmentPushModelInstance, 7, ok)
                    .status()).isEqualTo(Status.NO_SUCH_ACTION_TYPE);
            DataSet noTransaction = request("2.25.4", List.of(UID.CTImageStorage, "1.2.3.1"));
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

    private static DataSet request(String transactionUid, List<String> classAndInstance) {
        DataSet ds = new DataSet();
        ds.setString(Tag.TransactionUID, VR.UI, transactionUid);
        Sequence seq = ds.newSequence(Tag.ReferencedSOPSequence);
        for (int i = 0; i < classAndInstance.size(); i += 2) {
            DataSet item = seq.addNewItem();
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, classAndInstance.get(i));
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, classAndInstance.get(i + 1));
        }
        return ds;
    }

    private static InstanceRecord record(String sop, String cuid, String checksum) {
        return new InstanceRecord("1.2.3", "1.2.3.0", sop, cuid, UID.ExplicitVRLittleEndian, "fs", sop + ".dcm",
                OBJECT.length, "SHA-256", checksum, Instant.now());
    }

    private ArchiveIndex index() {
        return new ArchiveIndex() {
            @Override
            public RecordOutcome record(DataSet header, StoredObject object, String ts, Instant received, boolean replace) {
                throw new IllegalStateException("not used by commitment");
            }

            @Override
            public Optional<InstanceRecord> findInstance(String sop) {
                return Optional.ofNullable(records.get(sop));
            }

            @Override
            public List<InstanceRecord> findInstances(String study, String series) {
                return List.copyOf(records.values());
            }

            @Override
            public QueryResults query(IndexQuery query) {
                throw new IllegalStateException("not used by commitment");
            }

            @Override
            public Optional<InstanceRecord> removeInstance(String sop) {
                return Optional.empty();
            }
        };
    }

    private Archive archive() {
        return new Archive() {
            @Override
            public StoreResult store(StoreRequest request, InputStream stream) {
                throw new IllegalStateException("not used by commitment");
            }

            @Override
            public StoredInstance open(String sop) throws ArchiveException {
                InstanceRecord r = records.get(sop);
                if (r == null) {
                    throw new ArchiveException(ArchiveException.Reason.NOT_FOUND, "no " + sop);
                }
                InputStream in = new ByteArrayInputStream(OBJECT);
                return new StoredInstance() {
                    @Override
                    public InstanceRecord record() {
                        return r;
                    }

                    @Override
                    public InputStream stream() {
                        return in;
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }
                };
            }
        };
    }

    private RemoteAeRegistry registry() {
        return new RemoteAeRegistry() {
            @Override
            public Optional<RemoteAe> find(String aeTitle) {
                return Optional.ofNullable(remotes.get(aeTitle));
            }

            @Override
            public List<RemoteAe> all() {
                return List.copyOf(remotes.values());
            }
        };
    }

    private static StorageCommitmentScp.Config config(boolean alwaysNew) {
        return new StorageCommitmentScp.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageCommitmentScp.Config.class;
            }

            @Override
            public boolean verifyChecksums() {
                return true;
            }

            @Override
            public boolean alwaysNewAssociation() {
                return alwaysNew;
            }
        };
    }
}
