package org.mosaicpacs.dicom.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.TestFiles;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.BulkDataUriPolicy;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.testing.Tools;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Native DICOM Model XML of every real pydicom file and every mixed-corpus file: it reads back as
 * the same data set, follows the structure of PS3.19 A.1.6 (checked by {@link #ps319Problems}, the
 * schema's rules as code: the JDK has no RELAX NG validator), and matches DCMTK's
 * {@code dcm2xml --native-format +Eb} attribute by attribute: tags, VRs, private creators,
 * values, person name components, items, and the bytes of binary values both write inline.
 * Values over 4096 bytes are bulk data on both sides (dcm2xml's default {@code +R 4}).
 *
 * <p>Known differences of dcm2xml's, forgiven here: it writes encapsulated Pixel Data as an empty
 * InlineBinary, always OB; it writes the words of OW values big endian in InlineBinary (PS3.19 and
 * PS3.18 F.2.7 values are little endian, as ours); with +U8 it declares ISO_IR 192, adding
 * (0008,0005) where there was none; it cannot convert ISO 2022 IR 87/159/149 to UTF-8 with this
 * build's iconv (then text of those files is not compared); it repeats the ideographic name group
 * as phonetic when the phonetic one is empty; it gives UN to private elements its dictionary does
 * not know; it masks private tags but drops the privateCreator when the creator element is
 * missing or UN (we keep such tags whole); it pads odd-length binary values; it prints FL and
 * FD with fewer digits (compared as numbers); it cannot read some
 * damaged files pydicom reads (those are skipped).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomXmlTest {

    private static final int THRESHOLD = 4096;
    private static final Set<String> CHARSET_VRS = Set.of("SH", "LO", "ST", "LT", "UT", "PN", "UC");

    private List<Path> files;
    private final Map<Path, DataSet> ours = new LinkedHashMap<>();
    private final Map<Path, byte[]> xml = new LinkedHashMap<>();
    private final Map<Path, Exception> failures = new LinkedHashMap<>();
    private final Map<Path, Tools.Result> dcm2xml = new ConcurrentHashMap<>();
    private final Map<Path, Boolean> dcm2xmlUtf8 = new ConcurrentHashMap<>();

    @BeforeAll
    void writeEverything() throws Exception {
        files = TestFiles.realAndMixed().stream().filter(f -> !TestFiles.rejected(f)).toList();
        Path tool = Tools.require("dcm2xml");
        java.util.concurrent.ExecutorService dcmtk = java.util.concurrent.Executors.newFixedThreadPool(2);
        files.forEach(f -> dcmtk.execute(() -> runDcm2xml(tool, f)));
        dcmtk.shutdown();
        BulkDataUriPolicy likeDcm2xml = (path, vr, bulk) -> bulk.length() > THRESHOLD ? "bulk:" + path : null;
        for (Path file : files) {
            try (DicomReader reader = DicomReader.open(file, ReadOptions.defaults().withBulkDataThreshold(THRESHOLD))) {
                DataSet ds = reader.readDataSet();
                ours.put(file, ds);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (DicomXmlWriter w = DicomXmlWriter.create(out).setBulkDataUriPolicy(likeDcm2xml)) {
                    w.writeDocument(ds);
                }
                xml.put(file, out.toByteArray());
            } catch (Exception e) {
                failures.put(file, e);
            }
        }
        assertThat(dcmtk.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES)).as("dcm2xml finished").isTrue();
    }

    private void runDcm2xml(Path tool, Path file) {
        Tools.Result r = Tools.run(Duration.ofMinutes(1), List.of(tool.toString(), "--native-format", "+Eb", "+U8",
                file.toString()));
        boolean utf8 = r.exitCode() == 0;
        if (!utf8) {
            r = Tools.run(Duration.ofMinutes(1), List.of(tool.toString(), "--native-format", "+Eb", file.toString()));
        }
        dcm2xml.put(file, r);
        dcm2xmlUtf8.put(file, utf8);
    }

    @TestFactory
    Stream<DynamicTest> readsBackAsTheSameDataSet() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            assertThat(failures.get(file)).as("writing XML failed").isNull();
            DataSet original = ours.get(file);
            String document = DicomXmlWriter.toXml(original); // BulkData URIs naming the source file
            DataSet reread = DicomXmlReader.readDataSet(document);
            DataSet expected = TestFiles.comparable(original, false);
            assertThat(TestFiles.differences(expected, reread)).as(file.toString()).isEmpty();
            assertThat(reread).isEqualTo(expected);
            if (document.length() < 1_000_000) { // keep the suite fast: deflated files have their pixels inline
                assertThat(DicomXmlWriter.toXml(reread)).isEqualTo(document);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> followsPs319Structure() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            assertThat(failures.get(file)).as("writing XML failed").isNull();
            assertThat(ps319Problems(parse(xml.get(file)))).as(file.toString()).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> matchesDcm2xml() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            assertThat(failures.get(file)).as("writing XML failed").isNull();
            Tools.Result r = dcm2xml.get(file);
            org.junit.jupiter.api.Assumptions.assumeTrue(r.exitCode() == 0, () -> "dcm2xml cannot read " + file + ": "
                    + r.err().lines().filter(l -> l.startsWith("E: ")).findFirst().orElse(r.err()));
            // without +U8, dcm2xml writes ISO 2022 escapes as &#27;, which XML 1.0 forbids; such text is not compared
            String document = r.out().replace("&#27;", "").replace("\u001b", "");
            Element theirs = parse(document.getBytes(StandardCharsets.UTF_8)).getDocumentElement();
            Element mine = parse(xml.get(file)).getDocumentElement();
            List<String> diffs = new ArrayList<>();
            compareDataSets(theirs, mine, dcm2xmlUtf8.get(file), "", diffs);
            assertThat(diffs).as(file.toString()).isEmpty();
        }));
    }

    @Test
    void readsDcm2xmlOutputAndPrivateCreatorsFindTheirBlocks() throws Exception {
        Path file = files.stream().filter(f -> f.getFileName().toString().equals("CT_small.dcm")).findFirst().orElseThrow();
        DataSet fromDcmtk = DicomXmlReader.readDataSet(new ByteArrayInputStream(dcm2xml.get(file).stdout()));
        DataSet original = ours.get(file);
        // dcm2xml writes (0009,1001) as tag "00090001" with privateCreator "GEMS_IDEN_01"
        assertThat(fromDcmtk.getString(0x00091001)).isEqualTo(original.getString(0x00091001)).isEqualTo("GE_GENESIS_FF");
        assertThat(fromDcmtk.getString(Tag.PatientName)).isEqualTo(original.getString(Tag.PatientName));
        assertThat(fromDcmtk.getDoubles(Tag.ImagePositionPatient)).isEqualTo(original.getDoubles(Tag.ImagePositionPatient));
    }

    @Test
    void badDocumentsFailWithAParseException() {
        for (String bad : List.of("", "<x/>", "<NativeDicomModel><DicomAttribute vr=\"CS\"/></NativeDicomModel>",
                "<NativeDicomModel><DicomAttribute tag=\"00080060\" vr=\"XX\"/></NativeDicomModel>",
                "<NativeDicomModel><DicomAttribute tag=\"00280010\" vr=\"US\"><Value number=\"1\">x</Value>"
                        + "</DicomAttribute></NativeDicomModel>",
                "<NativeDicomModel><DicomAttribute tag=\"00100010\" vr=\"PN\"><Value number=\"1\">A</Value>"
                        + "</DicomAttribute></NativeDicomModel>",
                "<NativeDicomModel><DicomAttribute tag=\"00080060\" vr=\"CS\"><Value>CT</Value></DicomAttribute>"
                        + "</NativeDicomModel>",
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><NativeDicomModel><DicomAttribute "
                        + "tag=\"00080060\" vr=\"CS\"><Value number=\"1\">&e;</Value></DicomAttribute></NativeDicomModel>",
                "<NativeDicomModel><DicomAttribute tag=\"00080060\" vr=\"CS\">")) {
            assertThatThrownBy(() -> DicomXmlReader.readDataSet(bad)).as(bad).isInstanceOf(DicomParseException.class);
        }
    }

    // ---------------------------------------------------------------- PS3.19 A.1.6 as code

    private static final Set<String> BINARY = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");
    private static final List<String> GROUPS = List.of("Alphabetic", "Ideographic", "Phonetic");
    private static final List<String> COMPONENTS = List.of("FamilyName", "GivenName", "MiddleName", "NamePrefix",
            "NameSuffix");

    /** What in a document breaks the rules of the Native DICOM Model schema (PS3.19 A.1.6) and A.1.5. */
    static List<String> ps319Problems(Document document) {
        List<String> problems = new ArrayList<>();
        Element root = document.getDocumentElement();
        if (!root.getLocalName().equals("NativeDicomModel") || !DicomXmlWriter.NAMESPACE.equals(root.getNamespaceURI())) {
            problems.add("root is not NativeDicomModel in " + DicomXmlWriter.NAMESPACE);
        }
        if (!"preserve".equals(root.getAttributeNS("http://www.w3.org/XML/1998/namespace", "space"))) {
            problems.add("no xml:space=\"preserve\" (A.1.5)");
        }
        checkDataSet(root, "", problems);
        return problems;
    }

    private static void checkDataSet(Element parent, String path, List<String> problems) {
        long previous = -1;
        for (Element a : children(parent, problems)) {
            if (!a.getLocalName().equals("DicomAttribute")) {
                problems.add(path + "unexpected element " + a.getLocalName());
                continue;
            }
            String tagText = a.getAttribute("tag");
            String vr = a.getAttribute("vr");
            String where = path + tagText;
            if (!tagText.matches("[0-9A-F]{8}") || VR.fromCode(vr.length() == 2 ? vr.charAt(0) : 0, vr.length() == 2
                    ? vr.charAt(1) : 0) == null) {
                problems.add(where + ": bad tag or vr \"" + vr + "\"");
                continue;
            }
            int tag = Tags.parse(tagText);
            for (int i = 0; i < a.getAttributes().getLength(); i++) {
                String name = a.getAttributes().item(i).getNodeName();
                if (!Set.of("tag", "vr", "keyword", "privateCreator").contains(name)) {
                    problems.add(where + ": unexpected attribute " + name);
                }
            }
            if (a.hasAttribute("keyword") && !a.getAttribute("keyword").equals(ElementDictionary.keywordOf(tag))) {
                problems.add(where + ": keyword " + a.getAttribute("keyword") + " is not PS3.6's");
            }
            if (a.hasAttribute("privateCreator") && (!Tags.isPrivate(tag) || (tag & 0xFF00) != 0)) {
                problems.add(where + ": privateCreator on a tag that is not gggg00ee of a private group");
            }
            if (Tags.isGroupLength(tag) && !a.hasAttribute("privateCreator")) {
                problems.add(where + ": Group Length (A.1.5: not included)");
            }
            long unsigned = Integer.toUnsignedLong(tag);
            if (!a.hasAttribute("privateCreator") && unsigned <= previous) {
                problems.add(where + ": not in ascending tag order");
            }
            previous = a.hasAttribute("privateCreator") ? previous : unsigned;
            checkAttributeContent(a, vr, where, problems);
        }
    }

    private static void checkAttributeContent(Element a, String vr, String where, List<String> problems) {
        List<Element> content = children(a, problems);
        if (content.isEmpty()) {
            return;
        }
        String kind = content.get(0).getLocalName();
        boolean single = kind.equals("BulkData") || kind.equals("InlineBinary");
        if (single && content.size() != 1 || content.stream().anyMatch(e -> !e.getLocalName().equals(kind))) {
            problems.add(where + ": mixed content (BulkData | Value+ | Item+ | PersonName+ | InlineBinary)");
            return;
        }
        boolean allowed = switch (kind) {
            case "Value" -> !vr.equals("SQ") && !vr.equals("PN") && !BINARY.contains(vr);
            case "PersonName" -> vr.equals("PN");
            case "Item" -> vr.equals("SQ");
            case "InlineBinary" -> BINARY.contains(vr);
            case "BulkData" -> !vr.equals("SQ");
            default -> false;
        };
        if (!allowed) {
            problems.add(where + ": " + kind + " in a " + vr + " attribute");
            return;
        }
        for (int k = 0; k < content.size(); k++) {
            Element e = content.get(k);
            if (!single && !e.getAttribute("number").equals(Integer.toString(k + 1))) {
                problems.add(where + ": " + kind + " number " + e.getAttribute("number") + ", expected " + (k + 1));
            }
            switch (kind) {
                case "Item" -> checkDataSet(e, where + "[" + k + "].", problems);
                case "PersonName" -> checkPersonName(e, where, problems);
                case "InlineBinary" -> {
                    try {
                        Base64.getDecoder().decode(e.getTextContent());
                    } catch (IllegalArgumentException ex) {
                        problems.add(where + ": InlineBinary is not base64");
                    }
                }
                case "BulkData" -> {
                    if (e.hasAttribute("uri") == e.hasAttribute("uuid") || e.hasChildNodes()) {
                        problems.add(where + ": BulkData needs exactly one of uri and uuid, no content");
                    }
                }
                default -> {
                    if (children(e, problems).size() > 0) {
                        problems.add(where + ": Value with elements inside");
                    }
                }
            }
        }
    }

    private static void checkPersonName(Element pn, String where, List<String> problems) {
        int lastGroup = -1;
        for (Element g : children(pn, problems)) {
            int group = GROUPS.indexOf(g.getLocalName());
            if (group <= lastGroup) {
                problems.add(where + ": PersonName group " + g.getLocalName() + " out of order or unknown");
            }
            lastGroup = group;
            int lastComponent = -1;
            for (Element c : children(g, problems)) {
                int component = COMPONENTS.indexOf(c.getLocalName());
                if (component <= lastComponent) {
                    problems.add(where + ": name component " + c.getLocalName() + " out of order or unknown");
                }
                lastComponent = component;
            }
        }
    }

    /** Element children; text other than whitespace between them is a problem. */
    private static List<Element> children(Element parent, List<String> problems) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            } else if (n.getNodeType() == Node.TEXT_NODE && !n.getTextContent().isBlank() && problems != null
                    && !Set.of("Value", "InlineBinary", "FamilyName", "GivenName", "MiddleName", "NamePrefix",
                            "NameSuffix").contains(parent.getLocalName())) {
                problems.add("text in " + parent.getLocalName() + ": " + n.getTextContent().strip());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- comparison with dcm2xml

    private static void compareDataSets(Element theirs, Element mine, boolean textComparable, String path,
                                        List<String> diffs) {
        List<Element> t = new ArrayList<>(children(theirs, null));
        List<Element> m = children(mine, null);
        if (textComparable && path.isEmpty()) {
            // dcm2xml +U8 declares the converted document ISO_IR 192, adding (0008,0005) if need be
            t.removeIf(e -> e.getAttribute("tag").equals("00080005"));
            m = new ArrayList<>(m);
            m.removeIf(e -> e.getAttribute("tag").equals("00080005"));
        }
        if (t.size() != m.size()) {
            diffs.add(path + ": " + m.size() + " attributes, dcm2xml " + t.size() + ": " + tags(m) + " / " + tags(t));
            return;
        }
        for (int i = 0; i < t.size() && diffs.size() < 20; i++) {
            Element a = t.get(i);
            Element b = m.get(i);
            String where = path + a.getAttribute("tag");
            boolean sameTag = a.getAttribute("tag").equals(b.getAttribute("tag"))
                    && a.getAttribute("privateCreator").equals(b.getAttribute("privateCreator"));
            if (!sameTag && !a.hasAttribute("privateCreator") && Tags.isPrivate(Tags.parse(b.getAttribute("tag")))
                    && a.getAttribute("tag").equals(Tags.toHex(Tags.parse(b.getAttribute("tag")) & 0xFFFF00FF))) {
                // dcm2xml masks the tag of a private element but drops the privateCreator when the
                // creator element is missing or UN; ours keeps such a tag whole, or names the creator
                sameTag = true;
            }
            if (!sameTag) {
                diffs.add(where + ": tag " + b.getAttribute("tag") + " " + b.getAttribute("privateCreator") + ", dcm2xml "
                        + a.getAttribute("tag") + " " + a.getAttribute("privateCreator"));
            }
            String vr = b.getAttribute("vr");
            List<Element> x = children(a, null);
            List<Element> y = children(b, null);
            if (where.endsWith("7FE00010") && x.size() == 1 && x.get(0).getTextContent().isEmpty()) {
                continue; // dcm2xml: encapsulated Pixel Data as an empty InlineBinary, always OB
            }
            if (a.getAttribute("vr").equals("UN") && !vr.equals("UN")) {
                continue; // a private element whose VR DCMTK's dictionary does not know (pydicom agrees with ours)
            }
            if (!a.getAttribute("vr").equals(vr)) {
                diffs.add(where + ": vr " + vr + ", dcm2xml " + a.getAttribute("vr"));
            }
            if (x.size() != y.size()) {
                diffs.add(where + ": " + y.size() + " values, dcm2xml " + x.size());
                continue;
            }
            for (int k = 0; k < x.size(); k++) {
                compareValue(x.get(k), y.get(k), vr, textComparable, where + "#" + (k + 1), diffs);
            }
        }
    }

    private static void compareValue(Element a, Element b, String vr, boolean textComparable, String where,
                                     List<String> diffs) {
        String kind = a.getLocalName();
        if (kind.equals("BulkData") || b.getLocalName().equals("BulkData")) {
            return; // dcm2xml's uuid, our uri; the sizes that make bulk data agree
        }
        if (!kind.equals(b.getLocalName())) {
            diffs.add(where + ": " + b.getLocalName() + ", dcm2xml " + kind);
            return;
        }
        switch (kind) {
            case "Item" -> compareDataSets(a, b, textComparable, where + ".", diffs);
            case "PersonName" -> {
                if (textComparable && !personName(a).equals(personName(b))) {
                    diffs.add(where + " PN: " + personName(b) + ", dcm2xml " + personName(a));
                }
            }
            case "InlineBinary" -> {
                byte[] p = Base64.getMimeDecoder().decode(a.getTextContent());
                byte[] q = Base64.getMimeDecoder().decode(b.getTextContent());
                int unit = VR.valueOf(vr).swapUnit();
                if (!java.util.Arrays.equals(p, q) && unit > 1 && p.length % unit == 0) {
                    org.mosaicpacs.dicom.internal.Bytes.swap(p, 0, p.length, unit); // dcm2xml: OW words big endian
                }
                if (q.length % 2 == 1 && p.length == q.length + 1 && p[q.length] == 0) {
                    p = java.util.Arrays.copyOf(p, q.length); // dcm2xml pads odd values, we keep them as read
                }
                if (!java.util.Arrays.equals(p, q)) {
                    diffs.add(where + ": InlineBinary of " + q.length + " bytes differs from dcm2xml's " + p.length);
                }
            }
            default -> {
                if (!textComparable && CHARSET_VRS.contains(vr)) {
                    return;
                }
                String p = a.getTextContent().strip();
                String q = b.getTextContent().strip();
                if (!p.equals(q) && !sameNumber(vr, p, q)) {
                    diffs.add(where + " " + vr + ": \"" + q + "\", dcm2xml \"" + p + "\"");
                }
            }
        }
    }

    /**
     * A PersonName element as groups of components. DCMTK repeats the ideographic group as
     * phonetic when the value ends with an empty phonetic group ("Wang^XiaoDong=王^小東="): such a
     * copy is dropped.
     */
    private static List<List<String>> personName(Element pn) {
        List<List<String>> groups = new ArrayList<>();
        for (Element g : children(pn, null)) {
            groups.add(children(g, null).stream().map(c -> c.getLocalName() + "=" + c.getTextContent()).toList());
        }
        if (groups.size() == 3 && groups.get(1).equals(groups.get(2))) {
            groups.remove(2);
        }
        return groups;
    }

    private static boolean sameNumber(String vr, String p, String q) {
        if (vr.equals("FL")) {
            try {
                return Float.parseFloat(p) == Float.parseFloat(q);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (!Set.of("FL", "FD", "DS").contains(vr)) {
            return false;
        }
        try {
            double x = Double.parseDouble(p);
            double y = Double.parseDouble(q);
            return x == y || Math.abs(x - y) <= 1e-6 * Math.max(Math.abs(x), Math.abs(y))
                    || Double.isNaN(x) && Double.isNaN(y);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String tags(List<Element> attributes) {
        return attributes.stream().map(e -> e.getAttribute("tag")).toList().toString();
    }

    private static Document parse(byte[] document) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(document));
    }
}
