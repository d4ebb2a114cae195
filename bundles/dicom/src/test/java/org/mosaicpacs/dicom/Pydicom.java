package org.mosaicpacs.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.mosaicpacs.dicom.internal.Bytes;
import org.mosaicpacs.testing.TestEnvironment;
import org.mosaicpacs.testing.Tools;

/**
 * pydicom as the oracle: {@code src/test/python/dump-elements.py} run once over many files, and
 * the comparison of its element lists with ours.
 */
public final class Pydicom {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Pydicom() {
    }

    /** pydicom's element lists of every file, by absolute path. One Python process for all files. */
    static Map<String, JsonNode> dump(List<Path> files, String name) {
        return run("dump-elements.py", files, name);
    }

    /**
     * Runs an oracle script of {@code src/test/python} once over many files: {@code script LIST OUT ARGS...}
     * with LIST the absolute paths, one a line; returns OUT's JSON object by path.
     */
    public static Map<String, JsonNode> run(String scriptName, List<Path> files, String name, String... args) {
        Path python = Tools.pydicomPython();
        Path script = TestEnvironment.repoRoot().resolve("bundles/dicom/src/test/python").resolve(scriptName);
        try {
            Path dir = Files.createDirectories(Path.of("target", "pydicom"));
            Path list = dir.resolve(name + ".txt");
            Path out = dir.resolve(name + ".json");
            Files.write(list, files.stream().map(p -> p.toAbsolutePath().toString()).toList());
            List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), list.toString(), out.toString()));
            cmd.addAll(List.of(args));
            Tools.run(Duration.ofMinutes(5), cmd).assertSuccess();
            JsonNode root = JSON.readTree(out.toFile());
            Map<String, JsonNode> result = new java.util.HashMap<>();
            root.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue()));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The differences between pydicom's element list and our data set (empty if equal).
     *
     * @param relaxVR where VRs may legitimately differ (a data set written in Implicit VR): then
     *        elements are compared by tag and, where the VRs agree, by value
     * @param skip tags not compared (e.g. group lengths we drop on writing)
     */
    static List<String> compare(JsonNode expected, DataSet actual, boolean relaxVR, Predicate<Integer> skip) {
        return compare(expected, actual, relaxVR, skip, false);
    }

    /**
     * @param written compare with a copy we wrote: odd-length binary values were padded with a
     *        NUL byte (PS3.5 7.1.1)
     */
    static List<String> compare(JsonNode expected, DataSet actual, boolean relaxVR, Predicate<Integer> skip,
                                boolean written) {
        List<String> diffs = new ArrayList<>();
        compare(expected, actual, relaxVR, skip, written, "", diffs);
        return diffs;
    }

    private static void compare(JsonNode expected, DataSet ds, boolean relaxVR, Predicate<Integer> skip,
                                boolean written, String path, List<String> diffs) {
        List<JsonNode> exp = new ArrayList<>();
        expected.forEach(e -> {
            if (!skip.test(e.get(0).asInt())) {
                exp.add(e);
            }
        });
        List<Integer> ours = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            if (!skip.test(ds.tagAt(i))) {
                ours.add(i);
            }
        }
        int n = Math.max(exp.size(), ours.size());
        for (int k = 0; k < n && diffs.size() < 20; k++) {
            if (k >= exp.size() || k >= ours.size()) {
                diffs.add(path + (k >= exp.size() ? "extra " + Tags.toString(ds.tagAt(ours.get(k)))
                        : "missing " + Tags.toString(exp.get(k).get(0).asInt())));
                return;
            }
            JsonNode e = exp.get(k);
            int i = ours.get(k);
            int tag = ds.tagAt(i);
            String where = path + Tags.toString(tag);
            if (e.get(0).asInt() != tag) {
                diffs.add(where + ": pydicom has " + Tags.toString(e.get(0).asInt()) + " here");
                return;
            }
            String evr = e.get(1).asText();
            VR vr = ds.vrAt(i);
            JsonNode value = e.get(2);
            if (evr.contains(" or ") || evr.equals("??") || value.has("error")) {
                continue; // pydicom could not resolve the VR or decode the value
            }
            if (!evr.equals(vr.name())) {
                if (!relaxVR) {
                    diffs.add(where + ": VR " + vr + ", pydicom " + evr);
                }
                continue;
            }
            if (vr == VR.SQ) {
                Sequence seq = ds.getSequence(tag);
                if (seq.size() != value.size()) {
                    diffs.add(where + ": " + seq.size() + " items, pydicom " + value.size());
                    continue;
                }
                for (int item = 0; item < seq.size(); item++) {
                    compare(value.get(item), seq.get(item), relaxVR, skip, written, where + "[" + item + "].", diffs);
                }
                continue;
            }
            String ourValue = describe(ds, i, written);
            String theirs = describe(value, vr);
            if (!ourValue.equals(theirs)) {
                diffs.add(where + " " + vr + ": " + abbreviate(ourValue) + " != pydicom " + abbreviate(theirs));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** pydicom's value in a form comparable with {@link #describe(DataSet, int)}. */
    private static String describe(JsonNode value, VR vr) {
        if (value.isObject()) {
            return "sha1 " + value.get("sha1").asText() + " #" + value.get("length").asInt();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode v : value) {
            if (vr == VR.PN) {
                parts.add(PersonName.parse(v.asText()).toString());
            } else if (vr == VR.FL || vr == VR.FD) {
                parts.add(Double.toString(parsePythonFloat(v.asText())));
            } else {
                parts.add(v.asText());
            }
        }
        return parts.toString();
    }

    private static double parsePythonFloat(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static String describe(DataSet ds, int i, boolean padded) {
        int tag = ds.tagAt(i);
        VR vr = ds.vrAt(i);
        Object raw = ds.valueAt(i);
        if (raw instanceof Fragments f) {
            java.io.ByteArrayOutputStream items = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < f.size(); k++) {
                byte[] h = new byte[8];
                Bytes.put16(h, 0, 0xFFFE);
                Bytes.put16(h, 2, 0xE000);
                Bytes.put32(h, 4, (int) f.length(k));
                items.writeBytes(h);
                items.writeBytes(f.bytes(k));
            }
            return sha1(items.toByteArray());
        }
        if (vr.kind() == VR.Kind.BYTES) {
            byte[] b = ds.getBytes(tag);
            if (padded && (b.length & 1) != 0) {
                b = java.util.Arrays.copyOf(b, b.length + 1);
            }
            return b.length == 0 ? "[]" : sha1(b);
        }
        List<String> parts = new ArrayList<>();
        if (vr == VR.FL || vr == VR.FD) {
            for (double d : ds.getDoubles(tag)) {
                parts.add(Double.toString(vr == VR.FL ? (double) (float) d : d));
            }
        } else if (vr.isBinaryNumber()) {
            for (long l : ds.getLongs(tag)) {
                parts.add(vr == VR.UV ? Long.toUnsignedString(l) : Long.toString(l));
            }
        } else {
            for (String s : ds.getStrings(tag)) {
                // trailing empty name groups and components are insignificant (PS3.5 6.2.1)
                parts.add(vr == VR.PN ? PersonName.parse(strip(s)).toString() : strip(s));
            }
            if (parts.size() == 1 && parts.get(0).isEmpty()) {
                parts.clear();
            }
        }
        return parts.toString();
    }

    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == 0)) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == 0)) {
            b--;
        }
        return s.substring(a, b);
    }

    static String sha1(byte[] b) {
        try {
            return "sha1 " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b)) + " #" + b.length;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
