package org.mosaicpacs.ai.pipeline.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.mosaicpacs.api.MosaicConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The AI job queue on the {@code /api} application:
 * <ul>
 * <li>{@code GET /api/ai/jobs?state=&study=&connector=&limit=}: jobs, newest first (default 100);</li>
 * <li>{@code GET /api/ai/jobs/{id}}: one job (404 if unknown);</li>
 * <li>{@code POST /api/ai/jobs/{id}/retry}: queue a COMPLETED or FAILED job again (409 while it is
 *     queued or running);</li>
 * <li>{@code GET /api/ai/connectors}: registered connectors and the rules in force.</li>
 * </ul>
 * Errors are JSON {@code {"error": "..."}} with 400 for a bad parameter and 503 when the database
 * does not answer.
 */
@Component(service = AiJobsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(MosaicConstants.API_APPLICATION_SELECT)
@JaxrsExtensionSelect("(osgi.jaxrs.media.type=application/json)")
@Path("ai")
@Produces(MediaType.APPLICATION_JSON)
public class AiJobsResource {

    /** A job as JSON: times as ISO-8601 strings. */
    public record JobJson(long id, String connector, String rule, String studyInstanceUid, String state, int attempts,
                          int maxAttempts, int inputInstances, Map<String, String> parameters, String callingAeTitle,
                          String created, String updated, String nextAttempt, String summary, String error,
                          List<String> results) {

        static JobJson of(Job j) {
            return new JobJson(j.id(), j.connector(), j.rule(), j.studyUid(), j.state().name(), j.attempts(),
                    j.maxAttempts(), j.inputCount(), j.parameters(), j.callingAeTitle(), String.valueOf(j.createdAt()),
                    String.valueOf(j.updatedAt()), j.state() == JobState.QUEUED || j.state() == JobState.RETRY_WAIT
                    ? String.valueOf(j.nextAttemptAt()) : null, j.summary(), j.lastError(), j.results());
        }
    }

    /** The connectors and rules. */
    public record ConnectorsJson(List<AiJobs.ConnectorInfo> connectors, List<AiJobs.RuleInfo> rules) {
    }

    private final AiJobs jobs;

    @Activate
    public AiJobsResource(@Reference AiJobs jobs) {
        this.jobs = jobs;
    }

    @GET
    @Path("jobs")
    public Response list(@QueryParam("state") String state, @QueryParam("study") String study,
                         @QueryParam("connector") String connector, @QueryParam("limit") @DefaultValue("100") int limit) {
        JobState wanted;
        try {
            wanted = state == null || state.isBlank() ? null : JobState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "unknown state '" + state + "'; one of " + List.of(JobState.values()));
        }
        if (limit < 1 || limit > 10_000) {
            return error(Response.Status.BAD_REQUEST, "limit must be 1-10000");
        }
        try {
            return Response.ok(jobs.jobs(wanted, blankToNull(study), blankToNull(connector), limit).stream()
                    .map(JobJson::of).toList()).build();
        } catch (SQLException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "job database: " + e.getMessage());
        }
    }

    @GET
    @Path("jobs/{id}")
    public Response get(@PathParam("id") long id) {
        try {
            return jobs.job(id).map(j -> Response.ok(JobJson.of(j)).build())
                    .orElseGet(() -> error(Response.Status.NOT_FOUND, "no AI job " + id));
        } catch (SQLException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "job database: " + e.getMessage());
        }
    }

    @POST
    @Path("jobs/{id}/retry")
    public Response retry(@PathParam("id") long id) {
        try {
            if (jobs.job(id).isEmpty()) {
                return error(Response.Status.NOT_FOUND, "no AI job " + id);
            }
            if (!jobs.retry(id)) {
                return error(Response.Status.CONFLICT, "AI job " + id + " is queued or running");
            }
            return get(id);
        } catch (SQLException e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, "job database: " + e.getMessage());
        }
    }

    @GET
    @Path("connectors")
    public ConnectorsJson connectors() {
        return new ConnectorsJson(jobs.connectors(), jobs.rules());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).type(MediaType.APPLICATION_JSON).build();
    }
}
