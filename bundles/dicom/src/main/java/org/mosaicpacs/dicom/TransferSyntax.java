package org.mosaicpacs.dicom;

import java.util.List;
import java.util.Objects;

/**
 * How a data set is encoded (PS3.5 Section 10 and Annex A): implicit or explicit VR, byte order,
 * whether the data set is deflated and whether Pixel Data is encapsulated.
 *
 * @param uid the Transfer Syntax UID
 * @param explicitVR true if each element header carries its VR
 * @param bigEndian true for Explicit VR Big Endian (retired, still found in archives)
 * @param deflated true if everything after the File Meta Information is deflated (RFC 1951)
 * @param encapsulated true if Pixel Data is a sequence of fragments (compressed syntaxes)
 */
public record TransferSyntax(String uid, boolean explicitVR, boolean bigEndian, boolean deflated,
                             boolean encapsulated) {

    /** Implicit VR Little Endian, the DICOM default (PS3.5 A.1). */
    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.ImplicitVRLittleEndian, false, false, false, false);
    /** Explicit VR Little Endian (PS3.5 A.2). */
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.ExplicitVRLittleEndian, true, false, false, false);
    /** Explicit VR Big Endian (PS3.5 A.3, retired). */
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax(UID.ExplicitVRBigEndian, true, true, false, false);
    /** Deflated Explicit VR Little Endian (PS3.5 A.5). */
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax(UID.DeflatedExplicitVRLittleEndian, true, false, true, false);

    /** The syntaxes whose pixel data is native (not encapsulated): the four above. */
    public static final List<TransferSyntax> NATIVE = List.of(IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN,
            EXPLICIT_VR_BIG_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);

    public TransferSyntax {
        Objects.requireNonNull(uid, "uid");
    }

    /**
     * The transfer syntax with this UID. Any UID other than the native ones, the Papyrus implicit
     * syntax and the JPIP referenced syntaxes is taken as Explicit VR Little Endian with
     * encapsulated Pixel Data, which is what every compressed transfer syntax is (PS3.5 A.4).
     */
    public static TransferSyntax of(String uid) {
        String u = Objects.requireNonNull(uid, "uid").strip();
        for (TransferSyntax ts : NATIVE) {
            if (ts.uid.equals(u)) {
                return ts;
            }
        }
        return switch (u) {
            case UID.Papyrus3ImplicitVRLittleEndian -> new TransferSyntax(u, false, false, false, false);
            case UID.JPIPReferenced -> new TransferSyntax(u, true, false, false, false);
            case UID.JPIPReferencedDeflate -> new TransferSyntax(u, true, false, true, false);
            default -> new TransferSyntax(u, true, false, false, true);
        };
    }

    /** The name from the UID registry, or the UID if it is not registered. */
    public String name() {
        return UidRegistry.nameOf(uid);
    }

    @Override
    public String toString() {
        return name();
    }
}
