package org.mosaicpacs.transcoder.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.mosaicpacs.api.transcode.TranscodeException;
import org.mosaicpacs.api.transcode.TranscodeRequest;
import org.mosaicpacs.api.transcode.TranscodeResult;
import org.mosaicpacs.api.transcode.Transcoder;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * The independent side of the tests: {@code src/test/python/transcode-check.py} (pydicom, DCMTK,
 * GDCM) run once over a list of jobs, and the tools run directly.
 */
final class Interop {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Interop() {
    }

    /** A fresh folder under target/interop. */
    static Path workDir(String name) {
        Path dir = Path.of("target", "interop", name).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the jobs in two Python processes side by side (CI has two cores); the results by job id. */
    static Map<String, JsonNode> check(List<Map<String, Object>> jobs, Path dir) {
        Path python = Tools.pydicomPython();
        Tools.require("dcmdjpeg");
        Tools.require("gdcmconv");
        Path script = TestEnvironment.repoRoot().resolve("bundles/transcoder/src/test/python/transcode-check.py");
        List<CompletableFuture<Map<String, JsonNode>>> parts = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int part = 0; part < 2; part++) {
            List<Map<String, Object>> share = new ArrayList<>();
            for (int i = part; i < jobs.size(); i += 2) {
                share.add(jobs.get(i));
            }
            Path in = dir.resolve("jobs-" + part + ".json");
            Path out = dir.resolve("results-" + part + ".json");
            parts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    JSON.writerWithDefaultPrettyPrinter().writeValue(in.toFile(), share);
                    Tools.run(Duration.ofMinutes(10), List.of(python.toString(), script.toString(), in.toString(),
                            out.toString())).assertSuccess();
                    Map<String, JsonNode> results = new HashMap<>();
                    JSON.readTree(out.toFile()).fields().forEachRemaining(e -> results.put(e.getKey(), e.getValue()));
                    return results;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, pool));
        }
        try {
            Map<String, JsonNode> all = new HashMap<>();
            parts.forEach(p -> all.putAll(p.join()));
            return all;
        } finally {
            pool.shutdown();
        }
    }

    /** Runs a tool that converts {@code in} to {@code out}; the failure message if it failed. */
    static String convert(Path out, String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, Tools.require(command[0]).toString());
        cmd.add(out.toString());
        Tools.Result r = Tools.run(Duration.ofMinutes(2), cmd);
        return r.exitCode() == 0 && Files.exists(out) ? null : r.out() + r.err();
    }

    /** Transcodes a file to a file. */
    static TranscodeResult transcode(Transcoder transcoder, Path in, Path out, TranscodeRequest request)
            throws IOException, TranscodeException {
        Files.createDirectories(out.getParent());
        try (InputStream is = Files.newInputStream(in); OutputStream os = Files.newOutputStream(out)) {
            return transcoder.transcode(is, os, request);
        }
    }

    /** A job description. */
    static Map<String, Object> job(String kind, String id, Object... keyValues) {
        Map<String, Object> job = new HashMap<>();
        job.put("kind", kind);
        job.put("id", id);
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            job.put((String) keyValues[i], v instanceof Path p ? p.toString() : v);
        }
        return job;
    }

    /** The text values of a JSON array. */
    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The numbers of a JSON array. */
    static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        return values;
    }
}
