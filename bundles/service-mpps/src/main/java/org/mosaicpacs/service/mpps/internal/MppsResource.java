package org.mosaicpacs.service.mpps.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.mosaicpacs.api.MosaicConstants;
import org.mosaicpacs.api.index.ArchiveIndex;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * {@code /api/mpps}: the performed procedure steps, read-only (modalities change them through
 * DIMSE only).
 * <ul>
 * <li>{@code GET /api/mpps?status=&from=&to=&study=&station=&limit=&offset=}: newest first; status
 *     {@code IN PROGRESS} (or {@code IN_PROGRESS}), {@code COMPLETED}, {@code DISCONTINUED}; from/to
 *     on the Performed Procedure Step Start Date, {@code YYYYMMDD} or {@code YYYY-MM-DD}, inclusive;
 *     study a Study Instance UID of its Scheduled Step Attributes; station the Performed Station AE
 *     Title; limit 1 to {@value #MAX_LIMIT} (default {@value #DEFAULT_LIMIT}). 400 for a bad filter.</li>
 * <li>{@code GET /api/mpps/{uid}}: one step with its links and its data set in DICOM JSON
 *     (PS3.18 F.2); 404 if there is none. With an {@link ArchiveIndex} registered, {@code series}
 *     also says, per performed series, how many of the instances the modality listed (Referenced
 *     Image and Non-Image Composite SOP Instance Sequences) the archive holds: whether what was
 *     performed has arrived.</li>
 * </ul>
 * JSON is written here with Jackson's generator (no JAX-RS extension needed); errors are
 * {@code {"error": "..."}}. A database failure answers 503.
 */
@Component(service = MppsResource.class, configurationPid = MppsScp.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@JaxrsResource
@JaxrsApplicationSelect(MosaicConstants.API_APPLICATION_SELECT)
@Path("mpps")
public class MppsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(MppsResource.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    private final MppsRepository repository;
    private final Supplier<ArchiveIndex> archive;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ArchiveIndex index;

    @Activate
    public MppsResource(@Reference(name = "dataSource", target = "(dataSourceName=mosaic)") DataSource dataSource)
            throws SQLException {
        this.repository = new MppsRepository(dataSource);
        this.archive = () -> index;
    }

    /** For tests: a resource on a repository and, when the supplier gives one, an archive index. */
    MppsResource(MppsRepository repository, Supplier<ArchiveIndex> archive) {
        this.repository = repository;
        this.archive = archive;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("status") String status, @QueryParam("from") String from,
                         @QueryParam("to") String to, @QueryParam("study") String study,
                         @QueryParam("station") String station,
                         @QueryParam("limit") @DefaultValue("" + DEFAULT_LIMIT) String limit,
                         @QueryParam("offset") @DefaultValue("0") String offset) {
        MppsRepository.Filter filter;
        try {
            MppsStatus s = null;
            if (status != null && !status.isBlank()) {
                s = MppsStatus.parseFilter(status);
                if (s == null) {
                    throw new IllegalArgumentException("status must be IN PROGRESS, COMPLETED or DISCONTINUED, not " + status);
                }
            }
            filter = new MppsRepository.Filter(s, date("from", from), date("to", to), blankToNull(study),
                    blankToNull(station), integer("limit", limit, 1, MAX_LIMIT), integer("offset", offset, 0, Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        }
        try {
            List<PerformedProcedureStep> steps = repository.list(filter);
            return json(g -> {
                g.writeStartObject();
                g.writeNumberField("offset", filter.offset());
                g.writeNumberField("limit", filter.limit());
                g.writeArrayFieldStart("items");
                for (PerformedProcedureStep step : steps) {
                    writeStep(g, step, false, null);
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        } catch (SQLException e) {
            return databaseError(e);
        }
    }

    @GET
    @Path("{uid}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("uid") String uid) {
        try {
            Optional<PerformedProcedureStep> step = repository.find(uid);
            if (step.isEmpty()) {
                return error(Response.Status.NOT_FOUND, "no MPPS with SOP Instance UID " + uid);
            }
            List<SeriesArrival> series = arrivals(step.get());
            return json(g -> writeStep(g, step.get(), true, series));
        } catch (SQLException e) {
            return databaseError(e);
        }
    }

    private static void writeStep(JsonGenerator g, PerformedProcedureStep step, boolean withDataSet,
                                  List<SeriesArrival> series) throws IOException {
        DataSet ds = step.attributes();
        g.writeStartObject();
        g.writeStringField("sopInstanceUid", step.sopInstanceUid());
        g.writeStringField("status", step.status().value());
        field(g, "performedProcedureStepId", ds.getString(Tag.PerformedProcedureStepID));
        field(g, "modality", ds.getString(Tag.Modality));
        field(g, "performedStationAeTitle", ds.getString(Tag.PerformedStationAETitle));
        field(g, "callingAeTitle", step.callingAeTitle());
        field(g, "startDate", ds.getString(Tag.PerformedProcedureStepStartDate));
        field(g, "startTime", ds.getString(Tag.PerformedProcedureStepStartTime));
        field(g, "endDate", ds.getString(Tag.PerformedProcedureStepEndDate));
        field(g, "endTime", ds.getString(Tag.PerformedProcedureStepEndTime));
        g.writeStringField("created", step.created().toString());
        g.writeStringField("updated", step.updated().toString());
        array(g, "studyInstanceUids", step.studyInstanceUids());
        array(g, "seriesInstanceUids", step.seriesInstanceUids());
        array(g, "worklistItemIds", step.worklistItemIds());
        if (series != null) {
            g.writeArrayFieldStart("series");
            for (SeriesArrival a : series) {
                g.writeStartObject();
                g.writeStringField("seriesInstanceUid", a.seriesInstanceUid());
                g.writeNumberField("referencedInstances", a.referenced());
                if (a.archived() >= 0) {
                    g.writeNumberField("archivedInstances", a.archived());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (withDataSet) {
            g.writeFieldName("dataset");
            // the generator is ours: the DICOM JSON writer only adds the object to it
            @SuppressWarnings("resource")
            DicomJsonWriter writer = DicomJsonWriter.create(g);
            writer.writeDataSet(ds);
        }
        g.writeEndObject();
    }

    /**
     * A performed series: how many instances the modality listed, and how many of those the
     * archive holds (-1: no archive index to ask, or it failed).
     */
    record SeriesArrival(String seriesInstanceUid, int referenced, int archived) {
    }

    /** Per Performed Series Sequence item, its referenced instances against the archive index. */
    private List<SeriesArrival> arrivals(PerformedProcedureStep step) {
        ArchiveIndex archiveIndex = archive.get();
        List<SeriesArrival> arrivals = new ArrayList<>();
        Sequence performed = step.attributes().getSequence(Tag.PerformedSeriesSequence);
        if (performed == null) {
            return arrivals;
        }
        for (DataSet item : performed) {
            String seriesUid = item.getString(Tag.SeriesInstanceUID);
            if (seriesUid == null) {
                continue;
            }
            Set<String> referenced = new HashSet<>();
            for (int seq : new int[] {Tag.ReferencedImageSequence, Tag.ReferencedNonImageCompositeSOPInstanceSequence}) {
                Sequence refs = item.getSequence(seq);
                if (refs != null) {
                    refs.forEach(ref -> {
                        String sop = ref.getString(Tag.ReferencedSOPInstanceUID);
                        if (sop != null) {
                            referenced.add(sop);
                        }
                    });
                }
            }
            arrivals.add(new SeriesArrival(seriesUid, referenced.size(),
                    archiveIndex == null ? -1 : archived(archiveIndex, step.studyInstanceUids(), seriesUid, referenced)));
        }
        return arrivals;
    }

    /** How many of the referenced instances the index holds in this series of one of the step's studies. */
    private static int archived(ArchiveIndex index, List<String> studies, String seriesUid, Set<String> referenced) {
        Set<String> held = new HashSet<>();
        try {
            for (String study : studies) {
                index.findInstances(study, seriesUid).forEach(i -> held.add(i.sopInstanceUid()));
            }
        } catch (IndexException | RuntimeException e) {
            LOG.warn("/api/mpps: cannot ask the archive index about series {}: {}", seriesUid, e.getMessage());
            return -1;
        }
        held.retainAll(referenced);
        return held.size();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void array(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** A JSON body. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static Response json(Body body) {
        return Response.ok(render(body), JSON_UTF8).build();
    }

    private static String render(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(JSON_UTF8).entity(render(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        })).build();
    }

    private static Response databaseError(SQLException e) {
        LOG.warn("/api/mpps: database failure: {}", e.getMessage());
        return error(Response.Status.SERVICE_UNAVAILABLE, "the MPPS database failed: " + e.getMessage());
    }

    private static String date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip().replace("-", "");
        if (!v.matches("\\d{8}")) {
            throw new IllegalArgumentException(name + " must be a date, YYYYMMDD or YYYY-MM-DD: " + value);
        }
        return v;
    }

    private static int integer(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + value, e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
