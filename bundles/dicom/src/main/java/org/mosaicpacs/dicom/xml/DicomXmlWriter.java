package org.mosaicpacs.dicom.xml;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Objects;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.ElementPath;
import org.mosaicpacs.dicom.PersonName;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.internal.ModelValues;
import org.mosaicpacs.dicom.io.BulkDataResolver;
import org.mosaicpacs.dicom.io.BulkDataUriPolicy;

/**
 * Writes a data set as a Native DICOM Model XML document (PS3.19 A.1), UTF-8, with the JDK's StAX
 * writer:
 * <pre>{@code
 * <NativeDicomModel xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM" xml:space="preserve">
 * <DicomAttribute tag="00100010" vr="PN" keyword="PatientName">
 * <PersonName number="1">
 * <Alphabetic>
 * <FamilyName>Doe</FamilyName>
 * <GivenName>Jane</GivenName>
 * </Alphabetic>
 * </PersonName>
 * </DicomAttribute>
 * ...
 * }</pre>
 * Attributes in ascending tag order without Group Lengths (PS3.19 A.1.5); text decoded with the
 * Specific Character Set, which is kept as in DICOM JSON; {@code Value} elements numbered from 1,
 * an empty value as an empty {@code Value}; PN components in {@code PersonName} /
 * {@code Alphabetic}, {@code Ideographic}, {@code Phonetic} / {@code FamilyName} ...
 * {@code NameSuffix}, empty ones left out; AT as "ggggeeee"; sequences as numbered {@code Item}s;
 * binary values as {@code InlineBinary} (base64, little endian) or {@code BulkData uri} as the
 * {@link BulkDataUriPolicy} decides (encapsulated Pixel Data: one range for its items). A private
 * data element gets a {@code privateCreator} attribute and its tag with block 00, "gggg00ee", as
 * DCMTK and dcm4che write it. Characters that XML 1.0 cannot hold (controls other than tab, line
 * feed and carriage return) are written as U+FFFD. One element per line, as DCMTK's
 * {@code dcm2xml} writes. Not thread-safe.
 */
public final class DicomXmlWriter implements Closeable {

    /** The Native DICOM Model namespace (PS3.19 A.1.6). */
    public static final String NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    private static final String[] GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
    private static final String[] COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};
    private static final int BASE64_CHUNK = 3 * 16 * 1024;

    private final OutputStream out;
    private final XMLStreamWriter xml;
    private BulkDataUriPolicy bulkDataUriPolicy = BulkDataUriPolicy.sourceUri();
    private BulkDataResolver bulkDataResolver = BulkDataResolver.files();

    private DicomXmlWriter(OutputStream out) throws IOException {
        this.out = out;
        try {
            this.xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }

    /** A writer of one document to a stream, which {@link #close()} closes. */
    public static DicomXmlWriter create(OutputStream out) throws IOException {
        return new DicomXmlWriter(Objects.requireNonNull(out, "out"));
    }

    /** A data set as an XML string. */
    public static String toXml(DataSet dataSet) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (DicomXmlWriter w = create(out)) {
            w.writeDocument(dataSet);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** How values held as {@link BulkData} are written; the default is {@link BulkDataUriPolicy#sourceUri()}. */
    public DicomXmlWriter setBulkDataUriPolicy(BulkDataUriPolicy policy) {
        this.bulkDataUriPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Opens bulk data that the policy writes inline; the default reads {@code file:} URIs. */
    public DicomXmlWriter setBulkDataResolver(BulkDataResolver resolver) {
        this.bulkDataResolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * Writes the document: the XML declaration and the {@code NativeDicomModel} element holding
     * the data set.
     *
     * @throws IOException if writing fails or bulk data to be written inline cannot be read
     */
    public void writeDocument(DataSet dataSet) throws IOException {
        try {
            xml.writeStartDocument("UTF-8", "1.0");
            newline();
            xml.writeStartElement("NativeDicomModel");
            xml.writeDefaultNamespace(NAMESPACE);
            // PS3.19 A.1.5: the directive xml:space="preserve" shall be included
            xml.writeAttribute("xml", "http://www.w3.org/XML/1998/namespace", "space", "preserve");
            newline();
            writeDataSet(dataSet, null, -1);
            xml.writeEndElement();
            newline();
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write XML: " + e.getMessage(), e);
        }
    }

    private void newline() throws XMLStreamException {
        xml.writeCharacters("\n");
    }

    private void writeDataSet(DataSet ds, ElementPath sequence, int item) throws XMLStreamException, IOException {
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            if (!Tags.isGroupLength(tag)) {
                writeAttribute(ds, i, sequence == null ? ElementPath.of(tag) : sequence.child(item, tag));
            }
        }
    }

    private void writeAttribute(DataSet ds, int i, ElementPath path) throws XMLStreamException, IOException {
        int tag = path.tag();
        VR vr = ds.vrAt(i);
        Object value = ds.valueAt(i);
        String creator = ds.getPrivateCreator(tag);
        xml.writeStartElement("DicomAttribute");
        xml.writeAttribute("tag", Tags.toHex(creator != null ? tag & 0xFFFF00FF : tag));
        xml.writeAttribute("vr", vr.name());
        String keyword = ElementDictionary.keywordOf(tag);
        if (!keyword.isEmpty() && !Tags.isPrivate(tag)) {
            xml.writeAttribute("keyword", keyword);
        }
        if (creator != null) {
            xml.writeAttribute("privateCreator", clean(creator));
        }
        newline();
        if (value instanceof Sequence seq) {
            for (int k = 0; k < seq.size(); k++) {
                xml.writeStartElement("Item");
                xml.writeAttribute("number", Integer.toString(k + 1));
                newline();
                writeDataSet(seq.get(k), path, k);
                xml.writeEndElement();
                newline();
            }
        } else if (value instanceof BulkData || value instanceof Fragments) {
            BulkData bulk = value instanceof Fragments f ? f.source() : (BulkData) value;
            String uri = bulk == null ? null : bulkDataUriPolicy.bulkDataUri(path, vr, bulk);
            if (uri == null && value instanceof BulkData b && (!b.hasLength() || vr.kind() != VR.Kind.BYTES)) {
                uri = b.toUriString(); // unresolved, or a text or number value by reference: it can only be passed on
            }
            if (uri != null) {
                xml.writeEmptyElement("BulkData");
                xml.writeAttribute("uri", clean(uri));
                newline();
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
        xml.writeEndElement();
        newline();
    }

    private void writeInlineBinary(Object value, VR vr) throws XMLStreamException, IOException {
        xml.writeStartElement("InlineBinary");
        Base64.Encoder base64 = Base64.getEncoder();
        try (InputStream in = ModelValues.inlineBytes(value, vr, bulkDataResolver)) {
            byte[] chunk = new byte[BASE64_CHUNK];
            int n;
            // whole chunks are multiples of 3 bytes, so only the last one has base64 padding
            while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                xml.writeCharacters(base64.encodeToString(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n)));
            }
        }
        xml.writeEndElement();
        newline();
    }

    private void writeValues(DataSet ds, int tag, VR vr) throws XMLStreamException {
        String[] values = ds.getStrings(tag);
        if (vr == VR.PN) {
            for (int k = 0; k < values.length; k++) {
                if (PersonName.parse(values[k]).isEmpty()) {
                    values[k] = ""; // "^^^^" has no components to write
                }
            }
            if (values.length == 1 && values[0].isEmpty()) {
                return;
            }
        }
        if (vr.kind() == VR.Kind.FLOAT) {
            double[] d = ds.getDoubles(tag);
            for (int k = 0; k < d.length; k++) {
                values[k] = vr == VR.FL ? Float.toString((float) d[k]) : Double.toString(d[k]);
            }
        }
        for (int k = 0; k < values.length; k++) {
            String v = values[k];
            if (vr == VR.PN) {
                writePersonName(k + 1, v);
                continue;
            }
            if (v.isEmpty()) {
                xml.writeEmptyElement("Value");
                xml.writeAttribute("number", Integer.toString(k + 1));
            } else {
                xml.writeStartElement("Value");
                xml.writeAttribute("number", Integer.toString(k + 1));
                writeText(v);
                xml.writeEndElement();
            }
            newline();
        }
    }

    private void writePersonName(int number, String value) throws XMLStreamException {
        xml.writeStartElement("PersonName");
        xml.writeAttribute("number", Integer.toString(number));
        newline();
        String[] groups = ModelValues.personNameGroups(value);
        for (int g = 0; g < 3; g++) {
            if (groups[g].isEmpty()) {
                continue;
            }
            xml.writeStartElement(GROUPS[g]);
            newline();
            String[] components = groups[g].split("\\^", 5);
            for (int c = 0; c < components.length; c++) {
                if (!components[c].isEmpty()) {
                    xml.writeStartElement(COMPONENTS[c]);
                    writeText(components[c]);
                    xml.writeEndElement();
                    newline();
                }
            }
            xml.writeEndElement();
            newline();
        }
        xml.writeEndElement();
        newline();
    }

    /** Writes element content; CR as a character reference, which XML parsers would otherwise turn into LF (XML 1.0 2.11). */
    private void writeText(String text) throws XMLStreamException {
        String s = clean(text);
        int from = 0;
        for (int cr = s.indexOf('\r'); cr >= 0; cr = s.indexOf('\r', from)) {
            xml.writeCharacters(s.substring(from, cr));
            xml.writeEntityRef("#13");
            from = cr + 1;
        }
        xml.writeCharacters(s.substring(from));
    }

    /** Replaces the characters XML 1.0 cannot represent (section 2.2) with U+FFFD. */
    private static String clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                StringBuilder b = new StringBuilder(s);
                for (int k = i; k < b.length(); k++) {
                    char x = b.charAt(k);
                    if (x < 0x20 && x != '\t' && x != '\n' && x != '\r' || x == 0xFFFE || x == 0xFFFF) {
                        b.setCharAt(k, '\uFFFD');
                    }
                }
                return b.toString();
            }
        }
        return s;
    }

    /** Closes the XML writer and the stream. */
    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        } finally {
            out.close();
        }
    }
}
