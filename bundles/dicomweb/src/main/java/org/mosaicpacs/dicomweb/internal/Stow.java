package org.mosaicpacs.dicomweb.internal;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.mosaicpacs.api.archive.Archive;
import org.mosaicpacs.api.archive.ArchiveException;
import org.mosaicpacs.api.archive.StoreRequest;
import org.mosaicpacs.api.archive.StoreResult;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.dicom.json.DicomJsonReader;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;

/**
 * STOW-RS (PS3.18 10.5): a {@code multipart/related} body of {@code application/dicom} parts,
 * each streamed into the archive as it arrives, or of {@code application/dicom+json} metadata
 * with its bulk data in further parts (spooled to temporary files, then written as Part 10).
 * The answer is the Store Instances Response Module (PS3.18 Table 10.5.3-1): Referenced SOP
 * Sequence for what was stored, Failed SOP Sequence with a Failure Reason for what was not, and
 * 200 (all stored), 202 (some stored, or stored with warnings) or 409 (none stored).
 */
final class Stow {

    /** Failure Reasons (PS3.18 Table 10.5.3-2, PS3.4 Annex B.2.3). */
    static final int PROCESSING_FAILURE = 0x0110;
    static final int DUPLICATE_SOP_INSTANCE = 0x0111;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int DATA_SET_DOES_NOT_MATCH = 0xA900;
    static final int CANNOT_UNDERSTAND = 0xC000;
    /** Refused: not authorized (PS3.7 C.5): an instance an IOCM rejection note rejected, sent again. */
    static final int NOT_AUTHORIZED = 0x0124;
    /** Warning Reason: Coercion of Data Elements. */
    static final int COERCION = 0xB000;

    /** Header bytes held in memory while the Study Instance UID of a part is checked. */
    private static final int PEEK_LIMIT = 16 * 1024 * 1024;

    private final Archive archive;
    private final long maxBytes;

    Stow(Archive archive, long maxBytes) {
        this.archive = archive;
        this.maxBytes = maxBytes;
    }

    /** The outcome of the request, instance by instance. */
    private static final class Outcome {
        final DataSet response = new DataSet();
        final Sequence referenced = response.newSequence(Tag.ReferencedSOPSequence);
        final Sequence failed = response.newSequence(Tag.FailedSOPSequence);
        final List<String> reasons = new ArrayList<>();
        boolean warnings;
        String studyUid;
        boolean oneStudy = true;
    }

    /**
     * Stores the body.
     *
     * @param studyUid      the study of the URL ({@code POST /studies/{study}}), or null
     * @param contentType   the request's Content-Type
     * @param contentLength the declared length, or -1
     * @param base          the application's absolute base URL, ending in /
     */
    Response store(String studyUid, String contentType, long contentLength, InputStream body, String base,
                   String remoteAddress, List<MediaTypes.Range> accepted) throws IOException {
        String responseType = MediaTypes.select(accepted, List.of(MediaTypes.DICOM_JSON, MediaTypes.JSON,
                MediaTypes.DICOM_XML)).orElseThrow(() -> DicomWebException.notAcceptable(
                "the STOW-RS response is available as application/dicom+json or application/dicom+xml"));
        if (contentType == null) {
            throw new DicomWebException(415, "STOW-RS needs Content-Type: multipart/related; "
                    + "type=\"application/dicom\"; boundary=...");
        }
        MediaTypes.Range type = MediaTypes.parseRange(contentType);
        if (!"multipart".equals(type.type()) || !"related".equals(type.subtype())) {
            throw new DicomWebException(415, "STOW-RS takes multipart/related, not " + type.mediaType());
        }
        String boundary = type.param("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw DicomWebException.badRequest("the multipart/related Content-Type has no boundary parameter");
        }
        String rootType = type.param("type") != null ? type.param("type") : MediaTypes.DICOM;
        if (!rootType.equals(MediaTypes.DICOM) && !rootType.equals(MediaTypes.DICOM_JSON)) {
            throw new DicomWebException(415, "STOW-RS takes parts of type application/dicom or "
                    + "application/dicom+json (with bulk data parts), not " + rootType);
        }
        if (maxBytes > 0 && contentLength > maxBytes) {
            throw tooLarge();
        }
        LimitedInputStream limited = new LimitedInputStream(body, maxBytes);
        MultipartReader reader = new MultipartReader(limited, boundary);
        Outcome outcome = new Outcome();
        StoreRequest request = new StoreRequest("STOW-RS", null, null, remoteAddress, null, true, null, null);
        List<DataSet> jsonDataSets = new ArrayList<>();
        Map<String, Path> bulkParts = new HashMap<>();
        Path spool = null;
        try {
            int parts = 0;
            for (MultipartReader.Part part; (part = reader.next()) != null; ) {
                parts++;
                String partType = part.header("Content-Type") != null
                        ? MediaTypes.parseRange(part.header("Content-Type")).mediaType() : rootType;
                if (partType.equals(MediaTypes.DICOM)) {
                    storePart10(part.body(), request, studyUid, base, outcome, limited);
                } else if (partType.equals(MediaTypes.DICOM_JSON) || partType.equals(MediaTypes.JSON)) {
                    try (DicomJsonReader json = DicomJsonReader.open(part.body())) {
                        for (DataSet ds; (ds = json.readNext()) != null; ) {
                            jsonDataSets.add(ds);
                        }
                    } catch (DicomParseException e) {
                        throw DicomWebException.badRequest("a DICOM JSON part is malformed: " + e.getMessage());
                    }
                } else if (rootType.equals(MediaTypes.DICOM_JSON)) {
                    if (spool == null) {
                        spool = Files.createTempDirectory("mosaic-stow-");
                    }
                    Path file = spool.resolve("bulk-" + parts);
                    try (OutputStream out = Files.newOutputStream(file)) {
                        part.body().transferTo(out);
                    }
                    String location = part.header("Content-Location");
                    String id = part.header("Content-ID");
                    if (location != null) {
                        bulkParts.put(location, file);
                    }
                    if (id != null) {
                        bulkParts.put("cid:" + id.replaceAll("^<|>$", ""), file);
                    }
                } else {
                    throw new DicomWebException(415, "part " + parts + " is " + partType
                            + "; a request of type application/dicom has application/dicom parts only");
                }
            }
            if (parts == 0) {
                throw DicomWebException.badRequest("the multipart body has no parts");
            }
            for (DataSet ds : jsonDataSets) {
                storeJson(ds, bulkParts, spool, request, studyUid, base, outcome);
            }
        } catch (IOException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            if (e instanceof MultipartReader.MalformedMultipartException) {
                throw DicomWebException.badRequest("broken multipart body: " + e.getMessage());
            }
            throw e;
        } finally {
            deleteRecursively(spool);
        }
        if (limited.exceeded()) {
            throw tooLarge();
        }
        return answer(outcome, studyUid, base, responseType);
    }

    private DicomWebException tooLarge() {
        return new DicomWebException(413, "the request body is larger than the STOW-RS limit of " + maxBytes
                + " bytes (stowMaxMegabytes)");
    }

    private void storePart10(InputStream partBody, StoreRequest request, String studyUid, String base,
                             Outcome outcome, LimitedInputStream limited) throws IOException {
        BufferedInputStream in = new BufferedInputStream(partBody, 65536);
        in.mark(PEEK_LIMIT);
        DataSet head;
        try {
            DicomReader peek = DicomReader.open(new FilterInputStream(in) {
                @Override
                public void close() {
                    // the part stays open for the archive
                }
            }, ReadOptions.defaults().withBulkDataThreshold(PEEK_LIMIT / 4).withMaxValueLength(PEEK_LIMIT / 2));
            head = peek.readDataSet(StopCondition.beforeTag(Tag.StudyInstanceUID + 1));
            in.reset();
        } catch (DicomParseException | IllegalArgumentException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            fail(outcome, null, null, CANNOT_UNDERSTAND, "not a DICOM Part 10 object: " + e.getMessage());
            return;
        } catch (IOException e) {
            if (limited.exceeded() || e instanceof MultipartReader.MalformedMultipartException) {
                throw e;
            }
            fail(outcome, null, null, CANNOT_UNDERSTAND, "header too large or unreadable: " + e.getMessage());
            return;
        }
        String sopClass = head.getString(Tag.SOPClassUID);
        String sopInstance = head.getString(Tag.SOPInstanceUID);
        String study = head.getString(Tag.StudyInstanceUID);
        if (studyUid != null && !studyUid.equals(study)) {
            fail(outcome, sopClass, sopInstance, DATA_SET_DOES_NOT_MATCH, "Study Instance UID " + study
                    + " is not the study of the URL " + studyUid);
            return;
        }
        try {
            StoreResult result = archive.store(request, in);
            stored(outcome, result, base);
        } catch (ArchiveException e) {
            if (limited.exceeded()) {
                throw tooLarge();
            }
            if (e.getCause() instanceof MultipartReader.MalformedMultipartException m) {
                throw m;
            }
            fail(outcome, sopClass, sopInstance, failureReason(e), e.getMessage());
        }
    }

    private void storeJson(DataSet ds, Map<String, Path> bulkParts, Path spool, StoreRequest request, String studyUid,
                           String base, Outcome outcome) throws IOException {
        String sopClass = ds.getString(Tag.SOPClassUID);
        String sopInstance = ds.getString(Tag.SOPInstanceUID);
        String study = ds.getString(Tag.StudyInstanceUID);
        if (studyUid != null && !studyUid.equals(study)) {
            fail(outcome, sopClass, sopInstance, DATA_SET_DOES_NOT_MATCH, "Study Instance UID " + study
                    + " is not the study of the URL " + studyUid);
            return;
        }
        String missing = resolveBulkData(ds, bulkParts);
        if (missing != null) {
            fail(outcome, sopClass, sopInstance, CANNOT_UNDERSTAND, "no bulk data part with Content-Location "
                    + missing);
            return;
        }
        Path file = Files.createTempFile(spool != null ? spool : Path.of(System.getProperty("java.io.tmpdir")),
                "instance-", ".dcm");
        try {
            for (int tag : ds.tags()) {
                if ((tag >>> 16) == 0x0002) {
                    ds.remove(tag); // group 0002 is the file's, written anew below
                }
            }
            if (!ds.containsValue(Tag.SpecificCharacterSet)) {
                // JSON text is Unicode (PS3.18 F.2): without a stated character set, keep it as UTF-8
                ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
            }
            DicomWriter.writeFile(file, FileMetaInformation.forDataSet(ds, UID.ExplicitVRLittleEndian), ds,
                    WriteOptions.defaults());
            try (InputStream in = Files.newInputStream(file)) {
                stored(outcome, archive.store(request, in), base);
            }
        } catch (IllegalArgumentException e) {
            fail(outcome, sopClass, sopInstance, CANNOT_UNDERSTAND, e.getMessage());
        } catch (ArchiveException e) {
            fail(outcome, sopClass, sopInstance, failureReason(e), e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Points every BulkDataURI of the data set at the spooled part with that Content-Location.
     *
     * @return the first URI without a part, or null if all were found
     */
    static String resolveBulkData(DataSet ds, Map<String, Path> bulkParts) throws IOException {
        for (int tag : ds.tags()) {
            Object value = ds.getValue(tag);
            if (value instanceof BulkData bulk) {
                Path file = bulkParts.get(bulk.uri().toString());
                if (file == null) {
                    file = bulkParts.get(bulk.toUriString());
                }
                if (file == null) {
                    return bulk.uri().toString();
                }
                VR vr = ds.vr(tag);
                ds.setBulkData(tag, vr, new BulkData(file.toUri(), 0, Files.size(file), false));
            } else if (value instanceof Sequence seq) {
                for (DataSet item : seq) {
                    String missing = resolveBulkData(item, bulkParts);
                    if (missing != null) {
                        return missing;
                    }
                }
            }
        }
        return null;
    }

    private static void stored(Outcome outcome, StoreResult result, String base) {
        var r = result.instance();
        DataSet item = outcome.referenced.addNewItem();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClassUid());
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstanceUid());
        item.setString(Tag.RetrieveURL, VR.UR, base + "studies/" + r.studyInstanceUid() + "/series/"
                + r.seriesInstanceUid() + "/instances/" + r.sopInstanceUid());
        if (!result.warnings().isEmpty()) {
            item.setInt(Tag.WarningReason, VR.US, COERCION);
            outcome.warnings = true;
        }
        if (outcome.studyUid == null) {
            outcome.studyUid = r.studyInstanceUid();
        } else if (!outcome.studyUid.equals(r.studyInstanceUid())) {
            outcome.oneStudy = false;
        }
    }

    private static void fail(Outcome outcome, String sopClass, String sopInstance, int reason, String why) {
        DataSet item = outcome.failed.addNewItem();
        if (sopClass != null) {
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, sopClass);
        }
        if (sopInstance != null) {
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sopInstance);
        }
        item.setInt(Tag.FailureReason, VR.US, reason);
        // the module has no place for words: they go to a Warning header (PS3.18 8.3.4.4.1 style)
        outcome.reasons.add((sopInstance != null ? sopInstance + ": " : "") + why);
    }

    static int failureReason(ArchiveException e) {
        return switch (e.reason()) {
            case OUT_OF_RESOURCES -> OUT_OF_RESOURCES;
            case CANNOT_UNDERSTAND -> CANNOT_UNDERSTAND;
            case DATA_SET_MISMATCH, MISSING_ATTRIBUTE -> DATA_SET_DOES_NOT_MATCH;
            case DUPLICATE_REJECTED -> DUPLICATE_SOP_INSTANCE;
            case REJECTED_INSTANCE -> NOT_AUTHORIZED;
            case NOT_FOUND, PROCESSING_FAILURE -> PROCESSING_FAILURE;
        };
    }

    private static Response answer(Outcome outcome, String studyUid, String base, String responseType) {
        DataSet response = outcome.response;
        String study = studyUid != null ? studyUid : outcome.oneStudy ? outcome.studyUid : null;
        if (study != null) {
            response.setString(Tag.RetrieveURL, VR.UR, base + "studies/" + study);
        }
        if (outcome.failed.isEmpty()) {
            response.remove(Tag.FailedSOPSequence);
        }
        if (outcome.referenced.isEmpty()) {
            response.remove(Tag.ReferencedSOPSequence);
        }
        int status = outcome.referenced.isEmpty() ? 409
                : !outcome.failed.isEmpty() || outcome.warnings ? 202 : 200;
        StreamingOutput body = out -> {
            if (MediaTypes.DICOM_XML.equals(responseType)) {
                try (DicomXmlWriter xml = DicomXmlWriter.create(nonClosing(out))) {
                    xml.writeDocument(response);
                }
            } else {
                try (DicomJsonWriter json = DicomJsonWriter.create(nonClosing(out))) {
                    json.writeDataSet(response);
                }
            }
        };
        Response.ResponseBuilder answer = Response.status(status).entity(body).header("Content-Type",
                MediaTypes.DICOM_XML.equals(responseType) ? MediaTypes.DICOM_XML : MediaTypes.DICOM_JSON);
        outcome.reasons.stream().limit(20).forEach(reason -> answer.header("Warning", Qido.warning(reason)));
        return answer.build();
    }

    static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Counts the body and stops it at the limit: a body over the limit is a 413 even without Content-Length. */
    static final class LimitedInputStream extends FilterInputStream {
        private final long max;
        private long count;
        private boolean exceeded;

        LimitedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        boolean exceeded() {
            return exceeded;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(long n) throws IOException {
            count += n;
            if (max > 0 && count > max) {
                exceeded = true;
                throw new IOException("request body larger than " + max + " bytes");
            }
        }
    }
}
