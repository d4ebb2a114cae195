package org.mosaicpacs.dimse.acceptor.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the {@link AssociationAcceptor} back after a failed activation. Its usual cause is a port
 * that was still held when the acceptor started (the previous instance closing, another program),
 * and Declarative Services never retries a failed activation by itself: the node would stay deaf to
 * DICOM until someone restarted it. While the acceptor is in FAILED_ACTIVATION, this disables it
 * and enables it again, which makes SCR activate it anew: after {@value #FIRST_RETRY_SECONDS} s,
 * then less often, at most every {@value #MAX_RETRY_SECONDS} s (each failure is logged with its
 * cause). Meanwhile {@code /api/health} reports the failure (DEGRADED), as it should.
 */
@Component(service = {})
public final class AcceptorRestarter {

    static final long FIRST_RETRY_SECONDS = 2;
    static final long MAX_RETRY_SECONDS = 60;
    /** How often the acceptor's state is looked at while it is fine. */
    private static final long WATCH_SECONDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(AcceptorRestarter.class);

    private final ServiceComponentRuntime scr;
    private final Bundle bundle;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dicom-acceptor-restarter");
        t.setDaemon(true);
        return t;
    });
    /** The acceptor this component disabled and has yet to enable. */
    private ComponentDescriptionDTO disabled;
    private int attempts;

    @Activate
    public AcceptorRestarter(@Reference ServiceComponentRuntime scr, BundleContext context) {
        this.scr = scr;
        this.bundle = context.getBundle();
        timer.schedule(this::check, WATCH_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        // An acceptor disabled at this moment needs nothing: this component goes only with its bundle
        // (or SCR), and SCR enables a bundle's components afresh when it starts.
        timer.shutdownNow();
    }

    private synchronized void check() {
        long next = WATCH_SECONDS;
        try {
            if (disabled != null) {
                scr.enableComponent(disabled);
                disabled = null;
            } else if (acceptorFailed()) {
                attempts++;
                // SCR and the acceptor logged the activation error itself; say only what is done about it
                long delay = Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS << Math.min(attempts - 1, 10));
                LOG.warn("DICOM acceptor failed to start; starting it again in {} s (attempt {})", delay, attempts);
                disabled = scr.getComponentDescriptionDTO(bundle, AssociationAcceptor.class.getName());
                scr.disableComponent(disabled);
                next = delay;
            } else {
                attempts = 0;
            }
        } catch (RuntimeException e) {
            LOG.error("cannot restart the DICOM acceptor: {}", e.toString(), e);
        }
        if (!timer.isShutdown()) {
            timer.schedule(this::check, next, TimeUnit.SECONDS);
        }
    }

    private boolean acceptorFailed() {
        ComponentDescriptionDTO acceptor = scr.getComponentDescriptionDTO(bundle, AssociationAcceptor.class.getName());
        return acceptor != null && scr.isComponentEnabled(acceptor) && scr.getComponentConfigurationDTOs(acceptor).stream()
                .anyMatch(c -> c.state == ComponentConfigurationDTO.FAILED_ACTIVATION);
    }
}
