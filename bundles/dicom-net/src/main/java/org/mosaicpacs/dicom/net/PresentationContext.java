package org.mosaicpacs.dicom.net;

import java.util.List;
import java.util.Objects;

/**
 * A presentation context proposed in an A-ASSOCIATE-RQ (PS3.8 9.3.2.2): an odd identifier 1..255,
 * one abstract syntax (a SOP Class UID) and the transfer syntaxes the requestor can use for it,
 * in its order of preference.
 *
 * @param id odd presentation context identifier, 1 to 255
 * @param abstractSyntax the abstract syntax (SOP Class or Meta SOP Class UID)
 * @param transferSyntaxes one or more transfer syntax UIDs
 */
public record PresentationContext(int id, String abstractSyntax, List<String> transferSyntaxes) {

    public PresentationContext {
        if (id < 1 || id > 255 || id % 2 == 0) {
            throw new IllegalArgumentException("presentation context ID must be odd and 1..255, is " + id);
        }
        Objects.requireNonNull(abstractSyntax, "abstractSyntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (transferSyntaxes.isEmpty()) {
            throw new IllegalArgumentException("presentation context " + id + " proposes no transfer syntax");
        }
    }
}
