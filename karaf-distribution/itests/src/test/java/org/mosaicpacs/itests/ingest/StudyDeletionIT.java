package org.mosaicpacs.itests.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.itests.server.MosaicServer;
import org.mosaicpacs.itests.server.SharedMosaicServer;
import org.mosaicpacs.testing.TestData;
import org.mosaicpacs.testing.TestFiles;
import org.mosaicpacs.testing.Tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Deleting a series and then its study, over REST and from the Karaf shell, in the running
 * distribution. DCMTK is the judge: storescu sends the corpus, findscu no longer finds what was
 * deleted (and still finds the rest), getscu retrieves nothing of it, and the same files can be
 * sent again afterwards. The objects are gone from the disk, and pydicom finds the other studies'
 * copies byte for byte as sent.
 */
@ExtendWith(SharedMosaicServer.class)
class StudyDeletionIT {

    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aSeriesThenItsStudyAreDeletedAndNothingElse(MosaicServer server) throws Exception {
        List<Path> files = TestData.dicomFilesUnder(TestData.corpus("delete-itest", "--patients", "2",
                "--studies-per-patient", "2", "--instances-per-series", "2", "--id-prefix", "DEL", "--seed", "13")
                .resolve("native"));
        // study UID -> series UID -> files, read from what is sent
        Map<String, Map<String, List<Path>>> sent = new TreeMap<>();
        for (Path f : files) {
            DataSet h = StoredObjects.header(f);
            sent.computeIfAbsent(h.getString(Tag.StudyInstanceUID), k -> new TreeMap<>())
                    .computeIfAbsent(h.getString(Tag.SeriesInstanceUID), k -> new ArrayList<>())
                    .add(f);
        }
        StoreScu.Outcome stored = StoreScu.send(server.dicomPort(), "MOSAIC", files, TOOL_TIMEOUT);
        assertThat(stored.succeeded()).as(stored.log()).hasSameSizeAs(files);

        String study = sent.entrySet().stream().filter(e -> e.getValue().size() >= 2).findFirst().orElseThrow().getKey();
        Map<String, List<Path>> studySeries = sent.get(study);
        String series = studySeries.keySet().iterator().next();
        List<Path> others = sent.entrySet().stream().filter(e -> !e.getKey().equals(study))
                .flatMap(e -> e.getValue().values().stream().flatMap(List::stream)).toList();
        assertThat(findSeries(server, study)).containsExactlyInAnyOrderElementsOf(studySeries.keySet());

        // over REST only once turned on: /api has no authentication of its own
        HttpResponse<String> refused = delete(server, "/api/studies/" + study);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("deletionEnabled");
        assertThat(findSeries(server, study)).hasSameSizeAs(studySeries.keySet());
        server.shell("config:property-set -p org.mosaicpacs.rest.studies deletionEnabled true");
        HttpResponse<String> seriesDeleted = awaitNot403(server, "/api/studies/" + study + "/series/" + series);
        assertThat(seriesDeleted.statusCode()).as(seriesDeleted.body()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(seriesDeleted.body());
        assertThat(body.get("instances").asInt()).isEqualTo(studySeries.get(series).size());
        assertThat(body.get("objectsNotDeleted")).isEmpty();
        assertThat(findSeries(server, study)).containsExactlyInAnyOrderElementsOf(
                studySeries.keySet().stream().filter(s -> !s.equals(series)).toList());
        assertThat(filesUnder(StoredObjects.objectsRoot(server.home()).resolve(study).resolve(series))).isEmpty();

        // the rest of the study from the shell
        int rest = studySeries.entrySet().stream().filter(e -> !e.getKey().equals(series))
                .mapToInt(e -> e.getValue().size()).sum();
        assertThat(server.shell("mosaic:study-delete " + study))
                .contains("Deleted study " + study + ": " + rest + " instance(s) in " + (studySeries.size() - 1) + " series");
        assertThat(findSeries(server, study)).isEmpty();
        assertThat(filesUnder(StoredObjects.objectsRoot(server.home()).resolve(study))).isEmpty();
        assertThat(getscu(server, study, "target/delete-it-cget")).isEmpty();
        assertThat(server.get("/dicom-web/studies?StudyInstanceUID=" + study).body()).doesNotContain(study);

        // nothing else went: the other studies answer and their stored copies are as sent
        for (String other : sent.keySet()) {
            if (!other.equals(study)) {
                assertThat(findSeries(server, other)).containsExactlyInAnyOrderElementsOf(sent.get(other).keySet());
            }
        }
        assertThat(StoredObjects.problemsWithStoredCopies(StoredObjects.objectsRoot(server.home()), others)).isEmpty();
        assertThat(server.shell("mosaic:archive-verify")).contains("OK:").doesNotContain("PROBLEM");

        // a study that is gone: 404 with the reason, and the shell says so
        HttpResponse<String> again = delete(server, "/api/studies/" + study);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(again.body()).get("error").asText()).contains("no study " + study);
        assertThat(server.shell("mosaic:study-delete " + study)).contains("Nothing deleted: no study " + study);

        // the same files go in again, as new instances
        List<Path> studyFiles = studySeries.values().stream().flatMap(List::stream).toList();
        StoreScu.Outcome resent = StoreScu.send(server.dicomPort(), "MOSAIC", studyFiles, TOOL_TIMEOUT);
        assertThat(resent.succeeded()).as(resent.log()).hasSameSizeAs(studyFiles);
        assertThat(findSeries(server, study)).containsExactlyInAnyOrderElementsOf(studySeries.keySet());
        assertThat(StoredObjects.problemsWithStoredCopies(StoredObjects.objectsRoot(server.home()), studyFiles)).isEmpty();
        server.shell("config:property-set -p org.mosaicpacs.rest.studies deletionEnabled false");
    }

    /** DELETE, again while the resource still answers 403 or 404 (reconfigured: DS re-registers it). */
    private static HttpResponse<String> awaitNot403(MosaicServer server, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> r = delete(server, path);
        while ((r.statusCode() == 403 || r.statusCode() == 404 && !r.body().contains("no series"))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = delete(server, path);
        }
        return r;
    }

    private static HttpResponse<String> delete(MosaicServer server, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.http(path)).DELETE()
                .timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The Series Instance UIDs DCMTK findscu finds in the study (Study Root, SERIES level). */
    private static List<String> findSeries(MosaicServer server, String study) {
        return FindScu.uids(server, "SERIES", List.of("StudyInstanceUID=" + study, "SeriesInstanceUID"), "(0020,000e)");
    }

    /** What DCMTK getscu retrieves of the study (the files it wrote). */
    private static List<Path> getscu(MosaicServer server, String study, String dir) throws IOException {
        Path out = TestFiles.freshDirectory(Path.of(dir).toAbsolutePath());
        Tools.run(TOOL_TIMEOUT, List.of(Tools.require("getscu").toString(), "-aec", "MOSAIC", "-od", out.toString(),
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study,
                "127.0.0.1", Integer.toString(server.dicomPort()))).assertSuccess();
        return filesUnder(out);
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }
}
