package org.mosaicpacs.dicomweb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.dicom.UID;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The DICOMweb resources of PS3.18: QIDO-RS (10.6), WADO-RS (10.4), STOW-RS (10.5), rendered
 * and thumbnail resources, and WADO-URI (9). Thin: each method hands its request to
 * {@link Qido}, {@link Wado}, {@link Stow} or {@link Rendering}.
 *
 * <p>Media types are negotiated by those classes from the Accept header (or the {@code accept}
 * query parameter), not by JAX-RS {@code @Produces}: DICOMweb's choices hang on media type
 * parameters ({@code type}, {@code transfer-syntax}) that JAX-RS matching ignores.
 *
 * <p>The Transcoder, the codec registry and the archive are optional: without them the
 * resources that need them answer 503 (or 406 when another representation would do), the rest
 * keeps working.
 */
@Component(service = DicomWebResource.class, configurationPid = DicomWebConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@JaxrsResource
@JaxrsApplicationSelect(DicomWebApplication.SELECT)
@Path("")
public class DicomWebResource {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Transcoder transcoder;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CodecRegistry codecs;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Archive archive;

    private final InstanceAccess access;
    private final Qido qido;
    private final Wado wado;
    private final Rendering rendering;
    private final long stowMaxBytes;
    private final int renderedQuality;
    private final int thumbnailSize;

    @Context
    private UriInfo uriInfo;

    @Context
    private HttpHeaders headers;

    @Activate
    public DicomWebResource(@Reference InstanceAccess access, @Reference SeriesMetadataCache metadataCache,
                            DicomWebConfig config) {
        this.access = access;
        this.qido = new Qido(access, config.qidoDefaultLimit());
        this.wado = new Wado(access, metadataCache, () -> transcoder);
        this.rendering = new Rendering(access, () -> transcoder, () -> codecs);
        this.stowMaxBytes = config.stowMaxMegabytes() * 1024 * 1024;
        this.renderedQuality = config.renderedQuality();
        this.thumbnailSize = config.thumbnailSize();
    }

    // ------------------------------------------------------------------ QIDO-RS

    @GET
    @Path("studies")
    public Response searchStudies() throws IndexException {
        return search(QueryLevel.STUDY, null, null);
    }

    @GET
    @Path("studies/{study}/series")
    public Response searchSeriesOfStudy(@PathParam("study") String study) throws IndexException {
        return search(QueryLevel.SERIES, study, null);
    }

    @GET
    @Path("series")
    public Response searchSeries() throws IndexException {
        return search(QueryLevel.SERIES, null, null);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances")
    public Response searchInstancesOfSeries(@PathParam("study") String study, @PathParam("series") String series)
            throws IndexException {
        return search(QueryLevel.IMAGE, study, series);
    }

    @GET
    @Path("studies/{study}/instances")
    public Response searchInstancesOfStudy(@PathParam("study") String study) throws IndexException {
        return search(QueryLevel.IMAGE, study, null);
    }

    @GET
    @Path("instances")
    public Response searchInstances() throws IndexException {
        return search(QueryLevel.IMAGE, null, null);
    }

    private Response search(QueryLevel level, String study, String series) throws IndexException {
        return qido.search(level, uriInfo.getQueryParameters(true), study, series, base(), accepted());
    }

    // ------------------------------------------------------------------ WADO-RS

    @GET
    @Path("studies/{study}")
    public Response retrieveStudy(@PathParam("study") String study) throws IndexException, IOException {
        return wado.retrieve(access.instances(study, null), accepted());
    }

    @GET
    @Path("studies/{study}/series/{series}")
    public Response retrieveSeries(@PathParam("study") String study, @PathParam("series") String series)
            throws IndexException, IOException {
        return wado.retrieve(access.instances(study, series), accepted());
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}")
    public Response retrieveInstance(@PathParam("study") String study, @PathParam("series") String series,
                                     @PathParam("instance") String instance) throws IndexException, IOException {
        return wado.retrieve(List.of(access.instance(study, series, instance)), accepted());
    }

    @GET
    @Path("studies/{study}/metadata")
    public Response studyMetadata(@PathParam("study") String study) throws IndexException, IOException {
        return wado.metadata(base(), access.instances(study, null), accepted(), true);
    }

    @GET
    @Path("studies/{study}/series/{series}/metadata")
    public Response seriesMetadata(@PathParam("study") String study, @PathParam("series") String series)
            throws IndexException, IOException {
        return wado.metadata(base(), access.instances(study, series), accepted(), true);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}/metadata")
    public Response instanceMetadata(@PathParam("study") String study, @PathParam("series") String series,
                                     @PathParam("instance") String instance) throws IndexException, IOException {
        return wado.metadata(base(), List.of(access.instance(study, series, instance)), accepted(), false);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}/frames/{frames}")
    public Response frames(@PathParam("study") String study, @PathParam("series") String series,
                           @PathParam("instance") String instance, @PathParam("frames") String frames)
            throws IndexException, IOException {
        int[] numbers = Wado.frameNumbers(frames);
        return wado.frames(base(), access.instance(study, series, instance), numbers, accepted());
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}/bulkdata/{path: .+}")
    public Response bulkData(@PathParam("study") String study, @PathParam("series") String series,
                             @PathParam("instance") String instance, @PathParam("path") String path)
            throws IndexException, IOException {
        return wado.bulkData(base(), access.instance(study, series, instance), path, accepted());
    }

    // ------------------------------------------------------------------ rendered and thumbnails

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}/rendered")
    public Response renderedInstance(@PathParam("study") String study, @PathParam("series") String series,
                                     @PathParam("instance") String instance) throws IndexException, IOException {
        String type = Rendering.mediaType(accepted());
        return rendering.render(access.instance(study, series, instance), 1, renderParameters(0), type);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}/frames/{frame}/rendered")
    public Response renderedFrame(@PathParam("study") String study, @PathParam("series") String series,
                                  @PathParam("instance") String instance, @PathParam("frame") String frame)
            throws IndexException, IOException {
        int[] numbers = Wado.frameNumbers(frame);
        if (numbers.length != 1) {
            throw DicomWebException.badRequest("a rendered frame is one frame number, not \"" + frame + "\"");
        }
        String type = Rendering.mediaType(accepted());
        return rendering.render(access.instance(study, series, instance), numbers[0], renderParameters(0), type);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}/thumbnail")
    public Response instanceThumbnail(@PathParam("study") String study, @PathParam("series") String series,
                                      @PathParam("instance") String instance) throws IndexException, IOException {
        String type = Rendering.mediaType(accepted());
        return rendering.render(access.instance(study, series, instance), 1, renderParameters(thumbnailSize), type);
    }

    @GET
    @Path("studies/{study}/series/{series}/instances/{instance}/frames/{frame}/thumbnail")
    public Response frameThumbnail(@PathParam("study") String study, @PathParam("series") String series,
                                   @PathParam("instance") String instance, @PathParam("frame") String frame)
            throws IndexException, IOException {
        int[] numbers = Wado.frameNumbers(frame);
        String type = Rendering.mediaType(accepted());
        return rendering.render(access.instance(study, series, instance), numbers[0], renderParameters(thumbnailSize),
                type);
    }

    @GET
    @Path("studies/{study}/series/{series}/thumbnail")
    public Response seriesThumbnail(@PathParam("study") String study, @PathParam("series") String series)
            throws IndexException, IOException {
        String type = Rendering.mediaType(accepted());
        return rendering.renderFirstImage(representative(access.instances(study, series)),
                renderParameters(thumbnailSize), type);
    }

    @GET
    @Path("studies/{study}/thumbnail")
    public Response studyThumbnail(@PathParam("study") String study) throws IndexException, IOException {
        String type = Rendering.mediaType(accepted());
        return rendering.renderFirstImage(representative(access.instances(study, null)),
                renderParameters(thumbnailSize), type);
    }

    /** The middle instance of the first series first, then others: what a series looks like at a glance. */
    private static List<InstanceRecord> representative(List<InstanceRecord> records) {
        List<InstanceRecord> firstSeries = records.stream()
                .filter(r -> r.seriesInstanceUid().equals(records.get(0).seriesInstanceUid())).toList();
        List<InstanceRecord> candidates = new ArrayList<>();
        candidates.add(firstSeries.get(firstSeries.size() / 2));
        for (InstanceRecord r : records) {
            if (candidates.size() >= 8) {
                break;
            }
            if (!candidates.contains(r)) {
                candidates.add(r);
            }
        }
        return candidates;
    }

    private Rendering.Parameters renderParameters(int defaultSize) {
        MultivaluedMap<String, String> q = uriInfo.getQueryParameters(true);
        String viewport = q.getFirst("viewport");
        if (viewport == null && defaultSize > 0) {
            viewport = defaultSize + "," + defaultSize;
        }
        return Rendering.Parameters.parse(q.getFirst("window"), viewport, q.getFirst("quality"), renderedQuality);
    }

    // ------------------------------------------------------------------ STOW-RS

    @POST
    @Path("studies")
    public Response storeInstances(InputStream body) throws IOException {
        return stow(null, body);
    }

    @POST
    @Path("studies/{study}")
    public Response storeInstancesOfStudy(@PathParam("study") String study, InputStream body) throws IOException {
        return stow(study, body);
    }

    private Response stow(String study, InputStream body) throws IOException {
        Archive a = archive;
        if (a == null) {
            throw new DicomWebException(503, "the archive service is not running: nothing can be stored now");
        }
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long contentLength = -1;
        try {
            contentLength = length != null ? Long.parseLong(length.strip()) : -1;
        } catch (NumberFormatException e) {
            throw DicomWebException.badRequest("malformed Content-Length " + length);
        }
        return new Stow(a, stowMaxBytes).store(study, headers.getHeaderString(HttpHeaders.CONTENT_TYPE),
                contentLength, body, base(), null, accepted());
    }

    // ------------------------------------------------------------------ WADO-URI

    @GET
    @Path("wado")
    public Response wadoUri() throws IndexException, IOException {
        MultivaluedMap<String, String> q = uriInfo.getQueryParameters(true);
        if (!"WADO".equals(q.getFirst("requestType"))) {
            throw DicomWebException.badRequest("WADO-URI needs requestType=WADO");
        }
        String object = q.getFirst("objectUID");
        if (object == null || object.isBlank()) {
            throw DicomWebException.badRequest("WADO-URI needs objectUID (and studyUID, seriesUID)");
        }
        InstanceRecord r = access.instance(q.getFirst("studyUID"), q.getFirst("seriesUID"), object);
        List<String> contentTypes = new ArrayList<>();
        String contentType = q.getFirst("contentType");
        for (String t : (contentType != null ? contentType : MediaTypes.JPEG).split(",")) {
            contentTypes.add(MediaTypes.parseRange(t).mediaType());
        }
        for (String type : contentTypes) {
            if (type.equals(MediaTypes.DICOM)) {
                String ts = q.getFirst("transferSyntax");
                // PS3.18 9.1.2.3.9 (Table 9.1.2-1): Explicit VR Little Endian unless asked otherwise
                return wado.retrieveSingle(r, List.of(ts != null ? ts.strip() : UID.ExplicitVRLittleEndian));
            }
            if (type.equals(MediaTypes.JPEG) || type.equals(MediaTypes.PNG) || type.equals("image/*")
                    || type.equals("*/*")) {
                int frame = 1;
                if (q.getFirst("frameNumber") != null) {
                    frame = Wado.frameNumbers(q.getFirst("frameNumber"))[0];
                }
                String window = null;
                if (q.getFirst("windowCenter") != null || q.getFirst("windowWidth") != null) {
                    window = q.getFirst("windowCenter") + "," + q.getFirst("windowWidth");
                }
                String viewport = null;
                if (q.getFirst("rows") != null || q.getFirst("columns") != null) {
                    String rows = q.getFirst("rows");
                    String columns = q.getFirst("columns");
                    viewport = (columns != null ? columns : rows) + "," + (rows != null ? rows : columns);
                }
                Rendering.Parameters params = Rendering.Parameters.parse(window, viewport, q.getFirst("imageQuality"),
                        renderedQuality);
                return rendering.render(r, frame, params, type.equals(MediaTypes.PNG) ? MediaTypes.PNG : MediaTypes.JPEG);
            }
        }
        throw DicomWebException.notAcceptable("WADO-URI serves contentType application/dicom, image/jpeg and "
                + "image/png, not " + contentType);
    }

    // ------------------------------------------------------------------ helpers

    private List<MediaTypes.Range> accepted() {
        return MediaTypes.accepted(headers.getRequestHeader(HttpHeaders.ACCEPT),
                uriInfo.getQueryParameters(true).get("accept"));
    }

    /**
     * The absolute base URL of the application, ending in /, as the client reached it (a
     * reverse proxy's X-Forwarded-Proto and X-Forwarded-Host are honoured).
     */
    private String base() {
        String base = uriInfo.getBaseUri().toString();
        String proto = headers.getHeaderString("X-Forwarded-Proto");
        String host = headers.getHeaderString("X-Forwarded-Host");
        if (proto != null || host != null) {
            java.net.URI uri = uriInfo.getBaseUri();
            base = (proto != null ? proto.split(",")[0].strip() : uri.getScheme()) + "://"
                    + (host != null ? host.split(",")[0].strip() : uri.getRawAuthority()) + uri.getRawPath();
        }
        return base.endsWith("/") ? base : base + "/";
    }

}
