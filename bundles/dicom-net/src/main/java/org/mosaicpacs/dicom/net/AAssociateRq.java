package org.mosaicpacs.dicom.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.mosaicpacs.dicom.UID;

/**
 * The content of an A-ASSOCIATE-RQ PDU (PS3.8 9.3.2).
 *
 * @param protocolVersion the protocol version bit field; bit 0 is version 1, the only one defined
 * @param calledAeTitle the called AE title (1..16 characters, spaces not significant)
 * @param callingAeTitle the calling AE title
 * @param applicationContext the application context name, {@link #DICOM_APPLICATION_CONTEXT}
 * @param presentationContexts the proposed presentation contexts, with distinct IDs
 * @param userInformation the User Information item
 */
public record AAssociateRq(int protocolVersion, String calledAeTitle, String callingAeTitle, String applicationContext,
                           List<PresentationContext> presentationContexts, UserInformation userInformation) {

    /** The DICOM Application Context Name (PS3.7 A.2.1). */
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public AAssociateRq {
        checkAeTitle(calledAeTitle, "called");
        checkAeTitle(callingAeTitle, "calling");
        Objects.requireNonNull(applicationContext, "applicationContext");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
        boolean[] seen = new boolean[256];
        for (PresentationContext pc : presentationContexts) {
            if (seen[pc.id()]) {
                throw new IllegalArgumentException("presentation context ID " + pc.id() + " proposed twice");
            }
            seen[pc.id()] = true;
        }
    }

    /**
     * Checks an AE title: 1 to 16 characters, not all spaces, no control characters (PS3.5 6.2).
     * Received titles are checked the same way, so a malformed one is a protocol error.
     */
    public static void checkAeTitle(String aeTitle, String which) {
        Objects.requireNonNull(aeTitle, which + " AE title");
        if (aeTitle.isBlank() || aeTitle.length() > 16) {
            throw new IllegalArgumentException(which + " AE title must have 1 to 16 significant characters: '" + aeTitle + "'");
        }
        for (int i = 0; i < aeTitle.length(); i++) {
            char c = aeTitle.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException(which + " AE title has a control character: '" + aeTitle + "'");
            }
        }
    }

    /** The proposed context with this ID, if any. */
    public Optional<PresentationContext> presentationContext(int id) {
        return presentationContexts.stream().filter(pc -> pc.id() == id).findFirst();
    }

    /** A builder for a request from {@code callingAeTitle} to {@code calledAeTitle}. */
    public static Builder builder(String calledAeTitle, String callingAeTitle) {
        return new Builder(calledAeTitle, callingAeTitle);
    }

    /**
     * Builds a request. Presentation context IDs are assigned 1, 3, 5... in the order the
     * contexts are added; the default transfer syntaxes are Explicit and Implicit VR Little Endian.
     */
    public static final class Builder {
        private static final List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

        private final String called;
        private final String calling;
        private final List<PresentationContext> contexts = new ArrayList<>();
        private final List<RoleSelection> roles = new ArrayList<>();
        private final List<ExtendedNegotiation> extended = new ArrayList<>();
        private final List<CommonExtendedNegotiation> commonExtended = new ArrayList<>();
        private long maxPduLength = 65536;
        private String implementationClassUid;
        private String implementationVersionName;
        private AsyncOperationsWindow window;
        private UserIdentity identity;

        private Builder(String called, String calling) {
            this.called = called;
            this.calling = calling;
        }

        /** Proposes a context for a SOP class with Explicit and Implicit VR Little Endian. */
        public Builder presentationContext(String abstractSyntax) {
            return presentationContext(abstractSyntax, UNCOMPRESSED);
        }

        /** Proposes a context for a SOP class with these transfer syntaxes, in order of preference. */
        public Builder presentationContext(String abstractSyntax, String... transferSyntaxes) {
            return presentationContext(abstractSyntax, Arrays.asList(transferSyntaxes));
        }

        /** Proposes a context for a SOP class with these transfer syntaxes, in order of preference. */
        public Builder presentationContext(String abstractSyntax, List<String> transferSyntaxes) {
            int id = 2 * contexts.size() + 1;
            if (id > 255) {
                throw new IllegalStateException("at most 128 presentation contexts can be proposed");
            }
            contexts.add(new PresentationContext(id, abstractSyntax, transferSyntaxes));
            return this;
        }

        /**
         * Proposes a context in which we take the SCP role, e.g. a storage SOP class for the
         * C-STORE sub-operations of a C-GET (PS3.4 C.4.3.1): adds the context and a role selection
         * of SCU no, SCP yes.
         */
        public Builder scpRoleContext(String sopClassUid, String... transferSyntaxes) {
            presentationContext(sopClassUid, transferSyntaxes.length == 0 ? UNCOMPRESSED : Arrays.asList(transferSyntaxes));
            return roleSelection(new RoleSelection(sopClassUid, false, true));
        }

        public Builder roleSelection(RoleSelection role) {
            roles.add(role);
            return this;
        }

        public Builder extendedNegotiation(ExtendedNegotiation negotiation) {
            extended.add(negotiation);
            return this;
        }

        public Builder commonExtendedNegotiation(CommonExtendedNegotiation negotiation) {
            commonExtended.add(negotiation);
            return this;
        }

        /** The largest P-DATA-TF PDU we accept (0 = unlimited; default 65536). */
        public Builder maxPduLength(long length) {
            this.maxPduLength = length;
            return this;
        }

        /** Proposes asynchronous operations (PS3.7 D.3.3.3). */
        public Builder asyncOperationsWindow(int maxInvoked, int maxPerformed) {
            this.window = new AsyncOperationsWindow(maxInvoked, maxPerformed);
            return this;
        }

        public Builder userIdentity(UserIdentity userIdentity) {
            this.identity = userIdentity;
            return this;
        }

        /** Overrides the implementation class UID and version name (tests, vendors embedding us). */
        public Builder implementation(String classUid, String versionName) {
            this.implementationClassUid = classUid;
            this.implementationVersionName = versionName;
            return this;
        }

        public AAssociateRq build() {
            UserInformation defaults = UserInformation.of(maxPduLength);
            UserInformation info = new UserInformation(maxPduLength,
                    implementationClassUid != null ? implementationClassUid : defaults.implementationClassUid(),
                    implementationClassUid != null ? implementationVersionName : defaults.implementationVersionName(),
                    window, roles, extended, commonExtended, identity, null);
            return new AAssociateRq(1, called, calling, DICOM_APPLICATION_CONTEXT, contexts, info);
        }
    }
}
