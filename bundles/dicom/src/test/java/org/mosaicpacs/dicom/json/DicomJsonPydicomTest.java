package org.mosaicpacs.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Pydicom;
import org.mosaicpacs.dicom.TestFiles;
import org.mosaicpacs.dicom.io.BulkDataUriPolicy;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;

/**
 * DICOM JSON of every real pydicom file and every mixed-corpus file, compared with pydicom's
 * {@code Dataset.to_json_dict()} ({@code src/test/python/to-json.py}, one process for all files)
 * with the same bulk data rule: values over 3072 bytes (4096 base64 characters, pydicom's
 * threshold) as BulkDataURI "bulk:ggggeeee:offset". Then our JSON, read back, must give the same
 * data set, and pydicom's JSON, read by our reader, the same data set as ours.
 *
 * <p>pydicom's output differs from the DICOM JSON Model in ways this comparison forgives, each
 * checked to be pydicom's and documented in the README: it keeps Group Length elements (F.2.2:
 * shall not be included); it writes an empty sequence as "Value": [] (F.2.5: no Value); it writes
 * an empty PN component group as "" (F.2.2: only non-empty groups) and an empty value of a
 * multi-valued attribute as "" (F.2.5: null); it writes DS as Python floats (we keep the DICOM
 * digits, compared here as numbers) and FL as doubles of the float (compared as floats); and it
 * fails on some attributes (listed per file by the oracle, e.g. IS values that are no integers).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomJsonPydicomTest {

    /** pydicom's bulk_data_threshold counts base64 characters: 4096 characters are 3072 bytes. */
    private static final int THRESHOLD = 3072;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private List<Path> files;
    private Map<String, JsonNode> oracle;
    private final Map<Path, DataSet> ours = new LinkedHashMap<>();
    private final Map<Path, byte[]> json = new LinkedHashMap<>();
    private final Map<Path, Exception> failures = new LinkedHashMap<>();

    @BeforeAll
    void writeEverything() {
        files = TestFiles.realAndMixed().stream().filter(f -> !TestFiles.rejected(f)).toList();
        oracle = Pydicom.run("to-json.py", files, "to-json", Integer.toString(THRESHOLD));
        BulkDataUriPolicy likePydicomTest = (path, vr, bulk) -> bulk.length() > THRESHOLD
                ? String.format(Locale.ROOT, "bulk:%08X:%d", path.tag(), bulk.offset()) : null;
        for (Path file : files) {
            try (DicomReader reader = DicomReader.open(file, ReadOptions.defaults().withBulkDataThreshold(THRESHOLD))) {
                DataSet ds = reader.readDataSet();
                ours.put(file, ds);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (DicomJsonWriter w = DicomJsonWriter.create(out).setBulkDataUriPolicy(likePydicomTest)) {
                    w.writeDataSet(ds);
                }
                json.put(file, out.toByteArray());
            } catch (Exception e) {
                failures.put(file, e);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> jsonEqualsPydicomsToJsonDict() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            JsonNode expected = oracle.get(file.toAbsolutePath().toString());
            assertThat(expected.has("error")).as("pydicom cannot read %s: %s", file, expected.get("error")).isFalse();
            assertThat(failures.get(file)).as("writing JSON failed").isNull();
            JsonNode actual = MAPPER.readTree(json.get(file));
            List<String> diffs = new ArrayList<>();
            compareDataSet(expected.get("json"), actual, expected.get("errors"), "", diffs);
            assertThat(diffs).as("%s (pydicom could not encode %s)", file, expected.get("errors")).isEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> ourJsonReadsBackAsTheSameDataSet() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            assertThat(failures.get(file)).as("writing JSON failed").isNull();
            DataSet original = ours.get(file);
            // the default policy: BulkDataURIs that name the source file, offset and length
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DicomJsonWriter w = DicomJsonWriter.create(out)) {
                w.writeDataSet(original);
            }
            DataSet reread = DicomJsonReader.readDataSet(new ByteArrayInputStream(out.toByteArray()));
            DataSet expected = TestFiles.comparable(original, false);
            assertThat(TestFiles.differences(expected, reread)).as(file.toString()).isEmpty();
            assertThat(reread).isEqualTo(expected);
            // and the JSON of what we read back is the same JSON
            assertThat(DicomJsonWriter.toJson(reread)).isEqualTo(out.toString(java.nio.charset.StandardCharsets.UTF_8));
        }));
    }

    @TestFactory
    Stream<DynamicTest> pydicomsJsonReadsAsOursDoes() {
        return files.stream().map(file -> DynamicTest.dynamicTest(TestFiles.name(file), () -> {
            JsonNode expected = oracle.get(file.toAbsolutePath().toString());
            assertThat(failures.get(file)).as("writing JSON failed").isNull();
            org.junit.jupiter.api.Assumptions.assumeTrue(expected.path("errors").isEmpty(),
                    "pydicom could not encode every attribute");
            DataSet theirs = DicomJsonReader.readDataSet(MAPPER.writeValueAsString(expected.get("json")));
            DataSet mine = DicomJsonReader.readDataSet(new ByteArrayInputStream(json.get(file)));
            DataSet comparable = TestFiles.comparable(theirs, false); // pydicom keeps Group Lengths
            assertThat(TestFiles.differences(mine, comparable)).as(file.toString()).isEmpty();
            assertThat(comparable).isEqualTo(mine);
        }));
    }

    // ---------------------------------------------------------------- comparison with pydicom's tree

    private static void compareDataSet(JsonNode expected, JsonNode actual, JsonNode skip, String path, List<String> diffs) {
        TreeSet<String> keys = new TreeSet<>();
        expected.fieldNames().forEachRemaining(k -> {
            if (!k.endsWith("0000")) { // pydicom keeps Group Lengths
                keys.add(k);
            }
        });
        actual.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (diffs.size() > 20) {
                return;
            }
            if (skip != null && skip.has(key)) {
                continue; // pydicom failed to encode it
            }
            String where = path + key;
            JsonNode e = expected.get(key);
            JsonNode a = actual.get(key);
            if (e == null || a == null) {
                diffs.add(where + (e == null ? " only in ours: " + a : " only in pydicom's: " + e));
                continue;
            }
            compareAttribute((ObjectNode) e, (ObjectNode) a, where, diffs);
        }
    }

    private static void compareAttribute(ObjectNode e, ObjectNode a, String where, List<String> diffs) {
        String vr = a.path("vr").asText();
        if (!e.path("vr").asText().equals(vr)) {
            diffs.add(where + " vr " + vr + ", pydicom " + e.path("vr"));
            return;
        }
        JsonNode ev = e.path("Value");
        if (ev.isArray() && ev.isEmpty()) {
            e.remove("Value"); // pydicom: an empty sequence as "Value": []
        }
        for (String field : List.of("InlineBinary", "BulkDataURI")) {
            if (!e.path(field).equals(a.path(field))) {
                diffs.add(where + " " + field + " " + abbreviate(a.path(field)) + ", pydicom " + abbreviate(e.path(field)));
            }
        }
        JsonNode av = a.path("Value");
        ev = e.path("Value");
        if (ev.isMissingNode() != av.isMissingNode()) {
            diffs.add(where + " Value " + abbreviate(av) + ", pydicom " + abbreviate(ev));
            return;
        }
        if (ev.isMissingNode()) {
            return;
        }
        if (ev.size() != av.size()) {
            diffs.add(where + " " + av.size() + " values " + abbreviate(av) + ", pydicom " + ev.size() + " " + abbreviate(ev));
            return;
        }
        for (int k = 0; k < ev.size(); k++) {
            JsonNode x = ev.get(k);
            JsonNode y = av.get(k);
            if (vr.equals("SQ")) {
                compareDataSet(x, y, null, where + "[" + k + "].", diffs);
            } else if (!sameValue(vr, x, y) && !(x.isTextual() && y.isTextual()
                    && !List.of("LT", "ST", "UT").contains(vr) && x.asText().strip().equals(y.asText()))) {
                // pydicom removes padding only at the end of a whole multi-valued string: "DERIVED \\PRIMARY"
                diffs.add(where + " " + vr + " value " + k + ": " + abbreviate(y) + ", pydicom " + abbreviate(x));
            }
        }
    }

    private static boolean sameValue(String vr, JsonNode pydicom, JsonNode ours) {
        if (vr.equals("PN") && pydicom.isObject()) {
            ObjectNode p = ((ObjectNode) pydicom).deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                if (it.next().getValue().asText().isEmpty()) {
                    it.remove(); // pydicom writes empty component groups
                }
            }
            return p.equals(ours.isNull() ? MAPPER.createObjectNode() : ours);
        }
        if (ours.isNull()) {
            return pydicom.isNull() || pydicom.isTextual() && pydicom.asText().isEmpty();
        }
        if (pydicom.isNumber() && ours.isNumber()) {
            return vr.equals("FL") ? (float) pydicom.doubleValue() == (float) ours.doubleValue()
                    : vr.equals("DS") || vr.equals("FD") ? pydicom.doubleValue() == ours.doubleValue()
                    : pydicom.bigIntegerValue().equals(ours.bigIntegerValue());
        }
        return pydicom.equals(ours);
    }

    private static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
