package org.mosaicpacs.service.worklist.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import javax.ws.rs.core.UriInfo;

import org.mosaicpacs.api.MosaicConstants;
import org.mosaicpacs.api.worklist.WorklistException;
import org.mosaicpacs.api.worklist.WorklistItem;
import org.mosaicpacs.api.worklist.WorklistStore;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.json.DicomJsonReader;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * {@code /api/worklist}: the worklist items over REST, bodies in the DICOM JSON Model (PS3.18 F).
 *
 * <ul>
 * <li>{@code POST /api/worklist}: a data set ({@code application/dicom+json} or
 *     {@code application/json}; one object, or an array holding one) becomes an item: 201 with
 *     Location and the stored item (identifiers and status filled in).</li>
 * <li>{@code GET /api/worklist/{id}}: the item, 404 if unknown. With
 *     {@code Accept: application/dicom+json} the bare data set, otherwise the item object
 *     {@code {"id", "updated", "dataset"}}.</li>
 * <li>{@code PUT /api/worklist/{id}}: replaces the item's data set; 200, 404, 400.</li>
 * <li>{@code DELETE /api/worklist/{id}}: 204, 404.</li>
 * <li>{@code GET /api/worklist?patientId=&patientName=&accessionNumber=&studyInstanceUid=&modality=
 *     &stationAeTitle=&date=&status=&limit=&offset=}: the items matching every filter given, with
 *     the matching rules of the C-FIND SCP (wild cards "*" and "?", {@code date} a DICOM date or
 *     range such as {@code 20261201-20261207} or {@code 20261201-}), in order of scheduled start.</li>
 * </ul>
 * Errors are {@code {"error": "..."}}: 400 for a body or filter that is not valid, 404 for an
 * unknown id, 500 when the database fails. Changes raise the events of the store.
 */
@Component(service = WorklistResource.class)
@JaxrsResource
@JaxrsApplicationSelect(MosaicConstants.API_APPLICATION_SELECT)
@Path("worklist")
public class WorklistResource {

    static final String DICOM_JSON = "application/dicom+json";
    /** The most items one list answer holds. */
    static final int MAX_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(WorklistResource.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final WorklistStore store;

    @Activate
    public WorklistResource(@Reference WorklistStore store) {
        this.store = store;
    }

    @POST
    @Consumes({DICOM_JSON, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body, @Context UriInfo uri) {
        return create(body, uri.getAbsolutePath());
    }

    Response create(InputStream body, URI collection) {
        try {
            WorklistItem item = store.create(read(body));
            String base = collection.toString().endsWith("/") ? collection.toString() : collection + "/";
            return Response.created(URI.create(base + item.id())).type(MediaType.APPLICATION_JSON)
                    .entity(itemJson(item)).build();
        } catch (BadRequest e) {
            return e.response;
        } catch (WorklistException e) {
            return failure(e);
        }
    }

    @GET
    @Path("{id}")
    @Produces({MediaType.APPLICATION_JSON, DICOM_JSON})
    public Response get(@PathParam("id") String id, @Context HttpHeaders headers) {
        return get(id, headers.getAcceptableMediaTypes());
    }

    Response get(String id, List<MediaType> accepted) {
        try {
            Optional<WorklistItem> item = store.get(id);
            if (item.isEmpty()) {
                return notFound(id);
            }
            if (prefersDicomJson(accepted)) {
                return Response.ok(dataSetJson(item.get().attributes()), DICOM_JSON).build();
            }
            return Response.ok(itemJson(item.get()), MediaType.APPLICATION_JSON).build();
        } catch (WorklistException e) {
            return failure(e);
        }
    }

    @PUT
    @Path("{id}")
    @Consumes({DICOM_JSON, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") String id, InputStream body) {
        try {
            return Response.ok(itemJson(store.update(id, read(body))), MediaType.APPLICATION_JSON).build();
        } catch (BadRequest e) {
            return e.response;
        } catch (WorklistException e) {
            return failure(e);
        }
    }

    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response delete(@PathParam("id") String id) {
        try {
            return store.delete(id) ? Response.noContent().build() : notFound(id);
        } catch (WorklistException e) {
            return failure(e);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("patientId") String patientId, @QueryParam("patientName") String patientName,
                         @QueryParam("accessionNumber") String accessionNumber,
                         @QueryParam("studyInstanceUid") String studyInstanceUid,
                         @QueryParam("modality") String modality, @QueryParam("stationAeTitle") String stationAeTitle,
                         @QueryParam("date") String date, @QueryParam("status") String status,
                         @QueryParam("limit") @DefaultValue("100") int limit,
                         @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            return error(Response.Status.BAD_REQUEST, "limit is 1 to " + MAX_LIMIT + " and offset 0 or more");
        }
        DataSet keys = new DataSet();
        DataSet step = keys.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        try {
            filter(keys, Tag.PatientID, VR.LO, patientId, "patientId");
            filter(keys, Tag.PatientName, VR.PN, patientName, "patientName");
            filter(keys, Tag.AccessionNumber, VR.SH, accessionNumber, "accessionNumber");
            filter(keys, Tag.StudyInstanceUID, VR.UI, studyInstanceUid, "studyInstanceUid");
            filter(step, Tag.Modality, VR.CS, modality, "modality");
            filter(step, Tag.ScheduledStationAETitle, VR.AE, stationAeTitle, "stationAeTitle");
            filter(step, Tag.ScheduledProcedureStepStartDate, VR.DA, date, "date");
            filter(step, Tag.ScheduledProcedureStepStatus, VR.CS, status, "status");
            WorklistMatcher.validate(keys);
        } catch (BadRequest e) {
            return e.response;
        } catch (InvalidKeyException e) {
            return error(Response.Status.BAD_REQUEST, "date is a DICOM date (YYYYMMDD) or range "
                    + "(YYYYMMDD-YYYYMMDD, open at either end)");
        }
        List<WorklistItem> items;
        try {
            items = store.find(keys, offset, limit);
        } catch (WorklistException e) {
            return failure(e);
        }
        StreamingOutput body = out -> {
            try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                json.writeStartArray();
                for (WorklistItem item : items) {
                    writeItem(json, item);
                }
                json.writeEndArray();
            }
        };
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    private static void filter(DataSet keys, int tag, VR vr, String value, String name) throws BadRequest {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.indexOf('\\') >= 0) {
            throw new BadRequest(name + " holds one value: no backslash");
        }
        keys.setString(tag, vr, value);
    }

    // ---------------------------------------------------------------- bodies

    /** Thrown inside this class for a 400 answer. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Response response;

        BadRequest(String message) {
            super(message);
            this.response = error(Response.Status.BAD_REQUEST, message);
        }
    }

    private static DataSet read(InputStream body) throws BadRequest {
        if (body == null) {
            throw new BadRequest("the body must be a DICOM JSON data set (PS3.18 F.2)");
        }
        try (DicomJsonReader reader = DicomJsonReader.open(body)) {
            DataSet ds = reader.readNext();
            if (ds == null) {
                throw new BadRequest("the body holds no DICOM JSON data set (PS3.18 F.2)");
            }
            if (reader.readNext() != null) {
                throw new BadRequest("the body holds more than one data set: send one item per request");
            }
            return ds;
        } catch (IOException | RuntimeException e) {
            throw new BadRequest("the body is not a DICOM JSON data set (PS3.18 F.2): " + e.getMessage());
        }
    }

    private static boolean prefersDicomJson(List<MediaType> accepted) {
        for (MediaType type : accepted) {
            if (type.isCompatible(MediaType.valueOf(DICOM_JSON)) && !type.isWildcardSubtype()) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    static byte[] itemJson(WorklistItem item) {
        return json(json -> writeItem(json, item));
    }

    private static byte[] dataSetJson(DataSet ds) {
        return json(json -> DicomJsonWriter.create(json).writeDataSet(ds));
    }

    /** {"id": ..., "updated": ISO-8601 instant, "dataset": DICOM JSON}. */
    private static void writeItem(JsonGenerator json, WorklistItem item) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", item.id());
        json.writeStringField("updated", item.updated().toString());
        json.writeFieldName("dataset");
        DicomJsonWriter.create(json).writeDataSet(item.attributes());
        json.writeEndObject();
    }

    private interface JsonBody {
        void write(JsonGenerator json) throws IOException;
    }

    private static byte[] json(JsonBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = JSON.createGenerator((OutputStream) out, JsonEncoding.UTF8)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- errors

    private static Response notFound(String id) {
        return error(Response.Status.NOT_FOUND, "there is no worklist item " + id);
    }

    /** 404 for an unknown item, 500 for a database failure, 400 for an item the store refuses. */
    private static Response failure(WorklistException e) {
        if (e instanceof NoSuchItemException) {
            return error(Response.Status.NOT_FOUND, e.getMessage());
        }
        if (e.getCause() instanceof SQLException) {
            LOG.warn("Worklist REST request failed: {}", e.getMessage());
            return error(Response.Status.INTERNAL_SERVER_ERROR, e.getMessage());
        }
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    static Response error(Response.Status status, String message) {
        byte[] body = json(json -> {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        });
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new String(body, StandardCharsets.UTF_8))
                .build();
    }
}
