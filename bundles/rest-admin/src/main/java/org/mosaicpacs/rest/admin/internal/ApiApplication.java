package org.mosaicpacs.rest.admin.internal;

import java.util.Set;

import javax.ws.rs.core.Application;

import org.mosaicpacs.api.MosaicConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The {@code /api} JAX-RS application. It holds no resources itself: the admin resources of every
 * bundle (health here, worklist, remote AEs, jobs elsewhere) select it by name on the whiteboard,
 * so a bundle adds to the API by registering a resource, and removing the bundle removes it.
 */
@Component(service = Application.class)
@JaxrsApplicationBase(MosaicConstants.API_APPLICATION_BASE)
@JaxrsName(MosaicConstants.API_APPLICATION_NAME)
public class ApiApplication extends Application {

    @Override
    public Set<Object> getSingletons() {
        return Set.of();
    }
}
