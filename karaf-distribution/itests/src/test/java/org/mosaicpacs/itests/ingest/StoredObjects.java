package org.mosaicpacs.itests.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs the pydicom oracle (src/test/python/stored-objects.py) over the server's object store. */
final class StoredObjects {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredObjects() {
    }

    static Path objectsRoot(Path home) {
        return home.resolve("data/mosaic/objects");
    }

    /** A file's data set up to its Pixel Data, read with our own reader (for UIDs and attributes to compare). */
    static DataSet header(Path file) throws Exception {
        try (DicomReader r = DicomReader.open(file)) {
            return r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        }
    }

    /** For each sent file: the problems pydicom sees with its stored copy (empty list: stored byte for byte). */
    static List<String> problemsWithStoredCopies(Path objectsRoot, List<Path> sent) throws Exception {
        Tools.Result r = Tools.run(Duration.ofMinutes(5), List.of(Tools.pydicomPython().toString(), script().toString(),
                "check", objectsRoot.toString()), null, Map.of(),
                sent.stream().map(Path::toString).collect(Collectors.joining("\n"))).assertSuccess();
        List<String> problems = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(r.out())) {
            if (entry.has("problem")) {
                problems.add(entry.get("sent").asText() + ": " + entry.get("problem").asText());
            } else if (!entry.get("exists").asBoolean()) {
                problems.add(entry.get("sent").asText() + ": not stored at " + entry.get("stored").asText());
            } else if (!entry.get("identical").asBoolean()) {
                problems.add(entry.get("sent").asText() + ": stored copy differs: " + entry.path("difference").asText());
            }
        }
        return problems;
    }

    /** Every file in the store reads completely and sits under its own UIDs; returns (file count, problems). */
    static JsonNode scan(Path objectsRoot) throws Exception {
        Tools.Result r = Tools.run(Duration.ofMinutes(5), List.of(Tools.pydicomPython().toString(), script().toString(),
                "scan", objectsRoot.toString())).assertSuccess();
        return JSON.readTree(r.out());
    }

    /**
     * The files storescu accepts as input (Part 10 with SOP class and instance in the meta
     * information), each with its transfer syntax UID.
     */
    static Map<Path, String> sendable(List<Path> candidates) throws Exception {
        Tools.Result r = Tools.run(Duration.ofMinutes(2), List.of(Tools.pydicomPython().toString(), script().toString(),
                "sendable"), null, Map.of(), candidates.stream().map(Path::toString).collect(Collectors.joining("\n")))
                .assertSuccess();
        Map<Path, String> files = new java.util.LinkedHashMap<>();
        r.out().lines().filter(l -> l.contains("\t")).forEach(l -> files.put(Path.of(l.substring(0, l.indexOf('\t'))),
                l.substring(l.indexOf('\t') + 1).trim()));
        return files;
    }

    private static Path script() {
        return TestEnvironment.repoRoot().resolve("karaf-distribution/itests/src/test/python/stored-objects.py");
    }
}
