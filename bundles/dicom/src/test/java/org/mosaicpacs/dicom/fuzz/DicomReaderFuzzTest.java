package org.mosaicpacs.dicom.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.TestFiles;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.dicom.xml.DicomXmlWriter;
import org.mosaicpacs.testing.TestData;

/**
 * Coverage-guided fuzzing of the Part 10 reader with Jazzer, seeded with pydicom's real files (the
 * first 8 KiB of each: headers, sequences, the start of Pixel Data) and the headers of the mixed
 * corpus. The property: reading any input ends in a data set or a {@link DicomParseException}
 * (or its {@link org.mosaicpacs.dicom.DicomLimitException}), never another exception, a hang (5 s
 * per input, libFuzzer's -timeout) or an OutOfMemoryError (the fuzz execution runs with 512 MB of
 * heap); and a data set that was read can always be written as DICOM JSON and XML.
 *
 * <p>Fuzzes for 45 s in the {@code fuzz} Surefire execution (JAZZER_FUZZ=1); in a plain JUnit run
 * Jazzer only replays the inputs in {@code DicomReaderFuzzTestInputs}, if any.
 */
class DicomReaderFuzzTest {

    private static final int SEED_BYTES = 8 * 1024;

    @BeforeAll
    static void seed() throws IOException {
        if (!Seeds.fuzzing()) {
            return;
        }
        Path corpus = Seeds.corpus(DicomReaderFuzzTest.class, "readsOrRejects");
        int n = 0;
        for (Path file : TestData.realDicomFiles()) {
            Files.write(corpus.resolve("real-" + n++), head(file));
        }
        // one of each kind of the mixed corpus: every modality and character set, every transfer syntax
        for (Path file : TestFiles.realAndMixed().stream().filter(p -> p.toString().contains("corpus-mixed"))
                .filter(p -> p.getFileName().toString().equals("IM00001.dcm") || p.toString().contains("syntaxes"))
                .toList()) {
            Files.write(corpus.resolve("corpus-" + n++), head(file));
        }
    }

    private static byte[] head(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOf(all, Math.min(all.length, SEED_BYTES));
    }

    @FuzzTest(maxDuration = "40s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsOrRejects(byte[] input) throws IOException {
        DataSet ds;
        try (DicomReader reader = DicomReader.open(new ByteArrayInputStream(input), ReadOptions.defaults())) {
            ds = reader.readDataSet();
        } catch (DicomParseException expected) {
            return;
        }
        // whatever was read can be given as JSON and XML (values are in memory: nothing to resolve)
        DicomJsonWriter.toJson(ds);
        DicomXmlWriter.toXml(ds);
    }
}
