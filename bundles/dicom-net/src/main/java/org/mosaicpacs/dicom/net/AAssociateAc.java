package org.mosaicpacs.dicom.net;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The content of an A-ASSOCIATE-AC PDU (PS3.8 9.3.3).
 *
 * @param protocolVersion protocol version bit field (bit 0: version 1)
 * @param calledAeTitle as received in the request (not tested on receipt, PS3.8 9.3.3)
 * @param callingAeTitle as received in the request
 * @param applicationContext the application context name
 * @param presentationContexts one result per proposed context
 * @param userInformation the acceptor's User Information
 */
public record AAssociateAc(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContext,
                           List<PresentationContextResult> presentationContexts, UserInformation userInformation) {

    public AAssociateAc {
        Objects.requireNonNull(calledAeTitle, "calledAeTitle");
        Objects.requireNonNull(callingAeTitle, "callingAeTitle");
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    /** The result for the context with this ID, if any. */
    public Optional<PresentationContextResult> presentationContext(int id) {
        return presentationContexts.stream().filter(pc -> pc.id() == id).findFirst();
    }
}
