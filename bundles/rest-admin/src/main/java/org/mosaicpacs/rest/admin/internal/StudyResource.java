package org.mosaicpacs.rest.admin.internal;

import java.util.Map;

import javax.ws.rs.DELETE;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.mosaicpacs.api.MosaicConstants;
import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.Deletion;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Deleting what the archive holds, for an administrator (a study sent to the wrong patient, test
 * data, the end of a retention period):
 * <ul>
 * <li>{@code DELETE /api/studies/{study}}: the whole study;</li>
 * <li>{@code DELETE /api/studies/{study}/series/{series}}: one series of it.</li>
 * </ul>
 * 200 with what was deleted ({@link Deletion}: {@code instances}, {@code series} and
 * {@code objectsNotDeleted}, the storage keys whose objects stayed behind); 404 with
 * {@code {"error": "..."}} when the archive has no instance of it; 500 when the index fails; 503
 * while no archive runs.
 *
 * <p>Off until configured ({@code deletionEnabled}): {@code /api} has no authentication of its own,
 * and nothing else it offers destroys images. While off it answers 403 and says how to turn it on;
 * the shell's {@code mosaic:study-delete}, behind the shell's login, always works.
 */
@Component(service = StudyResource.class, configurationPid = StudyResource.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StudyResource.Config.class)
@JaxrsResource
@JaxrsApplicationSelect(MosaicConstants.API_APPLICATION_SELECT)
@JaxrsExtensionSelect("(osgi.jaxrs.media.type=application/json)")
@Path("studies")
public class StudyResource {

    static final String PID = "org.mosaicpacs.rest.studies";

    @ObjectClassDefinition(name = "Mosaic REST: studies", description = "Deleting studies and series over /api/studies.")
    public @interface Config {

        @AttributeDefinition(name = "Deletion enabled", description = "Allow DELETE /api/studies/...; off, it answers "
                + "403. /api has no authentication of its own: turn this on only where /api is reachable by "
                + "administrators alone.")
        boolean deletionEnabled() default false;
    }

    private final boolean deletionEnabled;
    /** Optional, so that the /api feature (health) installs without the archive; absent, deletion answers 503. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Archive archive;

    @Activate
    public StudyResource(Config config) {
        this.deletionEnabled = config.deletionEnabled();
    }

    StudyResource(Archive archive, boolean deletionEnabled) {
        this.archive = archive;
        this.deletionEnabled = deletionEnabled;
    }

    @DELETE
    @Path("{study}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response deleteStudy(@PathParam("study") String study) {
        return delete(study, null);
    }

    @DELETE
    @Path("{study}/series/{series}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response deleteSeries(@PathParam("study") String study, @PathParam("series") String series) {
        return delete(study, series);
    }

    private Response delete(String study, String series) {
        Answer answer = answer(study, series);
        return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(answer.body()).build();
    }

    /** An HTTP status and the body to send as JSON. */
    record Answer(Response.Status status, Object body) {
    }

    Answer answer(String study, String series) {
        if (!deletionEnabled) {
            return new Answer(Response.Status.FORBIDDEN, Map.of("error", "deleting over REST is off: set "
                    + "deletionEnabled = true in etc/" + PID + ".cfg, or use mosaic:study-delete in the shell"));
        }
        Archive current = archive;
        if (current == null) {
            return new Answer(Response.Status.SERVICE_UNAVAILABLE, Map.of("error", "the archive is not running"));
        }
        try {
            return new Answer(Response.Status.OK, current.delete(study, series));
        } catch (ArchiveException e) {
            Response.Status status = switch (e.reason()) {
                case NOT_FOUND -> Response.Status.NOT_FOUND;
                case MISSING_ATTRIBUTE -> Response.Status.BAD_REQUEST;
                default -> Response.Status.INTERNAL_SERVER_ERROR;
            };
            return new Answer(status, Map.of("error", e.getMessage()));
        }
    }
}
