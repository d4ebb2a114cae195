package org.mosaicpacs.itests.dicomweb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.mosaicpacs.testing.TestData;

/**
 * The files the DICOMweb tests store and check: every native file of the mixed corpus (all
 * modalities, six character sets) and a few compressed copies (JPEG-LS, JPEG Baseline, RLE,
 * JPEG 2000), so that frames are served decoded and as stored.
 */
final class DicomWebCorpus {

    private static final List<String> COMPRESSED = List.of("jpegls-lossless", "jpeg-baseline", "rle-dcmtk",
            "j2k-lossless");

    private DicomWebCorpus() {
    }

    static List<Path> files() {
        Path corpus = TestData.mixedCorpus();
        List<Path> files = new ArrayList<>(TestData.dicomFilesUnder(corpus.resolve("native")));
        for (String syntax : COMPRESSED) {
            files.addAll(TestData.dicomFilesUnder(corpus.resolve("syntaxes").resolve(syntax)));
        }
        return files;
    }

    /**
     * Waits until {@code /dicom-web} answers: the shared server is started once {@code /api/health}
     * is up, and the DICOMweb application may come up a few seconds later.
     */
    static void awaitDicomWeb(URI server) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.resolve("dicom-web/studies?limit=1"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || r.statusCode() == 204) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("/dicom-web did not answer within 90 s: " + last);
    }

    /** Stores files with STOW-RS, a few per request; fails unless every request answers 200. */
    static void stow(URI dicomWeb, List<Path> files) {
        awaitDicomWeb(dicomWeb);
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < files.size(); i += 10) {
            String boundary = UUID.randomUUID().toString();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                for (Path f : files.subList(i, Math.min(files.size(), i + 10))) {
                    body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    body.write(Files.readAllBytes(f));
                    body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(dicomWeb.resolve("dicom-web/studies"))
                        .timeout(Duration.ofMinutes(2))
                        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                        .header("Accept", "application/dicom+json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new AssertionError("STOW-RS answered " + r.statusCode() + ": " + r.body());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
