package org.mosaicpacs.service.commitment.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.RoleSelection;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerProperties;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage Commitment Push Model SCP (PS3.4 Annex J). The N-ACTION (Request Storage Commitment)
 * is answered at once; the instances are then checked (indexed, same SOP class, stored bytes
 * matching their ingest checksum) and the result is sent as an N-EVENT-REPORT: on the same
 * association while the requester keeps it open, otherwise on a new association to the
 * requester's AE as configured in the remote AE registry (we propose the SCP role, PS3.4 J.3.3).
 *
 * <p>Statuses of the N-ACTION-RSP: 0000 Success; 0112 No Such SOP Instance (not the well-known
 * instance 1.2.840.10008.1.20.1.1); 0123 No Such Action Type (not 1); 0120 Missing Attribute
 * (no Transaction UID or Referenced SOP Sequence); 0106 Invalid Attribute Value (an item without
 * its UIDs). Failure Reasons in the report (PS3.4 J.3.3.1.1.1): 0112 No such object instance, 0119
 * Class/Instance conflict, 0110 Processing failure (unreadable or altered object).
 */
@Component(service = DimseHandler.class, configurationPid = StorageCommitmentScp.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@DimseHandlerProperties(sopclass = UID.StorageCommitmentPushModel)
@Designate(ocd = StorageCommitmentScp.Config.class)
public class StorageCommitmentScp implements DimseHandler {

    static final String PID = "org.mosaicpacs.service.commitment";
    private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentScp.class);
    private static final int REQUEST_STORAGE_COMMITMENT = 1;

    @ObjectClassDefinition(name = "Mosaic Storage Commitment SCP", description = "How commitment is decided and reported.")
    public @interface Config {

        @AttributeDefinition(name = "Verify checksums", description = "Read every object back and compare it with its "
                + "ingest checksum before committing it.")
        boolean verifyChecksums() default true;

        @AttributeDefinition(name = "Always report on a new association", description = "Send the N-EVENT-REPORT on a new "
                + "association to the requester's configured AE even when the request's association is still open.")
        boolean alwaysNewAssociation() default false;
    }

    private final CommitmentVerifier verifier;
    private final RemoteAeRegistry remotes;
    private final boolean alwaysNewAssociation;

    @Activate
    public StorageCommitmentScp(@Reference ArchiveIndex index, @Reference Archive archive,
                                @Reference RemoteAeRegistry remotes, Config config) {
        this.verifier = new CommitmentVerifier(index, archive, config.verifyChecksums());
        this.remotes = remotes;
        this.alwaysNewAssociation = config.alwaysNewAssociation();
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws Exception {
        if (request.dimse() != Dimse.N_ACTION_RQ) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION, request.dimse() + " is not part of Storage Commitment");
        }
        if (!UID.StorageCommitmentPushModelInstance.equals(request.sopInstanceUid())) {
            throw new DimseStatusException(Status.NO_SUCH_SOP_INSTANCE, "requested instance must be 1.2.840.10008.1.20.1.1");
        }
        if (request.eventOrActionTypeId() != REQUEST_STORAGE_COMMITMENT) {
            throw new DimseStatusException(Status.NO_SUCH_ACTION_TYPE, "only action type 1 (request commitment) exists");
        }
        DataSet info = request.dataSet();
        String transactionUid = info == null ? null : info.getString(Tag.TransactionUID);
        if (transactionUid == null || transactionUid.isBlank()) {
            throw new DimseStatusException(DimseResponse.of(Status.MISSING_ATTRIBUTE)
                    .withErrorComment("Transaction UID missing").withOffendingElements(Tag.TransactionUID));
        }
        List<CommitmentVerifier.Reference> references = references(info);
        String requester = context.association().callingAeTitle();
        String ourAe = context.association().calledAeTitle();
        LOG.info("Storage commitment requested by {} for {} instance(s)", requester, references.size());
        context.afterResponse(association -> report(association, context, requester, ourAe, transactionUid, references));
        return DimseResponse.success();
    }

    private static List<CommitmentVerifier.Reference> references(DataSet info) throws DimseStatusException {
        Sequence seq = info.getSequence(Tag.ReferencedSOPSequence);
        if (seq == null || seq.isEmpty()) {
            throw new DimseStatusException(DimseResponse.of(Status.MISSING_ATTRIBUTE)
                    .withErrorComment("Referenced SOP Sequence missing or empty").withOffendingElements(Tag.ReferencedSOPSequence));
        }
        List<CommitmentVerifier.Reference> refs = new ArrayList<>(seq.size());
        for (DataSet item : seq) {
            String cuid = item.getString(Tag.ReferencedSOPClassUID);
            String iuid = item.getString(Tag.ReferencedSOPInstanceUID);
            if (cuid == null || iuid == null) {
                throw new DimseStatusException(DimseResponse.of(Status.INVALID_ATTRIBUTE_VALUE)
                        .withErrorComment("a Referenced SOP Sequence item lacks its UIDs")
                        .withOffendingElements(Tag.ReferencedSOPSequence));
            }
            refs.add(new CommitmentVerifier.Reference(cuid.trim(), iuid.trim()));
        }
        return refs;
    }

    private void report(Association association, DimseContext context, String requester, String ourAe,
                        String transactionUid, List<CommitmentVerifier.Reference> references) {
        CommitmentVerifier.Report report = verifier.verify(transactionUid, references, ourAe);
        LOG.info("Storage commitment for {}: {} committed, {} failed", requester, report.committed(), report.failed());
        if (!alwaysNewAssociation && association.isOpen()) {
            try {
                DimseResponse rsp = association.nEventReport(UID.StorageCommitmentPushModel,
                        UID.StorageCommitmentPushModelInstance, report.eventTypeId(), report.eventInformation());
                if (!rsp.isFailure()) {
                    logAnswer(requester, rsp);
                    return;
                }
                // Refused here, typically 0122: a requester that takes reports only where it is the
                // SCP of an association it accepts (no role reversal on its own association,
                // PS3.4 J.3.3). The report is not delivered yet.
                LOG.info("{} refused the storage commitment report on the request's association (status {}: {}); "
                        + "opening a new one", requester, Integer.toHexString(rsp.status()), rsp.errorComment());
            } catch (IOException e) {
                LOG.info("Storage commitment report to {} could not go on the request's association ({}); "
                        + "opening a new one", requester, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        reportOnNewAssociation(context, requester, ourAe, report);
    }

    private void reportOnNewAssociation(DimseContext context, String requester, String ourAe,
                                        CommitmentVerifier.Report report) {
        Optional<RemoteAe> remote = remotes.find(requester);
        if (remote.isEmpty()) {
            LOG.error("Storage commitment report for {} is lost: the association closed and {} is not a configured "
                    + "remote AE (mosaic:ae-add)", requester, requester);
            return;
        }
        RemoteAe ae = remote.get();
        AAssociateRq rq = AAssociateRq.builder(ae.aeTitle(), ourAe)
                .presentationContext(UID.StorageCommitmentPushModel)
                // We send the N-EVENT-REPORT, so we propose to act as SCP (PS3.4 J.3.3).
                .roleSelection(new RoleSelection(UID.StorageCommitmentPushModel, false, true))
                .build();
        try (Association association = context.client().connect(ae.host(), ae.port(), rq)) {
            DimseResponse rsp = association.nEventReport(UID.StorageCommitmentPushModel,
                    UID.StorageCommitmentPushModelInstance, report.eventTypeId(), report.eventInformation());
            logAnswer(requester, rsp);
        } catch (IOException e) {
            LOG.error("Storage commitment report to {} at {}:{} failed: {}", requester, ae.host(), ae.port(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void logAnswer(String requester, DimseResponse rsp) {
        if (!rsp.isSuccess()) {
            LOG.warn("{} answered the storage commitment report with status {}: {}", requester,
                    Integer.toHexString(rsp.status()), rsp.errorComment());
        }
    }
}
