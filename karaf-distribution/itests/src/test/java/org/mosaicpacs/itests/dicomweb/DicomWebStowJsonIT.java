package org.mosaicpacs.itests.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;

/**
 * STOW-RS of DICOM JSON metadata with its Pixel Data in a bulk data part (PS3.18 10.5.1.2.2): the
 * instance is stored, its UTF-8 names survive (no Specific Character Set given: stored as ISO_IR 192),
 * and the frame comes back byte for byte.
 */
@ExtendWith(SharedMosaicServer.class)
class DicomWebStowJsonIT {

    @Test
    void jsonMetadataWithBulkDataPart(MosaicServer server) throws Exception {
        DicomWebCorpus.awaitDicomWeb(server.http("/"));
        String study = "2.25.90001" + System.nanoTime();
        String series = study + ".1";
        String sop = study + ".1.1";
        String json = """
                [{"00080016": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.7"]},
                  "00080018": {"vr": "UI", "Value": ["%s"]},
                  "00080060": {"vr": "CS", "Value": ["OT"]},
                  "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎"}]},
                  "00100020": {"vr": "LO", "Value": ["JSONSTOW"]},
                  "0020000D": {"vr": "UI", "Value": ["%s"]},
                  "0020000E": {"vr": "UI", "Value": ["%s"]},
                  "00280002": {"vr": "US", "Value": [1]}, "00280004": {"vr": "CS", "Value": ["MONOCHROME2"]},
                  "00280010": {"vr": "US", "Value": [2]}, "00280011": {"vr": "US", "Value": [2]},
                  "00280100": {"vr": "US", "Value": [8]}, "00280101": {"vr": "US", "Value": [8]},
                  "00280102": {"vr": "US", "Value": [7]}, "00280103": {"vr": "US", "Value": [0]},
                  "7FE00010": {"vr": "OB", "BulkDataURI": "http://client.example/bulk/pixels"}}]
                """.formatted(sop, study, series);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--b\r\nContent-Type: application/dicom+json; charset=utf-8\r\n\r\n" + json
                + "\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Location: http://client.example/bulk/pixels\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(new byte[] {0, 85, (byte) 170, (byte) 255});
        body.write("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> stored = http.send(HttpRequest.newBuilder(server.http("/dicom-web/studies/" + study))
                .header("Content-Type", "multipart/related; type=\"application/dicom+json\"; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body() + stored.headers().allValues("Warning")).isEqualTo(200);
        assertThat(stored.body()).contains("00081199").contains(sop).doesNotContain("00081198");

        HttpResponse<String> found = http.send(HttpRequest.newBuilder(
                server.http("/dicom-web/studies?StudyInstanceUID=" + study)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(found.body()).contains("\"Ideographic\":\"山田^太郎\"");

        HttpResponse<byte[]> frame = http.send(HttpRequest.newBuilder(server.http("/dicom-web/studies/" + study
                + "/series/" + series + "/instances/" + sop + "/frames/1"))
                .header("Accept", "multipart/related; type=application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(frame.statusCode()).isEqualTo(200);
        String text = new String(frame.body(), StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n") + 4;
        assertThat(text.substring(start, start + 4)).isEqualTo(new String(new byte[] {0, 85, (byte) 170, (byte) 255},
                StandardCharsets.ISO_8859_1));
    }
}
