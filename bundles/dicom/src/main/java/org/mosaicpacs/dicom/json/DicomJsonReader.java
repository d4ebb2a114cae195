package org.mosaicpacs.dicom.json;

import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomLimitException;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.internal.ModelValues;

/**
 * Reads the DICOM JSON Model (PS3.18 F.2) into {@link DataSet}s, streaming with Jackson's parser:
 * a document holding one data set (a JSON object) or many (a JSON array of objects, e.g. a
 * QIDO-RS response), one {@link #readNext()} at a time.
 *
 * <p>Text values become strings (the data set is encoded in its Specific Character Set when
 * written as DICOM); numbers are accepted as JSON numbers or strings; InlineBinary is decoded;
 * a BulkDataURI becomes a {@link BulkData} reference that the caller resolves
 * ({@link BulkData#fromUriString}: {@code offset} and {@code length} query parameters are read,
 * otherwise the length is unknown). Anything that is not the DICOM JSON Model is a
 * {@link DicomParseException} naming the attribute and the character offset in the input.
 * Not thread-safe.
 */
public final class DicomJsonReader implements Closeable {

    /** Sequences nested deeper than this are refused, so that no input can exhaust the stack. */
    public static final int MAX_DEPTH = 200;

    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser json;
    private boolean started;
    private boolean inArray;
    private boolean ended;

    private DicomJsonReader(JsonParser json) {
        this.json = json;
    }

    /** A reader of a JSON document in a stream (UTF-8, UTF-16 or UTF-32, detected); {@link #close()} closes it. */
    public static DicomJsonReader open(InputStream in) throws IOException {
        try {
            return new DicomJsonReader(FACTORY.createParser(in));
        } catch (CharConversionException e) {
            throw new DicomParseException("not JSON text (UTF-8, -16 or -32): " + e.getMessage(), -1, 0, e);
        }
    }

    /** A reader that uses an existing parser, positioned before a data set object or an array of them. */
    public static DicomJsonReader open(JsonParser parser) {
        return new DicomJsonReader(Objects.requireNonNull(parser, "parser"));
    }

    /** Reads a document holding one data set, and closes the stream. */
    public static DataSet readDataSet(InputStream in) throws IOException {
        try (DicomJsonReader r = open(in)) {
            DataSet ds = r.readNext();
            if (ds == null) {
                throw new DicomParseException("no DICOM JSON data set in the input", -1, 0);
            }
            return ds;
        }
    }

    /** Reads a JSON string holding one data set. */
    public static DataSet readDataSet(String json) throws IOException {
        return readDataSet(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * The next data set: the document's object, or the next object of its array; null at the end.
     *
     * @throws DicomParseException if the input is not the DICOM JSON Model
     */
    public DataSet readNext() throws IOException {
        try {
            if (ended) {
                return null;
            }
            JsonToken t = json.nextToken();
            if (!started) {
                started = true;
                if (t == JsonToken.START_ARRAY) {
                    inArray = true;
                    t = json.nextToken();
                }
            }
            if (t == null || inArray && t == JsonToken.END_ARRAY) {
                ended = true;
                return null;
            }
            expect(t, JsonToken.START_OBJECT, "a data set (JSON object)", -1);
            DataSet ds = new DataSet();
            readObject(ds, 0);
            if (!inArray) {
                ended = true;
            }
            return ds;
        } catch (StreamReadException e) {
            throw new DicomParseException("not JSON: " + e.getOriginalMessage(), -1, offset(e.getLocation()), e);
        } catch (CharConversionException e) {
            throw new DicomParseException("not JSON text (UTF-8, -16 or -32): " + e.getMessage(), -1, offset(), e);
        }
    }

    /** Reads the attributes of a data set whose START_OBJECT has been read. */
    private void readObject(DataSet ds, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new DicomLimitException("sequences nested deeper than " + MAX_DEPTH + " levels", -1, offset(), depth);
        }
        JsonToken t;
        while ((t = json.nextToken()) == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            int tag;
            try {
                if (key.length() != 8) {
                    throw new IllegalArgumentException();
                }
                tag = Tags.parse(key);
            } catch (IllegalArgumentException e) {
                throw new DicomParseException("\"" + key + "\" is no tag (ggggeeee in hex)", -1, offset());
            }
            if (Tags.isItemOrDelimiter(tag)) {
                throw new DicomParseException("item and delimitation tags are no attributes", tag, offset());
            }
            expect(json.nextToken(), JsonToken.START_OBJECT, "an attribute object", tag);
            readAttribute(ds, tag, depth);
        }
        expect(t, JsonToken.END_OBJECT, "a tag or the end of the data set", -1);
    }

    private void readAttribute(DataSet ds, int tag, int depth) throws IOException {
        VR vr = null;
        boolean done = false;
        JsonToken t;
        while ((t = json.nextToken()) == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken v = json.nextToken();
            switch (name) {
                case "vr" -> {
                    expect(v, JsonToken.VALUE_STRING, "a VR string", tag);
                    String code = json.getText();
                    vr = code.length() == 2 ? VR.fromCode(code.charAt(0), code.charAt(1)) : null;
                    if (vr == null) {
                        throw new DicomParseException("unknown VR \"" + code + "\"", tag, offset());
                    }
                }
                case "Value", "InlineBinary", "BulkDataURI" -> {
                    if (vr == null) {
                        throw new DicomParseException("\"" + name + "\" before \"vr\"", tag, offset());
                    }
                    if (done) {
                        throw new DicomParseException("more than one of Value, InlineBinary and BulkDataURI", tag, offset());
                    }
                    done = true;
                    switch (name) {
                        case "Value" -> readValue(ds, tag, vr, v, depth);
                        case "InlineBinary" -> {
                            expect(v, JsonToken.VALUE_STRING, "a base64 string", tag);
                            if (vr.kind() != VR.Kind.BYTES) {
                                throw new DicomParseException("InlineBinary for a " + vr + " attribute", tag, offset());
                            }
                            ds.setBytes(tag, vr, decodeBase64(tag));
                        }
                        default -> {
                            expect(v, JsonToken.VALUE_STRING, "a URI string", tag);
                            if (vr == VR.SQ) {
                                throw new DicomParseException("BulkDataURI for a sequence", tag, offset());
                            }
                            try {
                                ds.setBulkData(tag, vr, BulkData.fromUriString(json.getText()));
                            } catch (IllegalArgumentException e) {
                                throw new DicomParseException("bad BulkDataURI: " + e.getMessage(), tag, offset(), e);
                            }
                        }
                    }
                }
                default -> json.skipChildren(); // unknown members are ignored, for extensions
            }
        }
        expect(t, JsonToken.END_OBJECT, "the end of the attribute", tag);
        if (vr == null) {
            throw new DicomParseException("attribute without \"vr\"", tag, offset());
        }
        if (!done) {
            ds.setNull(tag, vr);
        }
    }

    private byte[] decodeBase64(int tag) throws IOException {
        try {
            return json.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
        } catch (StreamReadException | IllegalArgumentException e) {
            throw new DicomParseException("bad base64 in InlineBinary", tag, offset(), e);
        }
    }

    private void readValue(DataSet ds, int tag, VR vr, JsonToken t, int depth) throws IOException {
        expect(t, JsonToken.START_ARRAY, "a Value array", tag);
        if (vr == VR.SQ) {
            Sequence seq = ds.newSequence(tag);
            while ((t = json.nextToken()) != JsonToken.END_ARRAY) {
                expect(t, JsonToken.START_OBJECT, "a sequence item (JSON object)", tag);
                readObject(seq.addNewItem(), depth + 1);
            }
            return;
        }
        if (vr.kind() == VR.Kind.BYTES) {
            throw new DicomParseException("a Value array for a " + vr + " attribute (InlineBinary or BulkDataURI expected)",
                    tag, offset());
        }
        List<String> values = new ArrayList<>();
        while ((t = json.nextToken()) != JsonToken.END_ARRAY) {
            values.add(switch (t) {
                case VALUE_NULL -> {
                    if (vr.isBinaryNumber()) {
                        throw new DicomParseException("null in a " + vr + " Value: binary numbers cannot be empty", tag, offset());
                    }
                    yield "";
                }
                case VALUE_STRING -> text(tag, vr);
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(tag, vr, t);
                case START_OBJECT -> personName(tag, vr);
                default -> throw new DicomParseException("unexpected " + t + " in a Value array", tag, offset());
            });
        }
        try {
            if (vr == VR.UV) {
                long[] n = new long[values.size()];
                for (int k = 0; k < n.length; k++) {
                    n[k] = new BigInteger(values.get(k).strip()).longValue(); // unsigned 64 bit
                }
                ds.setLong(tag, vr, n);
            } else if (values.isEmpty()) {
                ds.setNull(tag, vr);
            } else {
                ds.setString(tag, vr, values.toArray(String[]::new));
            }
        } catch (IllegalArgumentException e) {
            throw new DicomParseException("bad " + vr + " value: " + e.getMessage(), tag, offset(), e);
        }
    }

    private String text(int tag, VR vr) throws IOException {
        String s = json.getText();
        if (vr == VR.PN) {
            throw new DicomParseException("a PN value must be an object with Alphabetic, Ideographic, Phonetic", tag, offset());
        }
        return s;
    }

    private String number(int tag, VR vr, JsonToken t) throws IOException {
        if (!vr.isBinaryNumber() && vr != VR.IS && vr != VR.DS) {
            throw new DicomParseException("a JSON number for a " + vr + " attribute", tag, offset());
        }
        String literal = json.getText();
        if (vr == VR.DS && literal.length() > VR.DS.maxLength()) {
            // a double written with all its digits, e.g. by pydicom: DS holds 16 characters (PS3.5 6.2)
            DataSet scratch = new DataSet();
            try {
                scratch.setDouble(tag, VR.DS, Double.parseDouble(literal));
            } catch (IllegalArgumentException e) {
                throw new DicomParseException("a DS value out of range: " + literal, tag, offset(), e);
            }
            return scratch.getString(tag);
        }
        if ((vr == VR.IS || vr.kind() == VR.Kind.INT) && t == JsonToken.VALUE_NUMBER_FLOAT) {
            try {
                return new java.math.BigDecimal(literal).toBigIntegerExact().toString();
            } catch (ArithmeticException e) {
                throw new DicomParseException("an " + vr + " value must be an integer, not " + literal, tag, offset());
            }
        }
        return literal;
    }

    private String personName(int tag, VR vr) throws IOException {
        if (vr != VR.PN) {
            throw new DicomParseException("an object in the Value of a " + vr + " attribute", tag, offset());
        }
        String[] groups = {"", "", ""};
        JsonToken t;
        while ((t = json.nextToken()) == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken v = json.nextToken();
            int g = switch (name) {
                case "Alphabetic" -> 0;
                case "Ideographic" -> 1;
                case "Phonetic" -> 2;
                default -> -1;
            };
            if (g < 0) {
                json.skipChildren();
                continue;
            }
            expect(v, JsonToken.VALUE_STRING, "a person name component group string", tag);
            groups[g] = json.getText();
        }
        expect(t, JsonToken.END_OBJECT, "the end of the person name", tag);
        return ModelValues.personName(groups[0], groups[1], groups[2]);
    }

    private void expect(JsonToken actual, JsonToken expected, String what, int tag) throws DicomParseException {
        if (actual != expected) {
            throw new DicomParseException("expected " + what + ", found " + (actual == null ? "the end of the input" : actual),
                    tag, offset());
        }
    }

    private long offset() {
        return offset(json.currentLocation());
    }

    private static long offset(JsonLocation location) {
        if (location == null) {
            return -1;
        }
        return location.getByteOffset() >= 0 ? location.getByteOffset() : location.getCharOffset();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
