package org.mosaicpacs.dicom.net.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.mosaicpacs.dicom.UidRegistry;
import org.mosaicpacs.dicom.net.AAssociateAc;
import org.mosaicpacs.dicom.net.AAssociateRj;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.CommonExtendedNegotiation;
import org.mosaicpacs.dicom.net.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.PresentationContext;
import org.mosaicpacs.dicom.net.PresentationContextResult;
import org.mosaicpacs.dicom.net.RoleSelection;
import org.mosaicpacs.dicom.net.ServerOptions;
import org.mosaicpacs.dicom.net.UserInformation;
import org.mosaicpacs.dicom.net.handler.DimseHandler;
import org.mosaicpacs.dicom.net.handler.DimseHandlerRegistry;
import org.mosaicpacs.dicom.net.internal.AssociationImpl.Decision;

/**
 * The acceptor's answer to an A-ASSOCIATE-RQ, derived from the options and from the handlers
 * registered at this moment.
 *
 * <ul>
 * <li>Rejections (PS3.8 9.3.4): unknown application context (permanent, user, 2), called AE title
 *     not ours (permanent, user, 7), calling AE title not allowed (permanent, user, 3), too many
 *     associations (transient, provider presentation, 2 local-limit-exceeded), identity refused
 *     (permanent, user, 1).</li>
 * <li>A context whose requestor is SCU is accepted while a handler serves its abstract syntax (or,
 *     through SOP Class Common Extended Negotiation, a related general SOP class); a context where
 *     the requestor proposes the SCP role (PS3.7 D.3.3.4) is accepted when the association also
 *     gets a C-GET service, which will send it C-STOREs, or when a handler receives what the
 *     requestor as SCP sends (a Storage Commitment N-EVENT-REPORT on a new association, PS3.4
 *     J.3.3). The transfer syntax is the first proposed
 *     one the registry accepts for the SOP class.</li>
 * <li>Asynchronous operations window: the smaller of proposed and configured (PS3.7 D.3.3.3).</li>
 * </ul>
 */
public final class AcceptorPolicy implements AssociationImpl.Negotiator {

    private final Supplier<ServerOptions> options;
    private final DimseHandlerRegistry registry;
    private final IntSupplier activeAssociations;

    public AcceptorPolicy(Supplier<ServerOptions> options, DimseHandlerRegistry registry, IntSupplier activeAssociations) {
        this.options = options;
        this.registry = registry;
        this.activeAssociations = activeAssociations;
    }

    @Override
    public Decision negotiate(AAssociateRq rq, AssociationImpl association) {
        ServerOptions o = options.get();
        if (!AAssociateRq.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            return Decision.reject(new AAssociateRj(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER,
                    AAssociateRj.REASON_APPLICATION_CONTEXT_NOT_SUPPORTED),
                    "application context " + rq.applicationContext() + " is not DICOM's");
        }
        if (!o.aeTitles().isEmpty() && !o.aeTitles().contains(rq.calledAeTitle())) {
            return Decision.reject(AAssociateRj.calledAeNotRecognized(),
                    "called AE title '" + rq.calledAeTitle() + "' is not one of " + o.aeTitles());
        }
        if (!o.allowedCallingAeTitles().isEmpty() && !o.allowedCallingAeTitles().contains(rq.callingAeTitle())) {
            return Decision.reject(AAssociateRj.callingAeNotRecognized(),
                    "calling AE title '" + rq.callingAeTitle() + "' is not in the allow list");
        }
        int active = activeAssociations.getAsInt();
        if (active > o.maxAssociations()) {
            return Decision.reject(AAssociateRj.localLimitExceeded(),
                    active - 1 + " associations already open, the maximum is " + o.maxAssociations());
        }
        byte[] identityResponse = null;
        UserInformation ui = rq.userInformation();
        if (ui.userIdentity() != null && o.userIdentityNegotiator() != null) {
            try {
                byte[] r = o.userIdentityNegotiator().negotiate(ui.userIdentity(), rq.callingAeTitle(),
                        association.remoteAddress());
                identityResponse = ui.userIdentity().positiveResponseRequested() ? r : null;
            } catch (SecurityException e) {
                return Decision.reject(new AAssociateRj(AAssociateRj.REJECTED_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER,
                        AAssociateRj.REASON_NO_REASON_GIVEN), "user identity refused: " + e.getMessage());
            }
        }

        boolean getServed = rq.presentationContexts().stream()
                .anyMatch(pc -> isGetModel(pc.abstractSyntax()) && handlerFor(rq, pc.abstractSyntax(), association).isPresent());
        List<PresentationContextResult> results = new ArrayList<>();
        List<RoleSelection> roles = new ArrayList<>();
        List<ExtendedNegotiation> extended = new ArrayList<>();
        for (PresentationContext pc : rq.presentationContexts()) {
            String as = pc.abstractSyntax();
            Optional<RoleSelection> role = ui.roleSelection(as);
            boolean requestorScu = role.map(RoleSelection::scu).orElse(true);
            boolean requestorScp = role.map(RoleSelection::scp).orElse(false);
            Optional<DimseHandler> handler = handlerFor(rq, as, association);
            boolean asScp = requestorScu && handler.isPresent();
            // The requestor as SCP: it will send us C-STOREs of a C-GET, or N-EVENT-REPORTs
            // (Storage Commitment's report on a new association, PS3.4 J.3.3) that a handler receives.
            boolean asScu = requestorScp && (getServed || handler.isPresent());
            if (!asScp && !asScu) {
                results.add(new PresentationContextResult(pc.id(), PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                        pc.transferSyntaxes().get(0)));
                continue;
            }
            Set<String> acceptable = registry.transferSyntaxes(association.handlerSopClass(as));
            if (acceptable.isEmpty()) {
                acceptable = Set.copyOf(DimseHandlerRegistry.UNCOMPRESSED);
            }
            Set<String> ok = acceptable;
            Optional<String> ts = pc.transferSyntaxes().stream().filter(ok::contains).findFirst();
            if (ts.isEmpty()) {
                results.add(new PresentationContextResult(pc.id(), PresentationContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                        pc.transferSyntaxes().get(0)));
                continue;
            }
            results.add(new PresentationContextResult(pc.id(), PresentationContextResult.ACCEPTANCE, ts.get()));
            if (role.isPresent() && roles.stream().noneMatch(r -> r.sopClassUid().equals(as))) {
                roles.add(new RoleSelection(as, asScp, asScu));
            }
            if (handler.isPresent() && extended.stream().noneMatch(e -> e.sopClassUid().equals(as))) {
                ui.extendedNegotiation(as).ifPresent(proposed -> {
                    byte[] reply = handler.get().extendedNegotiation(as, proposed.information());
                    if (reply != null) {
                        extended.add(new ExtendedNegotiation(as, reply));
                    }
                });
            }
        }
        AsyncOperationsWindow window = null;
        if (ui.asyncOperationsWindow() != null) {
            AsyncOperationsWindow p = ui.asyncOperationsWindow();
            window = new AsyncOperationsWindow(AsyncOperationsWindow.min(p.maxOperationsInvoked(), o.maxOperationsPerformed()),
                    AsyncOperationsWindow.min(p.maxOperationsPerformed(), o.maxOperationsInvoked()));
        }
        UserInformation defaults = UserInformation.of(o.maxPduLength());
        UserInformation reply = new UserInformation(o.maxPduLength(), defaults.implementationClassUid(),
                defaults.implementationVersionName(), window, roles, extended, List.of(), null, identityResponse);
        return Decision.accept(new AAssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), rq.applicationContext(),
                results, reply));
    }

    /**
     * The handler for an abstract syntax: registered for it, or for a related general SOP class
     * named in SOP Class Common Extended Negotiation (PS3.7 D.3.3.6), in which case the association
     * remembers the alias for the requests that follow.
     */
    private Optional<DimseHandler> handlerFor(AAssociateRq rq, String abstractSyntax, AssociationImpl association) {
        Optional<DimseHandler> direct = registry.handler(abstractSyntax);
        if (direct.isPresent()) {
            return direct;
        }
        Optional<CommonExtendedNegotiation> common = rq.userInformation().commonExtendedNegotiation(abstractSyntax);
        if (common.isEmpty()) {
            return Optional.empty();
        }
        for (String general : common.get().relatedGeneralSopClasses()) {
            Optional<DimseHandler> h = registry.handler(general);
            if (h.isPresent()) {
                association.aliasHandler(abstractSyntax, general);
                return h;
            }
        }
        return Optional.empty();
    }

    /** The retrieve SOP classes with C-GET, by their PS3.6 names ("... - GET"). */
    static boolean isGetModel(String sopClassUid) {
        return UidRegistry.nameOf(sopClassUid).endsWith(" - GET");
    }
}
