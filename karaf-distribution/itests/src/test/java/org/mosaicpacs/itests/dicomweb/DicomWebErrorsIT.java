package org.mosaicpacs.itests.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.TestData;

/**
 * Bad requests to DICOMweb get a 4xx with a body saying why, never a 5xx: a table of the
 * mistakes clients make (unknown UIDs, malformed queries, wrong Content-Type, broken multipart,
 * oversized bodies, unacceptable media types), plus the answers viewers rely on (204 for an
 * empty search, Warning 299, CORS preflights for requests with an Authorization header).
 */
@ExtendWith(SharedMosaicServer.class)
class DicomWebErrorsIT {

    private record Case(String method, String path, Map<String, String> headers, byte[] body, int status,
                        String reason) {
    }

    private static Case get(String path, int status, String reason) {
        return new Case("GET", path, Map.of(), null, status, reason);
    }

    private static Case get(String path, String accept, int status, String reason) {
        return new Case("GET", path, Map.of("Accept", accept), null, status, reason);
    }

    private static Case post(String path, String contentType, byte[] body, int status, String reason) {
        return new Case("POST", path, Map.of("Content-Type", contentType), body, status, reason);
    }

    @Test
    void badRequestsAreAnsweredWithAReason(MosaicServer server) throws Exception {
        Path file = TestData.dicomFilesUnder(TestData.mixedCorpus().resolve("native")).get(0);
        DicomWebCorpus.stow(server.http("/"), List.of(file));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> found = http.send(HttpRequest.newBuilder(server.http("/dicom-web/instances?limit=1"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String study = uid(found.body(), "0020000D");
        String series = uid(found.body(), "0020000E");
        String instance = uid(found.body(), "00080018");
        String base = "/dicom-web/studies/" + study + "/series/" + series + "/instances/" + instance;
        byte[] dicom = Files.readAllBytes(file);

        List<Case> table = List.of(
                get("/dicom-web/studies/1.2.3.999", 404, "no study"),
                get("/dicom-web/studies/1.2.3.999/metadata", 404, "no study"),
                get("/dicom-web/studies/" + study + "/series/1.2.3.999/instances/" + instance, 404, "no instance"),
                get("/dicom-web/studies?limit=abc", 400, "limit"),
                get("/dicom-web/studies?offset=-1", 400, "offset"),
                get("/dicom-web/studies?StudyDate=2020-13-45x", 400, "StudyDate"),
                get("/dicom-web/studies?PatientName=NOBODY-HERE-" + System.nanoTime(), 204, ""),
                get("/dicom-web/studies/" + study, "application/xml", 406, "multipart/related"),
                get("/dicom-web/studies/" + study + "/metadata", "image/png", 406, "application/dicom+json"),
                get(base + "/frames/0", 400, "frame"),
                get(base + "/frames/1,x", 400, "frame"),
                get(base + "/frames/999", 404, "frame"),
                get(base + "/frames/1", "text/html", 406, "frames"),
                get(base + "/rendered?window=abc", 400, "window"),
                get(base + "/rendered?viewport=0,0", 400, "viewport"),
                get(base + "/rendered?quality=200", 400, "quality"),
                get(base + "/rendered", "application/pdf", 406, "image/jpeg"),
                get(base + "/bulkdata/zzzz", 400, "element path"),
                get(base + "/bulkdata/00091234", 404, "no value"),
                get("/dicom-web/wado?requestType=XYZ&objectUID=" + instance, 400, "requestType=WADO"),
                get("/dicom-web/wado?requestType=WADO", 400, "objectUID"),
                get("/dicom-web/wado?requestType=WADO&objectUID=1.2.3.999", 404, "no instance"),
                get("/dicom-web/wado?requestType=WADO&objectUID=" + instance + "&contentType=text/html", 406,
                        "contentType"),
                post("/dicom-web/studies", "application/json", "{}".getBytes(), 415, "multipart/related"),
                post("/dicom-web/studies", "multipart/related; type=\"application/dicom\"", dicom, 400, "boundary"),
                post("/dicom-web/studies", "multipart/related; type=\"application/dicom+xml\"; boundary=x", dicom, 415,
                        "application/dicom"),
                post("/dicom-web/studies", "multipart/related; type=\"application/dicom\"; boundary=b",
                        "--b\r\nContent-Type: application/dicom\r\n\r\nDICM".getBytes(), 400, "broken multipart"),
                post("/dicom-web/studies", "multipart/related; type=\"application/dicom\"; boundary=b",
                        "no boundary at all".getBytes(), 400, "broken multipart"),
                post("/dicom-web/studies", "multipart/related; type=\"application/dicom\"; boundary=b",
                        part("b", "application/dicom", "this is no DICOM file".getBytes()), 409, "00081197"),
                post("/dicom-web/studies/1.2.3.999", "multipart/related; type=\"application/dicom\"; boundary=b",
                        part("b", "application/dicom", dicom), 409, "00081197"),
                post("/dicom-web/studies", "multipart/related; type=\"application/dicom\"; boundary=b",
                        part("b", "text/plain", "hello".getBytes()), 415, "text/plain"));

        List<String> failures = new ArrayList<>();
        for (Case c : table) {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.http(c.path())).timeout(Duration.ofSeconds(30));
            c.headers().forEach(request::header);
            request.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(c.body()));
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String line = c.method() + " " + c.path() + " -> " + r.statusCode() + " " + r.body().strip();
            System.out.println(line);
            if (r.statusCode() != c.status() || !r.body().contains(c.reason())
                    || c.status() >= 400 && r.body().isBlank()) {
                failures.add("expected " + c.status() + " with \"" + c.reason() + "\": " + line);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void oversizedBodyIs413(MosaicServer server) throws IOException {
        DicomWebCorpus.awaitDicomWeb(server.http("/"));
        // a declared length beyond the limit is refused before the body is read
        try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: multipart/related; type=\"application/dicom\"; boundary=b\r\n"
                    + "Content-Length: 100000000000\r\n\r\n--b\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // the status line only: the server need not close the connection at once
            StringBuilder statusLine = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                statusLine.append((char) b);
            }
            assertThat(statusLine.toString()).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void searchWarningsAndCorsForBrowserViewers(MosaicServer server) throws Exception {
        DicomWebCorpus.awaitDicomWeb(server.http("/"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> warned = http.send(HttpRequest.newBuilder(
                server.http("/dicom-web/studies?limit=1&unknownparameter=1")).header("Origin", "http://viewer.example")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(warned.statusCode()).isIn(200, 204); // 204 when this runs before anything is stored
        assertThat(String.join(",", warned.headers().allValues("Warning"))).contains("299")
                .contains("unknownparameter");
        assertThat(warned.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(warned.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Warning");

        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(server.http("/dicom-web/studies"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://viewer.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,accept").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("GET");
    }

    private static byte[] part(String boundary, String type, byte[] content) {
        byte[] head = ("--" + boundary + "\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        System.arraycopy(tail, 0, all, head.length + content.length, tail.length);
        return all;
    }

    /** The first value of a UID attribute in DICOM JSON (enough for these answers). */
    static String uid(String json, String tag) {
        int at = json.indexOf("\"" + tag + "\"");
        int value = json.indexOf("\"Value\":[\"", at) + 10;
        return json.substring(value, json.indexOf('"', value));
    }

}
