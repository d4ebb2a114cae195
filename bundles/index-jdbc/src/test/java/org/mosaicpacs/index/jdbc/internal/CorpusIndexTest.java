package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mosaicpacs.api.index.DuplicateInstanceException;
import org.mosaicpacs.api.index.IndexException;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.InformationModel;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.api.index.QueryResults;
import org.mosaicpacs.api.storage.StoredObject;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.PersonName;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestDatabase;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The index against pydicom: pydicom's real files and the mixed corpus (every modality, six
 * character sets, every transfer syntax) are recorded in Derby and in PostgreSQL; an oracle
 * script (src/test/python/index_oracle.py) reads the same files with pydicom, applies the same
 * recording rules and its own implementation of the matching rules, and the index must agree on
 * each file's outcome, every compared attribute at every level, the derived counts, and the
 * matches of every query in queries.json (in order, with limit and offset). Each query also runs
 * with all matching done in Java, so SQL and Java matching are held to the same answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusIndexTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<QueryLevel, List<String>> COMPARED = Map.of(
            QueryLevel.STUDY, List.of("PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate", "PatientSex",
                    "NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries", "NumberOfPatientRelatedInstances",
                    "StudyDate", "StudyTime", "AccessionNumber", "StudyID", "StudyDescription", "ReferringPhysicianName",
                    "PatientAge", "ModalitiesInStudy", "SOPClassesInStudy", "NumberOfStudyRelatedSeries",
                    "NumberOfStudyRelatedInstances"),
            QueryLevel.SERIES, List.of("StudyInstanceUID", "Modality", "SeriesNumber", "SeriesDescription",
                    "BodyPartExamined", "SeriesDate", "NumberOfSeriesRelatedInstances"),
            QueryLevel.IMAGE, List.of("StudyInstanceUID", "SeriesInstanceUID", "SOPClassUID", "InstanceNumber", "ImageType",
                    "Rows", "Columns", "ContentDate", "ContentTime", "SliceThickness", "WindowCenter"));

    private final List<Path> files = new ArrayList<>();
    private final Map<Path, DataSet> headers = new LinkedHashMap<>();
    private final Map<TestDatabase, HikariDataSource> dataSources = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, JdbcArchiveIndex> indexes = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, JdbcArchiveIndex> javaOnly = new EnumMap<>(TestDatabase.class);
    private final Map<TestDatabase, Map<String, String>> outcomes = new EnumMap<>(TestDatabase.class);
    private JsonNode queries;
    private JsonNode oracle;

    @BeforeAll
    void indexTheCorpus() throws Exception {
        List<Path> candidates = new ArrayList<>(TestData.realDicomFiles());
        candidates.addAll(TestData.dicomFilesUnder(TestData.mixedCorpus()));
        for (Path file : candidates) {
            try (DicomReader reader = DicomReader.open(file)) {
                headers.put(file, reader.readDataSet(StopCondition.beforeTag(Tag.PixelData)));
                files.add(file);
            } catch (IOException | RuntimeException e) {
                // files our parser refuses are the parser's tests' business; the index sees what the archive would store
            }
        }
        assertThat(files).hasSizeGreaterThan(300);
        try (InputStream in = getClass().getResourceAsStream("queries.json")) {
            queries = JSON.readTree(in);
        }
        oracle = runOracle();

        for (TestDatabase db : TestDatabase.values()) {
            HikariDataSource ds = db.create("corpus_index_test");
            dataSources.put(db, ds);
            JdbcArchiveIndex index = new JdbcArchiveIndex(ds, new IndexSettings(0, false, true));
            indexes.put(db, index);
            javaOnly.put(db, new JdbcArchiveIndex(ds, new IndexSettings(0, false, true), false));
            Map<String, String> recorded = new LinkedHashMap<>();
            for (JsonNode f : oracle.get("files")) {
                if (f.get("outcome").asText().equals("unreadable")) {
                    continue;
                }
                Path path = Path.of(f.get("path").asText());
                recorded.put(path.toString(), record(index, path, headers.get(path)));
            }
            outcomes.put(db, recorded);
        }
    }

    @AfterAll
    void close() {
        dataSources.values().forEach(HikariDataSource::close);
    }

    private JsonNode runOracle() throws IOException {
        Path python = Tools.pydicomPython();
        Path work = Files.createDirectories(Path.of("target", "oracle").toAbsolutePath());
        Path list = work.resolve("files.txt");
        Files.write(list, files.stream().map(Path::toString).toList(), StandardCharsets.UTF_8);
        Path queriesFile = work.resolve("queries.json");
        try (InputStream in = getClass().getResourceAsStream("queries.json")) {
            Files.copy(in, queriesFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectNode levels = JSON.createObjectNode();
        List<String> keywords = new ArrayList<>();
        COMPARED.values().forEach(keywords::addAll);
        for (JsonNode q : queries) {
            q.get("keys").fieldNames().forEachRemaining(keywords::add);
        }
        for (String keyword : keywords) {
            levels.put(keyword, AttributeLevels.levelOf(ElementDictionary.tagOf(keyword)).name());
        }
        Path levelsFile = work.resolve("levels.json");
        JSON.writeValue(levelsFile.toFile(), levels);
        Path out = work.resolve("oracle.json");
        Path script = TestEnvironment.repoRoot().resolve("bundles/index-jdbc/src/test/python/index_oracle.py");
        Tools.run(Duration.ofMinutes(3), List.of(python.toString(), script.toString(), list.toString(),
                queriesFile.toString(), levelsFile.toString(), out.toString())).assertSuccess();
        return JSON.readTree(out.toFile());
    }

    private static String record(JdbcArchiveIndex index, Path path, DataSet header) {
        try {
            index.record(header, new StoredObject("fs", path.toString(), Files.size(path), "SHA-256", "00"),
                    UID.ExplicitVRLittleEndian, Instant.now(), false);
            return "recorded";
        } catch (DuplicateInstanceException e) {
            return "duplicate";
        } catch (IndexException e) {
            return "refused";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void recordsWhatPydicomReadsAndRefusesTheSameFiles(TestDatabase db) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (JsonNode f : oracle.get("files")) {
            if (!f.get("outcome").asText().equals("unreadable")) {
                expected.put(f.get("path").asText(), f.get("outcome").asText());
            }
        }
        assertThat(outcomes.get(db)).containsExactlyEntriesOf(expected);
        assertThat(expected.values()).contains("recorded", "duplicate", "refused");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void holdsPydicomsValuesAndDerivedCountsAtEveryLevel(TestDatabase db) throws Exception {
        JdbcArchiveIndex index = indexes.get(db);
        List<String> differences = new ArrayList<>();
        differences.addAll(differences(compared(index, QueryLevel.STUDY, Tag.StudyInstanceUID), expected(oracle.get("studies"))));
        differences.addAll(differences(compared(index, QueryLevel.SERIES, Tag.SeriesInstanceUID), expected(oracle.get("series"))));
        differences.addAll(differences(compared(index, QueryLevel.IMAGE, Tag.SOPInstanceUID), expected(oracle.get("instances"))));
        assertThat(differences).isEmpty();
        assertThat(oracle.get("studies").size()).isGreaterThan(40);
        assertThat(oracle.get("instances").size()).isGreaterThan(250);

        DataSet keys = new DataSet();
        for (String k : List.of("PatientID", "PatientName", "NumberOfPatientRelatedStudies", "NumberOfPatientRelatedSeries",
                "NumberOfPatientRelatedInstances")) {
            keys.setNull(ElementDictionary.tagOf(k), ElementDictionary.vrOf(ElementDictionary.tagOf(k)));
        }
        List<String> patients = new ArrayList<>();
        for (DataSet r : run(index, new IndexQuery(InformationModel.PATIENT_ROOT, QueryLevel.PATIENT, keys, false, false,
                false, 0, 0))) {
            patients.add(String.join("|", canonical(r, "PatientID"), canonical(r, "PatientName"),
                    canonical(r, "NumberOfPatientRelatedStudies"), canonical(r, "NumberOfPatientRelatedSeries"),
                    canonical(r, "NumberOfPatientRelatedInstances")));
        }
        List<String> expectedPatients = new ArrayList<>();
        oracle.get("patients").forEach(p -> expectedPatients.add(p.asText()));
        assertThat(patients.stream().sorted().toList()).isEqualTo(expectedPatients);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void answersEveryQueryAsTheOracleDoes(TestDatabase db) throws Exception {
        List<String> failures = new ArrayList<>();
        int nonEmpty = 0;
        Iterator<JsonNode> expected = oracle.get("queries").iterator();
        for (JsonNode q : queries) {
            JsonNode want = expected.next();
            List<String> wantMatches = new ArrayList<>();
            want.get("matches").forEach(m -> wantMatches.add(m.asText()));
            nonEmpty += wantMatches.isEmpty() ? 0 : 1;
            for (JdbcArchiveIndex index : List.of(indexes.get(db), javaOnly.get(db))) {
                String how = index == indexes.get(db) ? "SQL" : "Java";
                QueryLevel level = QueryLevel.valueOf(q.get("level").asText());
                DataSet keys = keys(q.get("keys"));
                if (level == QueryLevel.PATIENT) {
                    // patients are told apart by ID and name in the comparison
                    for (int tag : new int[] {Tag.PatientID, Tag.PatientName}) {
                        if (!keys.contains(tag)) {
                            keys.setNull(tag, ElementDictionary.vrOf(tag));
                        }
                    }
                }
                IndexQuery query = new IndexQuery(InformationModel.valueOf(q.path("model").asText("STUDY_ROOT")), level,
                        keys, false, q.path("relational").asBoolean(false), false,
                        q.path("offset").asInt(0), q.path("limit").asInt(0));
                List<String> got = new ArrayList<>();
                boolean limitReached;
                try (QueryResults results = index.query(query, q.path("combined").asBoolean(false))) {
                    results.forEachRemaining(r -> got.add(resultKey(level, r)));
                    limitReached = results.limitReached();
                }
                if (!got.equals(wantMatches) || limitReached != want.get("limitReached").asBoolean()) {
                    failures.add(how + " \"" + q.get("name").asText() + "\": expected " + wantMatches + " (limit reached "
                            + want.get("limitReached") + ") but got " + got + " (" + limitReached + ")");
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(nonEmpty).as("queries the corpus answers").isGreaterThan(queries.size() * 8 / 10);
        for (String name : List.of("name prefix, Hangul (phonetic group)", "name prefix, Hanja (ideographic group)",
                "name prefix, Hiragana", "name prefix, full-width Katakana finds half-width", "name, sharp s upper-cased")) {
            JsonNode q = findQuery(name);
            assertThat(q.get("matches")).as(name).isNotEmpty();
        }
    }

    private JsonNode findQuery(String name) {
        for (JsonNode q : oracle.get("queries")) {
            if (q.get("name").asText().equals(name)) {
                return q;
            }
        }
        throw new AssertionError("no query " + name);
    }

    private static String resultKey(QueryLevel level, DataSet r) {
        return switch (level) {
            case PATIENT -> canonical(r, "PatientID") + "|" + canonical(r, "PatientName");
            case STUDY -> r.getString(Tag.StudyInstanceUID);
            case SERIES -> r.getString(Tag.SeriesInstanceUID);
            case IMAGE -> r.getString(Tag.SOPInstanceUID);
        };
    }

    /** Keys from the JSON of a query: "" is a return key, a list of one object a sequence key. */
    private static DataSet keys(JsonNode json) {
        DataSet keys = new DataSet();
        json.fields().forEachRemaining(e -> {
            int tag = ElementDictionary.tagOf(e.getKey());
            VR vr = ElementDictionary.vrOf(tag);
            JsonNode v = e.getValue();
            if (v.isArray()) {
                var seq = keys.newSequence(tag);
                for (JsonNode item : v) {
                    DataSet itemKeys = keys(item);
                    seq.add(itemKeys);
                }
            } else if (v.asText().isEmpty()) {
                keys.setNull(tag, vr);
            } else {
                keys.setString(tag, vr, v.asText().split("\\\\", -1));
            }
        });
        return keys;
    }

    private Map<String, Map<String, String>> compared(JdbcArchiveIndex index, QueryLevel level, int uniqueKey)
            throws IndexException {
        DataSet keys = new DataSet();
        for (String keyword : COMPARED.get(level)) {
            int tag = ElementDictionary.tagOf(keyword);
            keys.setNull(tag, ElementDictionary.vrOf(tag));
        }
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (DataSet r : run(index, new IndexQuery(InformationModel.STUDY_ROOT, level, keys, false, true, false, 0, 0))) {
            Map<String, String> row = new TreeMap<>();
            for (String keyword : COMPARED.get(level)) {
                row.put(keyword, canonical(r, keyword));
            }
            rows.put(r.getString(uniqueKey), row);
        }
        return rows;
    }

    private static List<String> differences(Map<String, Map<String, String>> got, Map<String, Map<String, String>> want) {
        List<String> out = new ArrayList<>();
        if (!got.keySet().equals(want.keySet())) {
            out.add("entities differ: got " + got.keySet() + ", expected " + want.keySet());
            return out;
        }
        want.forEach((uid, row) -> row.forEach((keyword, value) -> {
            String actual = got.get(uid).get(keyword);
            if (!value.equals(actual)) {
                out.add(uid + " " + keyword + ": expected \"" + value + "\" but was \"" + actual + "\"");
            }
        }));
        return out;
    }

    private static Map<String, Map<String, String>> expected(JsonNode level) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        level.fields().forEachRemaining(e -> {
            Map<String, String> row = new TreeMap<>();
            e.getValue().fields().forEachRemaining(v -> row.put(v.getKey(), v.getValue().asText()));
            rows.put(e.getKey(), row);
        });
        return rows;
    }

    /** A value as the oracle writes it: values joined by "\", numbers by value, set-like values sorted. */
    private static String canonical(DataSet r, String keyword) {
        int tag = ElementDictionary.tagOf(keyword);
        List<String> values = new ArrayList<>();
        for (String v : r.getStrings(tag)) {
            values.add(v.strip());
        }
        if (tag == Tag.ModalitiesInStudy || tag == Tag.SOPClassesInStudy) {
            values.sort(null);
        }
        VR vr = ElementDictionary.vrOf(tag);
        if (vr == VR.PN) {
            values.replaceAll(v -> PersonName.parse(v).toString());
        }
        if (vr.isBinaryNumber() || vr == VR.IS || vr == VR.DS) {
            return values.stream().map(CorpusIndexTest::canonicalNumber).collect(Collectors.joining("\\"));
        }
        return String.join("\\", values);
    }

    private static String canonicalNumber(String s) {
        try {
            BigDecimal d = new BigDecimal(s.strip());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return s.strip();
        }
    }

    private static List<DataSet> run(JdbcArchiveIndex index, IndexQuery query) throws IndexException {
        List<DataSet> out = new ArrayList<>();
        try (QueryResults results = index.query(query)) {
            results.forEachRemaining(out::add);
        }
        return out;
    }
}
