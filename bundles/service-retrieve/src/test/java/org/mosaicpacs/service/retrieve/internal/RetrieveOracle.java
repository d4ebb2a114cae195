package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs src/test/python/retrieve_oracle.py: pydicom says which instances a retrieve names and checks what arrived. */
final class RetrieveOracle {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path corpusList;

    RetrieveOracle(Path corpusList) {
        this.corpusList = corpusList;
    }

    /** Writes the list of files the index holds, for the oracle to read. */
    static RetrieveOracle of(List<Path> files, Path work) throws IOException {
        Files.createDirectories(work);
        Path list = work.resolve("corpus.txt");
        Files.write(list, files.stream().map(Path::toString).toList());
        return new RetrieveOracle(list);
    }

    /**
     * @param keys the retrieve's unique keys by keyword (lists with backslashes)
     * @return expected {uid: stored syntax}, received, missing, unexpected, mismatched {uid: reason}
     */
    JsonNode check(Path received, Map<String, String> keys) throws IOException {
        Path script = TestEnvironment.repoRoot().resolve("bundles/service-retrieve/src/test/python/retrieve_oracle.py");
        Tools.Result r = Tools.run(Duration.ofMinutes(2), List.of(Tools.pydicomPython().toString(), script.toString(),
                corpusList.toString(), received.toString(), JSON.writeValueAsString(keys))).assertSuccess();
        return JSON.readTree(r.stdout());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
