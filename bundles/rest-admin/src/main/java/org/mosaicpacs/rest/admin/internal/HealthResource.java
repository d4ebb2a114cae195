package org.mosaicpacs.rest.admin.internal;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.mosaicpacs.api.MosaicConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/health}: the product version and the state of every Mosaic DS component.
 * Answers 200 with status {@code UP} when every component is active or satisfied, and 503 with
 * status {@code DEGRADED} otherwise, so a load balancer can take a broken node out.
 */
@Component(service = HealthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(MosaicConstants.API_APPLICATION_SELECT)
@JaxrsExtensionSelect("(osgi.jaxrs.media.type=application/json)")
@Path("health")
public class HealthResource {

    /** The JSON body of a health answer. */
    public record Health(String status, String version, List<ComponentStateSource.ComponentState> components) {
    }

    private final ComponentStateSource states;
    private final String version;

    @Activate
    public HealthResource(@Reference ServiceComponentRuntime scr, BundleContext context) {
        this(new ScrComponentStateSource(scr), ScrComponentStateSource.productVersion(context.getBundle()));
    }

    HealthResource(ComponentStateSource states, String version) {
        this.states = states;
        this.version = version;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        Health body = report();
        return Response.status("UP".equals(body.status()) ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE)
                .entity(body).build();
    }

    Health report() {
        List<ComponentStateSource.ComponentState> components = states.mosaicComponents();
        boolean up = components.stream().allMatch(ComponentStateSource.ComponentState::healthy);
        return new Health(up ? "UP" : "DEGRADED", version, components);
    }
}
