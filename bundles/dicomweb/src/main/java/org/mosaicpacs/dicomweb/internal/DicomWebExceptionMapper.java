package org.mosaicpacs.dicomweb.internal;

import java.nio.charset.StandardCharsets;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.transcode.TranscodeException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one exception mapper of the DICOMweb application: every failure becomes a status and a
 * plain-text body saying why. Problems of the request are 4xx; only failures of the server
 * itself (storage, database) are 5xx, and those are logged.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsApplicationSelect(DicomWebApplication.SELECT)
public class DicomWebExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(DicomWebExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        int status = status(e);
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (e instanceof WebApplicationException w) {
            if (w.getResponse().hasEntity()) {
                return w.getResponse();
            }
            message = w.getResponse().getStatusInfo().getReasonPhrase();
        }
        if (status >= 500) {
            LOG.warn("DICOMweb request failed: {}", message, e);
        }
        return Response.status(status).type(new MediaType("text", "plain", StandardCharsets.UTF_8.name()))
                .entity(message + "\n").build();
    }

    /** The HTTP status of a failure (PS3.18 8.7.3 for retrieve, 10.5.3 for store). */
    static int status(Throwable e) {
        if (e instanceof DicomWebException d) {
            return d.status();
        }
        if (e instanceof WebApplicationException w) {
            return w.getResponse().getStatus();
        }
        if (e instanceof ArchiveException a) {
            return switch (a.reason()) {
                case NOT_FOUND -> 404;
                case CANNOT_UNDERSTAND -> 400;
                case DATA_SET_MISMATCH, MISSING_ATTRIBUTE, DUPLICATE_REJECTED, REJECTED_INSTANCE -> 409;
                case OUT_OF_RESOURCES -> 507;
                case PROCESSING_FAILURE -> 500;
            };
        }
        if (e instanceof TranscodeException t) {
            return switch (t.reason()) {
                case UNSUPPORTED, LOSSY_REFUSED -> 406;
                case NOT_AN_IMAGE -> 404;
                case CORRUPT_FRAME, MALFORMED -> 500;
            };
        }
        if (e instanceof IndexException i) {
            // the index reports keys it cannot parse as an IllegalArgumentException cause
            return i.getCause() instanceof IllegalArgumentException ? 400 : 503;
        }
        if (e instanceof IllegalArgumentException) {
            return 400;
        }
        return 500;
    }
}
