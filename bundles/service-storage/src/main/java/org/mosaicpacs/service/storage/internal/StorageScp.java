package org.mosaicpacs.service.storage.internal;

import java.io.InputStream;
import java.net.InetSocketAddress;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Storage Service Class SCP (PS3.4 Annex B): each C-STORE's data set streams into the
 * archive, which stores it as received and commits it and its index rows before this handler
 * answers. Statuses (PS3.4 B.2.3):
 * <ul>
 * <li>0000 Success; B000 Coercion of Data Elements when coercion rules changed the object;</li>
 * <li>A700 Refused: Out of Resources (storage reserve reached);</li>
 * <li>A900 Error: Data Set does not match SOP Class (SOP Class or Instance UID differs from the
 *     command, a required UID is missing);</li>
 * <li>C000 Error: Cannot understand (truncated or malformed data set);</li>
 * <li>0111 Duplicate SOP Instance (only with the REJECT duplicate policy);</li>
 * <li>0110 Processing failure (storage or index failure).</li>
 * </ul>
 * The Error Comment says what was wrong, without patient data.
 */
final class StorageScp implements DimseHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StorageScp.class);

    private final Archive archive;

    StorageScp(Archive archive) {
        this.archive = archive;
    }

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException {
        if (request.dimse() != Dimse.C_STORE_RQ) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION, request.dimse() + " is not served for storage SOP classes");
        }
        Association association = context.association();
        InetSocketAddress peer = association.remoteAddress();
        StoreRequest storeRequest = new StoreRequest("DIMSE", association.callingAeTitle(), association.calledAeTitle(),
                peer == null ? null : peer.getAddress().getHostAddress(), request.transferSyntax(), false,
                request.sopClassUid(), request.sopInstanceUid());
        StoreResult result;
        try (InputStream data = request.dataStream()) {
            result = archive.store(storeRequest, data);
        } catch (ArchiveException e) {
            int status = status(e.reason());
            LOG.info("C-STORE from {} refused with {}: {}", association.callingAeTitle(), Integer.toHexString(status),
                    e.getMessage());
            throw new DimseStatusException(status, e.getMessage());
        } catch (java.io.IOException e) {
            throw new DimseStatusException(Status.PROCESSING_FAILURE, "cannot read the data set: " + e.getMessage(), e);
        }
        if (!result.warnings().isEmpty()) {
            return DimseResponse.of(Status.COERCION_OF_DATA_ELEMENTS).withErrorComment(String.join("; ", result.warnings()));
        }
        return DimseResponse.success();
    }

    /** The C-STORE status for each reason the archive gives (one place, PS3.4 B.2.3). */
    static int status(ArchiveException.Reason reason) {
        return switch (reason) {
            case OUT_OF_RESOURCES -> Status.OUT_OF_RESOURCES;
            case CANNOT_UNDERSTAND -> Status.CANNOT_UNDERSTAND;
            case DATA_SET_MISMATCH, MISSING_ATTRIBUTE -> Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS;
            case DUPLICATE_REJECTED -> Status.DUPLICATE_SOP_INSTANCE;
            // A rejected instance sent again: "Refused: Not authorized" (PS3.7 C.5), a refusal by
            // policy that a sender should not retry. dcm4chee-arc answers A771, which DCMTK, like
            // any SCU that reads the A7xx class, reports as "Refused: Out of Resources": retry later.
            case REJECTED_INSTANCE -> Status.NOT_AUTHORIZED;
            case NOT_FOUND, PROCESSING_FAILURE -> Status.PROCESSING_FAILURE;
        };
    }
}
