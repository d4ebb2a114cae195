package org.mosaicpacs.dicom.net.internal;

import org.mosaicpacs.dicom.net.AAssociateRq;

/** Lets tests outside this package reuse the full request of {@link PduCodecTest}. */
public final class PduCodecTestAccess {

    private PduCodecTestAccess() {
    }

    public static AAssociateRq fullRequest() {
        return PduCodecTest.fullRequest();
    }
}
