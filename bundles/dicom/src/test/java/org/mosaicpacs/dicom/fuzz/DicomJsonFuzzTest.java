package org.mosaicpacs.dicom.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.json.DicomJsonReader;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.testing.TestData;

/**
 * Coverage-guided fuzzing of the DICOM JSON reader with Jazzer, seeded with our JSON of pydicom's
 * real files (pixel data and other bulk values as BulkDataURIs). The property: any input gives a
 * data set or a {@link DicomParseException}, never another exception, a hang or an
 * OutOfMemoryError; a data set that was read can be written as JSON again. Fuzzes for 15 s in the
 * {@code fuzz} Surefire execution.
 */
class DicomJsonFuzzTest {

    @BeforeAll
    static void seed() throws IOException {
        if (!Seeds.fuzzing()) {
            return;
        }
        Path corpus = Seeds.corpus(DicomJsonFuzzTest.class, "readsOrRejects");
        int n = 0;
        for (Path file : TestData.realDicomFiles()) {
            try (DicomReader reader = DicomReader.open(file, ReadOptions.defaults().withBulkDataThreshold(256))) {
                String json = DicomJsonWriter.toJson(reader.readDataSet());
                if (json.length() < 16 * 1024) {
                    Files.writeString(corpus.resolve("real-" + n++), json);
                }
            } catch (DicomParseException e) {
                // the files we reject have no JSON
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsOrRejects(byte[] input) throws IOException {
        DataSet ds;
        try {
            ds = DicomJsonReader.readDataSet(new ByteArrayInputStream(input));
        } catch (DicomParseException expected) {
            return;
        }
        DicomJsonReader.readDataSet(DicomJsonWriter.toJson(ds));
    }
}
