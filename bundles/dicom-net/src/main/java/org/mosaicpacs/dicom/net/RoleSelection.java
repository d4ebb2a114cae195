package org.mosaicpacs.dicom.net;

import java.util.Objects;

/**
 * SCP/SCU Role Selection sub-item (PS3.7 D.3.3.4). In a request: the roles the requestor proposes
 * to take for the SOP class; in an accept: the roles the acceptor agrees the requestor takes.
 * A C-GET SCU proposes {@code scp = true} for each storage SOP class it wants to receive.
 *
 * @param sopClassUid the SOP class the roles apply to
 * @param scu the requestor acts as SCU
 * @param scp the requestor acts as SCP
 */
public record RoleSelection(String sopClassUid, boolean scu, boolean scp) {

    public RoleSelection {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
    }
}
