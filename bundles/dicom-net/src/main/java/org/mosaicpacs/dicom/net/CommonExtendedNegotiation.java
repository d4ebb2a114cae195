package org.mosaicpacs.dicom.net;

import java.util.List;
import java.util.Objects;

/**
 * SOP Class Common Extended Negotiation sub-item (PS3.7 D.3.3.6), request only: the service class
 * of a (possibly private) SOP class and the general SOP classes it specializes. The acceptor uses
 * it to accept a specialized SOP class it has no handler for through a handler of a related
 * general SOP class.
 *
 * @param sopClassUid the proposed SOP class
 * @param serviceClassUid its service class (e.g. Storage, 1.2.840.10008.4.2)
 * @param relatedGeneralSopClasses the general SOP classes it specializes, possibly none
 */
public record CommonExtendedNegotiation(String sopClassUid, String serviceClassUid,
                                        List<String> relatedGeneralSopClasses) {

    public CommonExtendedNegotiation {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(serviceClassUid, "serviceClassUid");
        relatedGeneralSopClasses = List.copyOf(relatedGeneralSopClasses);
    }
}
