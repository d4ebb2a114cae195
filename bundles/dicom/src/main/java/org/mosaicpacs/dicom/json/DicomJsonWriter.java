package org.mosaicpacs.dicom.json;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementPath;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.internal.ModelValues;
import org.mosaicpacs.dicom.io.BulkDataResolver;
import org.mosaicpacs.dicom.io.BulkDataUriPolicy;

/**
 * Writes data sets in the DICOM JSON Model (PS3.18 F.2), streaming with Jackson's generator: one
 * data set as a JSON object, or many as a JSON array ({@link #writeStartArray()}, then
 * {@link #writeDataSet} for each, then {@link #writeEndArray()}) without building a tree, for
 * QIDO-RS results and WADO-RS series metadata.
 *
 * <p>Encoding (PS3.18 F.2.2 to F.2.7):
 * <ul>
 * <li>attributes in ascending tag order, keys "ggggeeee" in upper-case hex; Group Length
 *     (gggg,0000) elements are left out;</li>
 * <li>text decoded with the data set's Specific Character Set and written as UTF-8 (JSON is
 *     always UTF-8, RFC 8259); Specific Character Set (0008,0005) itself is kept, as F.2.2 Note 3
 *     says: it tells how the source was encoded and how to encode it again;</li>
 * <li>values with padding removed; an empty value in a multi-valued attribute is {@code null}, an
 *     attribute without value has no "Value" (F.2.5);</li>
 * <li>PN as objects with the non-empty component groups Alphabetic, Ideographic, Phonetic;</li>
 * <li>US, SS, UL, SL, SV, UV, FL, FD as JSON numbers; IS and DS as JSON numbers too (normalised
 *     where the DICOM form is no JSON number, e.g. "+.5" as 0.5), or as strings when they are
 *     not numbers at all (Table F.2.3-1 permits either); FL and FD NaN and infinities as the
 *     strings "NaN", "Infinity", "-Infinity";</li>
 * <li>AT as "ggggeeee" strings;</li>
 * <li>OB, OD, OF, OL, OV, OW, UN as InlineBinary (base64 of the little endian value) or, for
 *     values held as {@link BulkData}, as a BulkDataURI chosen by the {@link BulkDataUriPolicy};
 *     encapsulated Pixel Data is one BulkDataURI for its {@link Fragments#source()} or
 *     InlineBinary of its items as encoded;</li>
 * <li>sequences as arrays of objects; an empty item is {}.</li>
 * </ul>
 * Not thread-safe. Closing the writer closes the output stream it was created with.
 */
public final class DicomJsonWriter implements Closeable, Flushable {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonGenerator json;
    private BulkDataUriPolicy bulkDataUriPolicy = BulkDataUriPolicy.sourceUri();
    private BulkDataResolver bulkDataResolver = BulkDataResolver.files();

    private DicomJsonWriter(JsonGenerator json) {
        this.json = json;
    }

    /** A writer of UTF-8 JSON to a stream, which {@link #close()} closes. */
    public static DicomJsonWriter create(OutputStream out) throws IOException {
        return new DicomJsonWriter(FACTORY.createGenerator(out, JsonEncoding.UTF8));
    }

    /**
     * A writer that uses an existing generator, e.g. one whose output a JAX-RS resource
     * streams; {@link #close()} closes the generator.
     */
    public static DicomJsonWriter create(JsonGenerator generator) {
        return new DicomJsonWriter(Objects.requireNonNull(generator, "generator"));
    }

    /** A data set as a JSON string (small data sets, tests, logs). */
    public static String toJson(DataSet dataSet) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (DicomJsonWriter w = create(out)) {
            w.writeDataSet(dataSet);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** How values held as {@link BulkData} are written; the default is {@link BulkDataUriPolicy#sourceUri()}. */
    public DicomJsonWriter setBulkDataUriPolicy(BulkDataUriPolicy policy) {
        this.bulkDataUriPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Opens bulk data that the policy writes inline; the default reads {@code file:} URIs. */
    public DicomJsonWriter setBulkDataResolver(BulkDataResolver resolver) {
        this.bulkDataResolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /** Indents the output (two spaces per level) for people to read. */
    public DicomJsonWriter setPrettyPrint(boolean pretty) {
        if (pretty) {
            json.useDefaultPrettyPrinter();
        } else {
            json.setPrettyPrinter(null);
        }
        return this;
    }

    /** Starts a JSON array of data sets. */
    public void writeStartArray() throws IOException {
        json.writeStartArray();
    }

    /** Ends the JSON array of data sets. */
    public void writeEndArray() throws IOException {
        json.writeEndArray();
    }

    /**
     * Writes one data set as a JSON object.
     *
     * @throws IOException if writing fails or bulk data to be written inline cannot be read
     */
    public void writeDataSet(DataSet dataSet) throws IOException {
        writeObject(dataSet, null, -1);
    }

    private void writeObject(DataSet ds, ElementPath sequence, int item) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            if (Tags.isGroupLength(tag)) {
                continue;
            }
            json.writeFieldName(Tags.toHex(tag));
            writeAttribute(ds, i, sequence == null ? ElementPath.of(tag) : sequence.child(item, tag));
        }
        json.writeEndObject();
    }

    private void writeAttribute(DataSet ds, int i, ElementPath path) throws IOException {
        int tag = path.tag();
        VR vr = ds.vrAt(i);
        Object value = ds.valueAt(i);
        json.writeStartObject();
        json.writeStringField("vr", vr.name());
        if (value instanceof Sequence seq) {
            if (!seq.isEmpty()) {
                json.writeArrayFieldStart("Value");
                for (int k = 0; k < seq.size(); k++) {
                    writeObject(seq.get(k), path, k);
                }
                json.writeEndArray();
            }
        } else if (value instanceof BulkData || value instanceof Fragments) {
            BulkData bulk = value instanceof Fragments f ? f.source() : (BulkData) value;
            String uri = bulk == null ? null : bulkDataUriPolicy.bulkDataUri(path, vr, bulk);
            if (uri == null && value instanceof BulkData b && (!b.hasLength() || vr.kind() != VR.Kind.BYTES)) {
                // unresolved, or a text or number value by reference (F.2.6): it can only be passed on
                uri = b.toUriString();
            }
            if (uri != null) {
                json.writeStringField("BulkDataURI", uri);
            } else {
                writeInlineBinary(value, vr);
            }
        } else if (vr.kind() == VR.Kind.BYTES) {
            if (((byte[]) value).length > 0) {
                writeInlineBinary(value, vr);
            }
        } else {
            writeValues(ds, tag, vr);
        }
        json.writeEndObject();
    }

    private void writeInlineBinary(Object value, VR vr) throws IOException {
        json.writeFieldName("InlineBinary");
        long length = ModelValues.inlineLength(value);
        if (length > Integer.MAX_VALUE) {
            throw new IOException("a value of " + length + " bytes cannot be written inline; give it a BulkDataURI");
        }
        try (InputStream in = ModelValues.inlineBytes(value, vr, bulkDataResolver)) {
            json.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, in, (int) length);
        }
    }

    private void writeValues(DataSet ds, int tag, VR vr) throws IOException {
        String[] values = ds.getStrings(tag);
        if (values.length == 0) {
            return;
        }
        json.writeArrayFieldStart("Value");
        switch (vr.kind()) {
            case INT -> {
                for (String v : values) {
                    json.writeNumber(v);
                }
            }
            case FLOAT -> {
                for (double d : ds.getDoubles(tag)) {
                    if (!Double.isFinite(d)) {
                        json.writeString(Double.toString(d));
                    } else if (vr == VR.FL) {
                        json.writeNumber((float) d);
                    } else {
                        json.writeNumber(d);
                    }
                }
            }
            default -> {
                for (String v : values) {
                    if (v.isEmpty()) {
                        json.writeNull();
                    } else if (vr == VR.PN) {
                        writePersonName(v);
                    } else if (vr == VR.IS || vr == VR.DS) {
                        String number = ModelValues.jsonNumber(v);
                        if (number != null) {
                            json.writeNumber(number);
                        } else {
                            json.writeString(v);
                        }
                    } else {
                        json.writeString(v);
                    }
                }
            }
        }
        json.writeEndArray();
    }

    private void writePersonName(String value) throws IOException {
        String[] groups = ModelValues.personNameGroups(value);
        json.writeStartObject();
        if (!groups[0].isEmpty()) {
            json.writeStringField("Alphabetic", groups[0]);
        }
        if (!groups[1].isEmpty()) {
            json.writeStringField("Ideographic", groups[1]);
        }
        if (!groups[2].isEmpty()) {
            json.writeStringField("Phonetic", groups[2]);
        }
        json.writeEndObject();
    }

    @Override
    public void flush() throws IOException {
        json.flush();
    }

    /** Flushes and closes the generator (and the stream it writes to, if created with one). */
    @Override
    public void close() throws IOException {
        json.close();
    }
}
