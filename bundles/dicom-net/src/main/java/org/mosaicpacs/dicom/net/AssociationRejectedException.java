package org.mosaicpacs.dicom.net;

import java.io.IOException;

/** The peer answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ. */
public final class AssociationRejectedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final AAssociateRj reject;

    public AssociationRejectedException(AAssociateRj reject, String peer) {
        super("association rejected by " + peer + ": " + reject);
        this.reject = reject;
    }

    public AAssociateRj reject() {
        return reject;
    }
}
