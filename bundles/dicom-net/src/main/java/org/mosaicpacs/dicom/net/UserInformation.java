package org.mosaicpacs.dicom.net;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mosaicpacs.dicom.io.FileMetaInformation;

/**
 * User Information item (PS3.8 9.3.2.3, 9.3.3.3 and PS3.7 Annex D.3.3) of an A-ASSOCIATE-RQ or -AC.
 *
 * @param maxPduLength the largest P-DATA-TF PDU variable field the sender of this item can
 *        receive; 0 means no limit (PS3.8 D.1)
 * @param implementationClassUid Implementation Class UID (mandatory)
 * @param implementationVersionName Implementation Version Name, or null
 * @param asyncOperationsWindow the window, or null when the item is absent (synchronous)
 * @param roleSelections SCP/SCU Role Selection items
 * @param extendedNegotiations SOP Class Extended Negotiation items
 * @param commonExtendedNegotiations SOP Class Common Extended Negotiation items (request only)
 * @param userIdentity User Identity Negotiation (request only), or null
 * @param userIdentityServerResponse the acceptor's User Identity server response (accept only), or null
 */
public record UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName,
                              AsyncOperationsWindow asyncOperationsWindow, List<RoleSelection> roleSelections,
                              List<ExtendedNegotiation> extendedNegotiations,
                              List<CommonExtendedNegotiation> commonExtendedNegotiations,
                              UserIdentity userIdentity, byte[] userIdentityServerResponse) {

    public UserInformation {
        if (maxPduLength < 0 || maxPduLength > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("maximum PDU length must fit 32 unsigned bits, is " + maxPduLength);
        }
        Objects.requireNonNull(implementationClassUid, "implementationClassUid");
        if (implementationVersionName != null && implementationVersionName.length() > 16) {
            throw new IllegalArgumentException("Implementation Version Name is limited to 16 characters");
        }
        roleSelections = List.copyOf(roleSelections);
        extendedNegotiations = List.copyOf(extendedNegotiations);
        commonExtendedNegotiations = List.copyOf(commonExtendedNegotiations);
        userIdentityServerResponse = userIdentityServerResponse == null ? null : userIdentityServerResponse.clone();
    }

    /** Only the mandatory items: the given maximum length and Mosaic's implementation UID and version name. */
    public static UserInformation of(long maxPduLength) {
        return new UserInformation(maxPduLength, FileMetaInformation.IMPLEMENTATION_CLASS_UID,
                FileMetaInformation.IMPLEMENTATION_VERSION_NAME,
                null, List.of(), List.of(), List.of(), null, null);
    }

    /** The window, or {@link AsyncOperationsWindow#SYNCHRONOUS} when absent. */
    public AsyncOperationsWindow effectiveAsyncOperationsWindow() {
        return asyncOperationsWindow == null ? AsyncOperationsWindow.SYNCHRONOUS : asyncOperationsWindow;
    }

    /** The role selection for a SOP class, if the item is present. */
    public Optional<RoleSelection> roleSelection(String sopClassUid) {
        return roleSelections.stream().filter(r -> r.sopClassUid().equals(sopClassUid)).findFirst();
    }

    /** The extended negotiation for a SOP class, if the item is present. */
    public Optional<ExtendedNegotiation> extendedNegotiation(String sopClassUid) {
        return extendedNegotiations.stream().filter(r -> r.sopClassUid().equals(sopClassUid)).findFirst();
    }

    /** The common extended negotiation for a SOP class, if the item is present. */
    public Optional<CommonExtendedNegotiation> commonExtendedNegotiation(String sopClassUid) {
        return commonExtendedNegotiations.stream().filter(r -> r.sopClassUid().equals(sopClassUid)).findFirst();
    }

    @Override
    public byte[] userIdentityServerResponse() {
        return userIdentityServerResponse == null ? null : userIdentityServerResponse.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserInformation u && maxPduLength == u.maxPduLength
                && implementationClassUid.equals(u.implementationClassUid)
                && Objects.equals(implementationVersionName, u.implementationVersionName)
                && Objects.equals(asyncOperationsWindow, u.asyncOperationsWindow)
                && roleSelections.equals(u.roleSelections) && extendedNegotiations.equals(u.extendedNegotiations)
                && commonExtendedNegotiations.equals(u.commonExtendedNegotiations)
                && Objects.equals(userIdentity, u.userIdentity)
                && Arrays.equals(userIdentityServerResponse, u.userIdentityServerResponse);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxPduLength, implementationClassUid, implementationVersionName, asyncOperationsWindow,
                roleSelections, extendedNegotiations, commonExtendedNegotiations, userIdentity)
                + Arrays.hashCode(userIdentityServerResponse);
    }

    @Override
    public String toString() {
        return "UserInformation[maxPduLength=" + maxPduLength + ", implementationClassUid=" + implementationClassUid
                + ", implementationVersionName=" + implementationVersionName + ", async=" + asyncOperationsWindow
                + ", roles=" + roleSelections + ", extended=" + extendedNegotiations
                + ", commonExtended=" + commonExtendedNegotiations + ", userIdentity=" + userIdentity
                + (userIdentityServerResponse != null ? ", userIdentityServerResponse=present" : "") + "]";
    }
}
