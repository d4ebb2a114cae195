package org.mosaicpacs.dicom.xml;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomLimitException;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.internal.ModelValues;

/**
 * Reads a Native DICOM Model XML document (PS3.19 A.1) into a {@link DataSet} with the JDK's StAX
 * parser; with or without the PS3.19 namespace, as DCMTK's {@code dcm2xml --native-format} and
 * dcm4che write it. Private data elements written as "gggg00ee" with a {@code privateCreator} are
 * put in the block that creator reserves in their data set (reserved if need be). A
 * {@code BulkData uri} becomes a {@link BulkData} reference the caller resolves (a {@code uuid},
 * as {@code urn:uuid:...}). DTDs and external entities are not processed. Anything that is not
 * the Native DICOM Model is a {@link DicomParseException} naming the attribute and the line.
 * Not thread-safe.
 */
public final class DicomXmlReader {

    /** Sequences nested deeper than this are refused, so that no input can exhaust the stack. */
    public static final int MAX_DEPTH = 200;

    private static final XMLInputFactory FACTORY = XMLInputFactory.newDefaultFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private final XMLStreamReader xml;

    private DicomXmlReader(XMLStreamReader xml) {
        this.xml = xml;
    }

    /**
     * Reads a document; the stream is not closed.
     *
     * @throws DicomParseException if the input is not a Native DICOM Model document
     */
    public static DataSet readDataSet(InputStream in) throws IOException {
        XMLStreamReader xml;
        synchronized (FACTORY) {
            try {
                xml = FACTORY.createXMLStreamReader(in);
            } catch (XMLStreamException e) {
                throw new DicomParseException("not XML: " + e.getMessage(), -1, -1, e);
            }
        }
        try {
            return new DicomXmlReader(xml).readDocument();
        } catch (XMLStreamException e) {
            throw new DicomParseException("not XML: " + e.getMessage(), -1, -1, e);
        } finally {
            try {
                xml.close();
            } catch (XMLStreamException e) {
                // nothing was read after the failure being reported, or the document was read completely
            }
        }
    }

    /** Reads a document from a string. */
    public static DataSet readDataSet(String document) throws IOException {
        return readDataSet(new java.io.ByteArrayInputStream(document.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private DataSet readDocument() throws XMLStreamException, IOException {
        int e = nextTag();
        if (e != XMLStreamConstants.START_ELEMENT || !xml.getLocalName().equals("NativeDicomModel")) {
            throw error("expected the NativeDicomModel element", -1);
        }
        DataSet ds = new DataSet();
        readAttributes(ds, 0);
        return ds;
    }

    /** The next start or end tag, skipping whitespace, comments and processing instructions. */
    private int nextTag() throws XMLStreamException, DicomParseException {
        while (xml.hasNext()) {
            int e = xml.next();
            switch (e) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT -> {
                    return e;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> {
                    if (!xml.isWhiteSpace()) {
                        throw error("unexpected text \"" + abbreviate(xml.getText()) + "\"", -1);
                    }
                }
                case XMLStreamConstants.END_DOCUMENT -> {
                    return e;
                }
                default -> {
                    // comments, processing instructions, DOCTYPE (not processed)
                }
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    /** Reads DicomAttribute elements up to the end tag of the enclosing element. */
    private void readAttributes(DataSet ds, int depth) throws XMLStreamException, IOException {
        if (depth > MAX_DEPTH) {
            throw new DicomLimitException("sequences nested deeper than " + MAX_DEPTH + " levels", -1, line(), depth);
        }
        int e;
        while ((e = nextTag()) == XMLStreamConstants.START_ELEMENT) {
            if (!xml.getLocalName().equals("DicomAttribute")) {
                throw error("expected DicomAttribute, found " + xml.getLocalName(), -1);
            }
            readAttribute(ds, depth);
        }
        if (e != XMLStreamConstants.END_ELEMENT) {
            throw error("unexpected end of the document", -1);
        }
    }

    private void readAttribute(DataSet ds, int depth) throws XMLStreamException, IOException {
        String tagText = xml.getAttributeValue(null, "tag");
        String vrText = xml.getAttributeValue(null, "vr");
        String creator = xml.getAttributeValue(null, "privateCreator");
        int tag;
        try {
            if (tagText == null || tagText.length() != 8) {
                throw new IllegalArgumentException();
            }
            tag = Tags.parse(tagText);
        } catch (IllegalArgumentException ex) {
            throw error("DicomAttribute without a tag \"ggggeeee\": " + tagText, -1);
        }
        VR vr = vrText != null && vrText.length() == 2 ? VR.fromCode(vrText.charAt(0), vrText.charAt(1)) : null;
        if (vr == null) {
            throw error("DicomAttribute without a known vr: " + vrText, tag);
        }
        if (Tags.isItemOrDelimiter(tag)) {
            throw error("item and delimitation tags are no attributes", tag);
        }
        if (creator != null && Tags.isPrivate(tag)) {
            try {
                tag = ds.privateTag(creator, tag, true);
            } catch (IllegalStateException ex) {
                throw error(ex.getMessage(), tag);
            }
        }
        List<String> values = new ArrayList<>();
        Sequence sequence = vr == VR.SQ ? ds.newSequence(tag) : null;
        boolean set = false;
        int e;
        while ((e = nextTag()) == XMLStreamConstants.START_ELEMENT) {
            String name = xml.getLocalName();
            switch (name) {
                case "Value" -> {
                    requireKind(vr, name, tag, vr.kind() != VR.Kind.BYTES && vr != VR.SQ && vr != VR.PN);
                    put(values, number(tag), text(tag));
                }
                case "PersonName" -> {
                    requireKind(vr, name, tag, vr == VR.PN);
                    put(values, number(tag), personName(tag));
                }
                case "Item" -> {
                    requireKind(vr, name, tag, vr == VR.SQ);
                    number(tag);
                    readAttributes(sequence.addNewItem(), depth + 1);
                }
                case "InlineBinary" -> {
                    requireKind(vr, name, tag, vr.kind() == VR.Kind.BYTES);
                    try {
                        ds.setBytes(tag, vr, Base64.getMimeDecoder().decode(text(tag)));
                    } catch (IllegalArgumentException ex) {
                        throw error("bad base64 in InlineBinary", tag);
                    }
                    set = true;
                }
                case "BulkData" -> {
                    requireKind(vr, name, tag, vr != VR.SQ);
                    String uri = xml.getAttributeValue(null, "uri");
                    String uuid = xml.getAttributeValue(null, "uuid");
                    try {
                        ds.setBulkData(tag, vr, uri != null ? BulkData.fromUriString(uri)
                                : BulkData.of(URI.create("urn:uuid:" + uuid)));
                    } catch (IllegalArgumentException | NullPointerException ex) {
                        throw error("BulkData without a valid uri or uuid", tag);
                    }
                    skipElement(tag);
                    set = true;
                }
                default -> throw error("unexpected element " + name + " in a DicomAttribute", tag);
            }
        }
        if (vr == VR.SQ || set) {
            return;
        }
        try {
            if (values.isEmpty()) {
                ds.setNull(tag, vr);
            } else if (vr == VR.UV) {
                long[] n = new long[values.size()];
                for (int k = 0; k < n.length; k++) {
                    n[k] = new BigInteger(values.get(k).strip()).longValue(); // unsigned 64 bit
                }
                ds.setLong(tag, vr, n);
            } else {
                ds.setString(tag, vr, values.toArray(String[]::new));
            }
        } catch (IllegalArgumentException ex) {
            throw error("bad " + vr + " value: " + ex.getMessage(), tag);
        }
    }

    private void requireKind(VR vr, String element, int tag, boolean ok) throws DicomParseException {
        if (!ok) {
            throw error(element + " in a DicomAttribute of VR " + vr, tag);
        }
    }

    /** Puts a value at its position (number, from 1); positions left out are empty values. */
    private static void put(List<String> values, int number, String value) {
        while (values.size() < number) {
            values.add("");
        }
        values.set(number - 1, value);
    }

    private int number(int tag) throws DicomParseException {
        String n = xml.getAttributeValue(null, "number");
        try {
            int number = Integer.parseInt(n);
            if (number < 1 || number > 1_000_000) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException ex) {
            throw error(xml.getLocalName() + " without a valid number attribute: " + n, tag);
        }
    }

    /** The text of a simple element (whose start tag has been read) up to its end tag. */
    private String text(int tag) throws XMLStreamException, DicomParseException {
        StringBuilder b = new StringBuilder();
        while (xml.hasNext()) {
            int e = xml.next();
            switch (e) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE, XMLStreamConstants.CDATA,
                        XMLStreamConstants.ENTITY_REFERENCE -> b.append(xml.getText());
                case XMLStreamConstants.END_ELEMENT -> {
                    return b.toString();
                }
                case XMLStreamConstants.START_ELEMENT -> throw error("unexpected element " + xml.getLocalName()
                        + " in a value", tag);
                default -> {
                    // comments
                }
            }
        }
        throw error("unexpected end of the document", tag);
    }

    private void skipElement(int tag) throws XMLStreamException, DicomParseException {
        if (nextTag() != XMLStreamConstants.END_ELEMENT) {
            throw error("unexpected content in " + xml.getLocalName(), tag);
        }
    }

    private String personName(int tag) throws XMLStreamException, DicomParseException {
        String[] groups = {"", "", ""};
        int e;
        while ((e = nextTag()) == XMLStreamConstants.START_ELEMENT) {
            int g = switch (xml.getLocalName()) {
                case "Alphabetic", "SingleByte" -> 0; // SingleByte: PS3.19 before 2013
                case "Ideographic" -> 1;
                case "Phonetic" -> 2;
                default -> throw error("unexpected element " + xml.getLocalName() + " in a PersonName", tag);
            };
            String[] components = {"", "", "", "", ""};
            while ((e = nextTag()) == XMLStreamConstants.START_ELEMENT) {
                int c = switch (xml.getLocalName()) {
                    case "FamilyName" -> 0;
                    case "GivenName" -> 1;
                    case "MiddleName" -> 2;
                    case "NamePrefix" -> 3;
                    case "NameSuffix" -> 4;
                    default -> throw error("unexpected element " + xml.getLocalName() + " in a name component group", tag);
                };
                components[c] = text(tag);
            }
            int n = 5;
            while (n > 0 && components[n - 1].isEmpty()) {
                n--;
            }
            groups[g] = String.join("^", java.util.Arrays.asList(components).subList(0, n));
        }
        return ModelValues.personName(groups[0], groups[1], groups[2]);
    }

    private DicomParseException error(String message, int tag) {
        return new DicomParseException(message + " (line " + line() + ")", tag, offset());
    }

    private long line() {
        Location l = xml.getLocation();
        return l == null ? -1 : l.getLineNumber();
    }

    private long offset() {
        Location l = xml.getLocation();
        return l == null ? -1 : l.getCharacterOffset();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
