package org.mosaicpacs.dicom.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * SOP Class Extended Negotiation sub-item (PS3.7 D.3.3.5): service-class-specific application
 * information, e.g. the Query/Retrieve options of PS3.4 C.5.1.1.
 *
 * @param sopClassUid the SOP class it applies to
 * @param information the Service-class-application-information bytes (copied)
 */
public record ExtendedNegotiation(String sopClassUid, byte[] information) {

    public ExtendedNegotiation {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        information = information.clone();
    }

    /** A copy of the application information. */
    @Override
    public byte[] information() {
        return information.clone();
    }

    /** The byte at {@code index}, or 0 if the information is shorter (absent fields mean "not supported"). */
    public int byteAt(int index) {
        return index < information.length ? information[index] & 0xFF : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedNegotiation e && sopClassUid.equals(e.sopClassUid)
                && Arrays.equals(information, e.information);
    }

    @Override
    public int hashCode() {
        return 31 * sopClassUid.hashCode() + Arrays.hashCode(information);
    }

    @Override
    public String toString() {
        return "ExtendedNegotiation[" + sopClassUid + ", " + Arrays.toString(information) + "]";
    }
}
