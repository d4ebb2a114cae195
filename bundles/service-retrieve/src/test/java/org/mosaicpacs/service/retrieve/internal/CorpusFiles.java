package org.mosaicpacs.service.retrieve.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The UIDs of the mixed corpus's native files, from the manifest make-corpus.py writes (independent of our index). */
final class CorpusFiles {

    /** One row of manifest.csv. */
    record Row(String patientId, String studyUid, String seriesUid, String sopUid, String kind) {
    }

    private final List<Row> rows = new ArrayList<>();

    CorpusFiles(Path corpus) throws IOException {
        List<String> lines = Files.readAllLines(corpus.resolve("manifest.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            rows.add(new Row(c[header.indexOf("patient_id")], c[header.indexOf("study_uid")],
                    c[header.indexOf("series_uid")], c[header.indexOf("sop_uid")], c[header.indexOf("kind")]));
        }
    }

    /** The studies of a patient, in manifest order. */
    List<String> studies(String patientId) {
        Set<String> s = new LinkedHashSet<>();
        rows.stream().filter(r -> r.patientId().equals(patientId)).forEach(r -> s.add(r.studyUid()));
        return new ArrayList<>(s);
    }

    /** The series of a study, in manifest order. */
    List<String> series(String studyUid) {
        Set<String> s = new LinkedHashSet<>();
        rows.stream().filter(r -> r.studyUid().equals(studyUid)).forEach(r -> s.add(r.seriesUid()));
        return new ArrayList<>(s);
    }

    /** The instances of a series, in manifest order. */
    List<String> instances(String seriesUid) {
        return rows.stream().filter(r -> r.seriesUid().equals(seriesUid)).map(Row::sopUid).toList();
    }
}
