package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.remote.RemoteAe;
import org.mosaicpacs.api.remote.RemoteAeRegistry;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.DicomClient;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.PresentationContextResult;
import org.mosaicpacs.dicom.net.RoleSelection;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.StoreOptions;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-MOVE and C-GET SCP of the Patient Root and Study Root Query/Retrieve information models
 * (PS3.4 C.4.2, C.4.3): resolves the identifier to stored instances through the index and sends
 * each one as a C-STORE sub-operation, to the Move Destination on a new association (looked up
 * among the configured remote AEs) or, for C-GET, on the requestor's own association over the
 * contexts where it took the SCP role (SCP/SCU Role Selection, PS3.7 D.3.3.4). A pending
 * response with the four sub-operation counts follows each sub-operation.
 *
 * <p>Statuses (PS3.4 C.4.2.1.5, C.4.3.1.4):
 * <ul>
 * <li>FF00 Pending after each sub-operation;</li>
 * <li>0000 Success: every sub-operation succeeded (or nothing matched);</li>
 * <li>B000 Warning: some failed or had warnings, not all failed; Failed SOP Instance UID List;</li>
 * <li>A702 Refused: unable to perform sub-operations: all failed (destination unreachable, no
 *     acceptable transfer syntax...), the first reason in the Error Comment, the failed list;</li>
 * <li>FE00 Cancel after a C-CANCEL, with the remaining count and the failed list;</li>
 * <li>A801 Refused: Move Destination unknown (not a configured remote AE);</li>
 * <li>A701 Refused: unable to calculate number of matches (the index failed);</li>
 * <li>A900 Identifier Does Not Match SOP Class (level missing or unknown, unique key missing or
 *     with wild cards), with Offending Element;</li>
 * <li>C000 Unable to Process: the identifier cannot be decoded;</li>
 * <li>0211 Unrecognized Operation for any other request on these SOP classes.</li>
 * </ul>
 */
final class RetrieveScp implements DimseHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RetrieveScp.class);
    private static final int UNABLE_TO_PROCESS = 0xC000;

    private final ArchiveIndex index;
    private final RemoteAeRegistry remoteAes;
    private final InstanceSender sender;
    private final Function<RemoteAe, DicomClient> tlsClient;

    /**
     * @param tlsClient the client for destinations configured with TLS (the plain one comes from
     *                  the request's context)
     */
    RetrieveScp(ArchiveIndex index, RemoteAeRegistry remoteAes, InstanceSender sender,
                Function<RemoteAe, DicomClient> tlsClient) {
        this.index = index;
        this.remoteAes = remoteAes;
        this.sender = sender;
        this.tlsClient = tlsClient;
    }

    /** Relational retrieval (byte 1, PS3.4 C.5.1.1) is always performed; other options are not. */
    @Override
    public byte[] extendedNegotiation(String sopClassUid, byte[] requested) {
        byte[] reply = new byte[Math.max(1, requested.length)];
        reply[0] = (byte) (requested.length > 0 && requested[0] == 1 ? 1 : 0);
        return reply;
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context)
            throws DimseStatusException, IOException, InterruptedException {
        InformationModel model = RetrieveIdentifier.modelOf(request.sopClassUid());
        boolean move = request.dimse() == Dimse.C_MOVE_RQ;
        if (model == null || !move && request.dimse() != Dimse.C_GET_RQ) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION,
                    request.dimse() + " is not served for " + request.sopClassUid());
        }
        DataSet keys;
        try {
            keys = request.hasDataSet() ? request.dataSet() : null;
        } catch (IOException e) {
            throw new DimseStatusException(UNABLE_TO_PROCESS, "cannot decode the Identifier: " + e.getMessage(), e);
        }
        RetrieveIdentifier identifier = RetrieveIdentifier.parse(model, keys);
        RemoteAe destination = move ? destination(request.moveDestination()) : null;
        List<InstanceRecord> instances;
        try {
            instances = identifier.instances(index);
        } catch (IndexException | IllegalStateException e) {
            LOG.warn("{} from {}: the index failed: {}", request.dimse(), context.association().callingAeTitle(), e.toString());
            throw new DimseStatusException(Status.OUT_OF_RESOURCES_UNABLE_TO_CALCULATE_MATCHES,
                    "the index failed: " + e.getMessage(), e);
        }
        SubOperationProgress progress = new SubOperationProgress(instances.size());
        boolean cancelled = move ? move(request, context, destination, instances, progress)
                : get(context, instances, progress);
        DimseResponse result = progress.finalResponse(cancelled);
        LOG.info("{} of {} instances from {}{}: {}", move ? "C-MOVE" : "C-GET", instances.size(),
                context.association().callingAeTitle(), move ? " to " + destination.aeTitle() : "", result);
        return result;
    }

    private RemoteAe destination(String aeTitle) throws DimseStatusException {
        if (aeTitle == null || aeTitle.isBlank()) {
            throw new DimseStatusException(Status.MOVE_DESTINATION_UNKNOWN, "the C-MOVE names no Move Destination");
        }
        Optional<RemoteAe> ae = remoteAes.find(aeTitle);
        if (ae.isEmpty()) {
            throw new DimseStatusException(Status.MOVE_DESTINATION_UNKNOWN,
                    "Move Destination '" + aeTitle.strip() + "' is not a configured remote AE");
        }
        return ae.get();
    }

    /** C-MOVE: the sub-operations on new associations to the destination. @return true if cancelled */
    private boolean move(DimseRequest request, DimseContext context, RemoteAe destination, List<InstanceRecord> instances,
                         SubOperationProgress progress) throws IOException, InterruptedException {
        Association requestor = context.association();
        StoreOptions options = StoreOptions.moveSubOperation(requestor.callingAeTitle(), request.messageId());
        DicomClient client = destination.tls() ? tlsClient.apply(destination) : context.client();
        for (MoveAssociations plan : MoveAssociations.plan(destination.aeTitle(), requestor.calledAeTitle(), instances)) {
            Association as;
            try {
                as = client.connect(destination.host(), destination.port(), plan.request());
            } catch (IOException e) {
                String reason = "cannot open an association to " + destination.aeTitle() + ": " + e.getMessage();
                LOG.info("C-MOVE from {}: {}", requestor.callingAeTitle(), reason);
                for (InstanceRecord r : plan.instances()) {
                    progress.failed(r.sopInstanceUid(), reason);
                }
                context.sendPending(progress.pending());
                continue;
            }
            try (as) {
                if (store(context, as, plan.instances(), sop -> transferSyntaxes(as, sop, false), options, progress)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** C-GET: the sub-operations on the requestor's association. @return true if cancelled */
    private boolean get(DimseContext context, List<InstanceRecord> instances, SubOperationProgress progress)
            throws IOException, InterruptedException {
        Association requestor = context.association();
        return store(context, requestor, instances, sop -> transferSyntaxes(requestor, sop, true), StoreOptions.DEFAULT,
                progress);
    }

    /** The sub-operations, one after the other, each followed by a pending response. @return true if cancelled */
    private boolean store(DimseContext context, Association target, List<InstanceRecord> instances,
                          Function<String, List<String>> acceptable, StoreOptions options, SubOperationProgress progress)
            throws IOException, InterruptedException {
        for (InstanceRecord r : instances) {
            if (context.isCancelled()) {
                return true;
            }
            try {
                progress.stored(r.sopInstanceUid(), sender.send(target, r, acceptable.apply(r.sopClassUid()), options));
            } catch (SubOperationException e) {
                LOG.info("C-STORE of {} to {} not performed: {}", r.sopInstanceUid(), target.remoteAeTitle(), e.getMessage());
                progress.failed(r.sopInstanceUid(), e.getMessage());
            } catch (IOException e) {
                if (target == context.association()) {
                    throw e; // the requestor's own association failed: nobody left to answer
                }
                LOG.info("C-STORE of {} to {} failed: {}", r.sopInstanceUid(), target.remoteAeTitle(), e.toString());
                progress.failed(r.sopInstanceUid(), "C-STORE to " + target.remoteAeTitle() + " failed: " + e.getMessage());
            }
            context.sendPending(progress.pending());
        }
        return context.isCancelled() && progress.remaining() > 0;
    }

    /**
     * The transfer syntaxes of the accepted contexts usable for C-STOREs of a SOP class, in the
     * acceptor's order. On a C-GET association only contexts of SOP classes for which the
     * requestor took the SCP role (and we agreed) are usable.
     */
    private static List<String> transferSyntaxes(Association as, String sopClass, boolean requestorMustBeScp) {
        if (requestorMustBeScp && !as.accept().userInformation().roleSelection(sopClass).map(RoleSelection::scp)
                .orElse(false)) {
            return List.of();
        }
        List<String> syntaxes = new ArrayList<>();
        for (PresentationContextResult pc : as.acceptedContexts(sopClass)) {
            if (!syntaxes.contains(pc.transferSyntax())) {
                syntaxes.add(pc.transferSyntax());
            }
        }
        return syntaxes;
    }
}
