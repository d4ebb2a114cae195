package org.mosaicpacs.itests.plugins;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.Tools;

/**
 * What the plugin tests share: waiting, C-STORE with DCMTK, HTTP with an Accept header, multipart
 * bodies. Public for the viewer test, which shows the AI plugin's results in OHIF.
 */
public final class PluginTests {

    private PluginTests() {
    }

    /** Retries {@code action} until its result satisfies {@code done}, or fails after {@code timeout}. */
    public static <T> T await(Duration timeout, Supplier<T> action, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        do {
            last = action.get();
            if (done.test(last)) {
                return last;
            }
            sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + " not reached within " + timeout + "; last: " + last);
    }

    /** A CT series of the phantom (make-corpus.py, profile ct), distinct per {@code prefix}. */
    public static List<Path> ctSeries(String prefix, int slices) {
        Path corpus = TestData.corpus("plugins-" + prefix, "--profile", "ct", "--patients", "1",
                "--studies-per-patient", "1", "--instances-per-series", Integer.toString(slices), "--id-prefix", prefix);
        return TestData.dicomFilesUnder(corpus.resolve("native"));
    }

    /** C-STORE with DCMTK storescu; fails the test unless every store succeeded. */
    public static void storescu(MosaicServer server, String callingAe, List<Path> files) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("storescu").toString(), "-aet", callingAe, "-aec", "MOSAIC",
                "127.0.0.1", Integer.toString(server.dicomPort())));
        files.forEach(f -> cmd.add(f.toString()));
        Tools.run(Duration.ofMinutes(2), cmd).assertSuccess();
    }

    static HttpResponse<byte[]> get(MosaicServer server, String path, String accept) {
        try {
            HttpRequest request = HttpRequest.newBuilder(server.http(path)).header("Accept", accept)
                    .timeout(Duration.ofSeconds(30)).build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static String getJson(MosaicServer server, String path) {
        HttpResponse<byte[]> r = get(server, path, "application/json, application/dicom+json");
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The bodies of the parts of a multipart response. */
    static List<byte[]> parts(HttpResponse<byte[]> response) {
        String contentType = response.headers().firstValue("Content-Type").orElseThrow();
        String boundary = null;
        for (String p : contentType.split(";")) {
            if (p.trim().toLowerCase().startsWith("boundary=")) {
                boundary = p.trim().substring(9).replace("\"", "");
            }
        }
        if (boundary == null) {
            throw new AssertionError("no boundary in " + contentType);
        }
        byte[] body = response.body();
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int start = indexOf(body, ("--" + boundary).getBytes(StandardCharsets.US_ASCII), 0);
        while (start >= 0) {
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            int end = indexOf(body, delimiter, headersEnd);
            if (headersEnd < 0 || end < 0) {
                break;
            }
            byte[] part = new byte[end - headersEnd - 4];
            System.arraycopy(body, headersEnd + 4, part, 0, part.length);
            parts.add(part);
            start = end + 2;
            if (start + boundary.length() + 4 <= body.length && body[start + boundary.length() + 2] == '-') {
                break; // close delimiter
            }
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The file the archive stored an instance in (storage-fs under {@code data/mosaic}), found by its
     * SOP Instance UID: what the tools validate is exactly what was stored.
     */
    static Path storedFile(MosaicServer server, String sopInstanceUid) throws IOException {
        try (var files = java.nio.file.Files.walk(server.home().resolve("data").resolve("mosaic"))) {
            for (Path p : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                try (org.mosaicpacs.dicom.io.DicomReader r = org.mosaicpacs.dicom.io.DicomReader.open(p)) {
                    if (sopInstanceUid.equals(r.readDataSet(org.mosaicpacs.dicom.io.StopCondition.beforeTag(
                            org.mosaicpacs.dicom.Tag.SOPInstanceUID + 1)).getString(org.mosaicpacs.dicom.Tag.SOPInstanceUID))) {
                        return p;
                    }
                } catch (IOException | RuntimeException notDicom) {
                    // the index database and other files live there too
                }
            }
        }
        throw new AssertionError("no stored file holds SOP Instance " + sopInstanceUid);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
