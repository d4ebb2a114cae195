package org.mosaicpacs.service.verification.internal;

import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.Dimse;
import org.mosaicpacs.dicom.net.DimseResponse;
import org.mosaicpacs.dicom.net.DimseStatusException;
import org.mosaicpacs.dicom.net.Status;
import org.mosaicpacs.dicom.net.handler.DimseContext;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerProperties;
import org.mosaicpacs.dicom.net.handler.DimseRequest;
import org.osgi.service.component.annotations.Component;

/**
 * The Verification SCP (PS3.4 Annex A): answers C-ECHO. While this service is registered the
 * acceptor accepts presentation contexts for the Verification SOP Class; when it is stopped,
 * they are rejected (abstract syntax not supported).
 *
 * <p>Statuses: {@code 0000} Success for C-ECHO-RQ; {@code 0211} Unrecognized Operation for any
 * other request on this SOP class.
 */
@Component(service = DimseHandler.class)
@DimseHandlerProperties(sopclass = UID.Verification)
public final class VerificationService implements DimseHandler {

    @Override
    public DimseResponse handle(DimseRequest request, DimseContext context) throws DimseStatusException {
        if (request.dimse() != Dimse.C_ECHO_RQ) {
            throw new DimseStatusException(Status.UNRECOGNIZED_OPERATION,
                    "Verification performs C-ECHO only, not " + request.dimse());
        }
        return DimseResponse.success();
    }
}
