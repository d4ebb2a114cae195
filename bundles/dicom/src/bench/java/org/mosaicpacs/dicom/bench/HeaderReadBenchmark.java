package org.mosaicpacs.dicom.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.StopCondition;
import org.mosaicpacs.dicom.json.DicomJsonWriter;
import org.mosaicpacs.testing.TestData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading the headers (everything before Pixel Data) of 1,000 CT files of about 513 KiB each, as
 * an archive does when it indexes a study or answers WADO-RS /metadata. One operation is all
 * 1,000 files, from the page cache (the files are read once in setup). src/bench/header-timing.sh
 * times dcmdump and pydicom on the same files; PERFORMANCE.md has the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class HeaderReadBenchmark {

    private List<Path> files;

    @Setup
    public void setUp() throws IOException {
        Path corpus = TestData.corpus("ct", "--profile", "ct", "--patients", "10", "--studies-per-patient", "1",
                "--instances-per-series", "100");
        files = TestData.dicomFilesUnder(corpus.resolve("native"));
        if (files.size() != 1000) {
            throw new IllegalStateException("expected 1000 CT files in " + corpus + ", found " + files.size());
        }
        for (Path f : files) {
            readHeader(f); // into the page cache
        }
    }

    private static DataSet readHeader(Path file) throws IOException {
        try (DicomReader reader = DicomReader.open(file)) {
            return reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
        }
    }

    /** 1,000 headers read into data sets. */
    @Benchmark
    public void readHeaders(Blackhole bh) throws IOException {
        for (Path f : files) {
            bh.consume(readHeader(f));
        }
    }

    /** 1,000 headers read and written as one DICOM JSON array (a series' WADO-RS metadata). */
    @Benchmark
    public void readHeadersAsJsonArray(Blackhole bh) throws IOException {
        try (DicomJsonWriter json = DicomJsonWriter.create(OutputStream.nullOutputStream())) {
            json.writeStartArray();
            for (Path f : files) {
                json.writeDataSet(readHeader(f));
            }
            json.writeEndArray();
        }
        bh.consume(files.size());
    }
}
