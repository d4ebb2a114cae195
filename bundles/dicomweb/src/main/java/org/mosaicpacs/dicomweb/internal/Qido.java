package org.mosaicpacs.dicomweb.internal;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/**
 * QIDO-RS (PS3.18 10.6): runs a {@link QidoQuery} on the index and answers with DICOM JSON or
 * multipart/related application/dicom+xml; 204 when nothing matches; {@code Warning: 299} for
 * ignored parameters and for results cut by the limit (PS3.18 8.3.4.4).
 */
final class Qido {

    /** The warn-agent of our Warning headers (RFC 7234 5.5). */
    static final String WARN_AGENT = "Mosaic";
    static final String MORE_RESULTS = "There are additional results that can be requested";

    private final InstanceAccess access;
    private final int defaultLimit;

    Qido(InstanceAccess access, int defaultLimit) {
        this.access = access;
        this.defaultLimit = defaultLimit;
    }

    Response search(QueryLevel level, Map<String, List<String>> params, String studyUid, String seriesUid,
                    String base, List<MediaTypes.Range> accepted) throws IndexException {
        String type = MediaTypes.select(accepted, List.of(MediaTypes.DICOM_JSON, MediaTypes.JSON)).orElse(null);
        boolean xml = type == null && !MediaTypes.acceptedSyntaxes(accepted, MediaTypes.DICOM_XML, "").isEmpty();
        if (type == null && !xml) {
            throw DicomWebException.notAcceptable("search results are available as application/dicom+json or "
                    + "multipart/related; type=\"application/dicom+xml\"");
        }
        QidoQuery query = QidoQuery.parse(level, params, studyUid, seriesUid, defaultLimit);
        List<DataSet> matches = new ArrayList<>();
        boolean more;
        // results are bounded by the limit: collected first, so that the status and Warning reflect them
        try (QueryResults results = access.query(query.query())) {
            while (results.hasNext()) {
                matches.add(withRetrieveUrl(results.next(), level, base));
            }
            more = results.limitReached();
        }
        List<String> warnings = new ArrayList<>(query.warnings());
        if (more) {
            warnings.add(MORE_RESULTS);
        }
        Response.ResponseBuilder response;
        if (matches.isEmpty()) {
            response = Response.noContent();
        } else if (xml) {
            String boundary = MultipartWriter.newBoundary();
            StreamingOutput body = out -> {
                MultipartWriter multipart = new MultipartWriter(out, boundary);
                for (DataSet match : matches) {
                    try (OutputStream part = multipart.startPart(Map.of("Content-Type",
                            MediaTypes.DICOM_XML + "; charset=utf-8")); DicomXmlWriter w = DicomXmlWriter.create(part)) {
                        w.writeDocument(match);
                    }
                }
                multipart.finish();
            };
            response = Response.ok(body).header("Content-Type", MultipartWriter.contentType(MediaTypes.DICOM_XML,
                    boundary));
        } else {
            StreamingOutput body = out -> {
                try (DicomJsonWriter w = DicomJsonWriter.create(Stow.nonClosing(out))) {
                    w.writeStartArray();
                    for (DataSet match : matches) {
                        w.writeDataSet(match);
                    }
                    w.writeEndArray();
                }
            };
            response = Response.ok(body).header("Content-Type", MediaTypes.DICOM_JSON);
        }
        for (String warning : warnings) {
            response.header("Warning", warning(warning));
        }
        return response.build();
    }

    /** A Warning header value, {@code 299 Mosaic: "text"} (PS3.18 8.3.4.4.1, RFC 7234 5.5). */
    static String warning(String text) {
        return "299 " + WARN_AGENT + ": \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Adds Retrieve URL (0008,1190) and Instance Availability (PS3.18 Table 10.6.3-3). */
    private static DataSet withRetrieveUrl(DataSet match, QueryLevel level, String base) {
        String study = match.getString(Tag.StudyInstanceUID);
        String url = base + "studies/" + study;
        if (level != QueryLevel.STUDY) {
            url += "/series/" + match.getString(Tag.SeriesInstanceUID);
        }
        if (level == QueryLevel.IMAGE) {
            url += "/instances/" + match.getString(Tag.SOPInstanceUID);
        }
        DataSet out = match.isReadOnly() ? match.deepCopy() : match;
        out.setString(Tag.RetrieveURL, VR.UR, url);
        out.setString(Tag.InstanceAvailability, VR.CS, "ONLINE");
        return out;
    }
}
