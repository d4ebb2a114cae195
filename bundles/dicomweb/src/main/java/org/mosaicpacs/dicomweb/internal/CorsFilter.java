package org.mosaicpacs.dicomweb.internal;

import java.util.List;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

/**
 * Cross-origin resource sharing (Fetch standard, CORS protocol) for browser viewers served from
 * another origin, such as OHIF. A preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) is answered here before resource matching, also for
 * requests that will carry an {@code Authorization} header; every other answer to an allowed
 * origin gets {@code Access-Control-Allow-Origin} and the headers a viewer must read
 * ({@code Warning}, {@code Content-Location}, {@code Content-Length}).
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class},
        configurationPid = DicomWebConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@JaxrsExtension
@JaxrsApplicationSelect(DicomWebApplication.SELECT)
@PreMatching
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS";
    static final String DEFAULT_ALLOWED_HEADERS = "Accept, Authorization, Content-Type, Origin, X-Requested-With, "
            + "Cache-Control, Range";
    static final String EXPOSED_HEADERS = "Warning, Content-Location, Content-Length, Content-Type, Location";

    private final Set<String> origins;
    private final boolean anyOrigin;
    private final boolean credentials;
    private final int maxAge;

    @Activate
    public CorsFilter(DicomWebConfig config) {
        this(List.of(config.corsAllowedOrigins()), config.corsAllowCredentials(), config.corsMaxAgeSeconds());
    }

    CorsFilter(List<String> origins, boolean credentials, int maxAge) {
        this.origins = Set.copyOf(origins.stream().map(String::strip).filter(o -> !o.isEmpty())
                .map(CorsFilter::normalise).toList());
        this.anyOrigin = this.origins.contains("*");
        this.credentials = credentials;
        this.maxAge = maxAge;
    }

    private static String normalise(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (!"OPTIONS".equals(request.getMethod()) || origin == null
                || request.getHeaderString("Access-Control-Request-Method") == null) {
            return;
        }
        Response.ResponseBuilder preflight = Response.noContent();
        if (allowed(origin)) {
            String requested = request.getHeaderString("Access-Control-Request-Headers");
            preflight.header("Access-Control-Allow-Origin", allowOriginValue(origin))
                    .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                    // echoing what the browser asks for admits Authorization and any custom header
                    .header("Access-Control-Allow-Headers", requested != null && !requested.isBlank()
                            ? requested : DEFAULT_ALLOWED_HEADERS)
                    .header("Access-Control-Max-Age", maxAge)
                    .header("Vary", "Origin");
            if (credentials) {
                preflight.header("Access-Control-Allow-Credentials", "true");
            }
        }
        request.abortWith(preflight.build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        MultivaluedMap<String, Object> headers = response.getHeaders();
        if (origin == null || !allowed(origin) || headers.containsKey("Access-Control-Allow-Origin")) {
            return;
        }
        headers.putSingle("Access-Control-Allow-Origin", allowOriginValue(origin));
        headers.putSingle("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        headers.add("Vary", "Origin");
        if (credentials) {
            headers.putSingle("Access-Control-Allow-Credentials", "true");
        }
    }

    boolean allowed(String origin) {
        return anyOrigin || origins.contains(normalise(origin));
    }

    private String allowOriginValue(String origin) {
        // with credentials the Fetch standard forbids the * wildcard
        return anyOrigin && !credentials ? "*" : origin;
    }
}
