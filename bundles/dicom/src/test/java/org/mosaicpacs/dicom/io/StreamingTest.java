package org.mosaicpacs.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomLimitException;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.testing.TestData;

/** What the network layer and the archive need: bare data sets, streaming transcoding, stops, limits, bad input. */
class StreamingTest {

    private static Path real(String name) {
        return TestData.realFilesDir().resolve("test_files").resolve(name);
    }

    private static DataSet load(Path file) throws IOException {
        try (DicomReader r = DicomReader.open(file, ReadOptions.loadAll())) {
            return r.readDataSet();
        }
    }

    /** A stream that cannot seek, mark or tell its length, like a P-DATA stream. */
    private static InputStream network(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public long skip(long n) {
                return 0; // forces the reader to read what it skips
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    static Stream<Arguments> filesAndSyntaxes() {
        List<Arguments> args = new ArrayList<>();
        for (String file : List.of("CT_small.dcm", "MR_small_bigendian.dcm", "image_dfl.dcm", "rtplan.dcm", "waveform_ecg.dcm")) {
            for (TransferSyntax ts : TransferSyntax.NATIVE) {
                args.add(Arguments.of(file, ts));
            }
        }
        return args.stream();
    }

    @ParameterizedTest
    @MethodSource("filesAndSyntaxes")
    void aBareDataSetRoundTripsThroughANonSeekableStream(String file, TransferSyntax ts) throws IOException {
        DataSet original = load(real(file));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.create(bytes, ts, WriteOptions.defaults())) {
            w.writeDataSet(original);
        }
        try (DicomReader r = DicomReader.open(network(bytes.toByteArray()), ts, ReadOptions.defaults())) {
            assertThat(r.fileMetaInformation()).isNull();
            DataSet back = r.readDataSet();
            if (ts.explicitVR()) {
                assertThat(back).isEqualTo(withoutGroupLengths(original));
            } else {
                assertThat(back.tags()).isEqualTo(withoutGroupLengths(original).tags());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("filesAndSyntaxes")
    void transcodingStreamsBetweenUncompressedAndDeflatedSyntaxes(String file, TransferSyntax ts) throws IOException {
        DataSet original = load(real(file));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomReader r = DicomReader.open(Files.newInputStream(real(file)), ReadOptions.defaults());
             DicomWriter w = DicomWriter.create(bytes, ts, WriteOptions.defaults())) {
            w.transcode(r);
        }
        try (DicomReader r = DicomReader.open(network(bytes.toByteArray()), ts, ReadOptions.loadAll())) {
            DataSet back = r.readDataSet();
            if (ts.explicitVR()) {
                assertThat(back).isEqualTo(withoutGroupLengths(original));
            } else {
                assertThat(back.tags()).isEqualTo(withoutGroupLengths(original).tags());
                assertThat(back.getBytes(Tag.PixelData)).isEqualTo(original.getBytes(Tag.PixelData));
            }
        }
    }

    private static DataSet withoutGroupLengths(DataSet ds) {
        DataSet copy = ds.deepCopy();
        for (int tag : copy.tags()) {
            if (Tags.isGroupLength(tag)) {
                copy.remove(tag);
            }
        }
        return copy;
    }

    @Test
    void stoppingBeforePixelDataLeavesItsValueToStream() throws IOException {
        Path file = real("MR_small_bigendian.dcm");
        byte[] pixels = load(file).getBytes(Tag.PixelData);
        try (DicomReader r = DicomReader.open(Files.newInputStream(file), ReadOptions.defaults())) {
            DataSet header = r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            assertThat(header.contains(Tag.PixelData)).isFalse();
            assertThat(header.getInt(Tag.Rows, 0)).isEqualTo(64);
            assertThat(r.event()).isEqualTo(DicomReader.Event.ELEMENT);
            assertThat(r.tag()).isEqualTo(Tag.PixelData);
            assertThat(r.position()).isEqualTo(r.valuePosition());
            byte[] streamed = r.valueStream().readAllBytes();
            org.mosaicpacs.dicom.internal.Bytes.swap(streamed, 0, streamed.length, 2); // big endian OW
            assertThat(streamed).isEqualTo(pixels);
            assertThat(r.next()).isEqualTo(DicomReader.Event.END);
        }
        // or reading goes on with the element it stopped before
        try (DicomReader r = DicomReader.open(file, ReadOptions.loadAll())) {
            DataSet ds = r.readDataSet(StopCondition.beforeTag(Tag.PixelData));
            r.readInto(ds, StopCondition.NEVER);
            assertThat(ds.getBytes(Tag.PixelData)).isEqualTo(pixels);
        }
    }

    @Test
    void bulkDataReferencesAreCopiedAndSwappedOnWriting(@TempDir Path dir) throws IOException {
        Path file = real("MR_small_bigendian.dcm");
        DataSet ds;
        try (DicomReader r = DicomReader.open(file, ReadOptions.defaults().withBulkDataThreshold(16))) {
            ds = r.readDataSet();
        }
        BulkData pixels = ds.getBulkData(Tag.PixelData);
        assertThat(pixels.bigEndian()).isTrue();
        assertThat(BulkData.fromUriString(pixels.toUriString())).isEqualTo(pixels);
        Path out = dir.resolve("le.dcm");
        DicomWriter.writeFile(out, ds, UID.ExplicitVRLittleEndian, WriteOptions.defaults());
        assertThat(load(out).getBytes(Tag.PixelData)).isEqualTo(load(file).getBytes(Tag.PixelData));
    }

    @Test
    void encapsulatedFragmentsCanStayInTheFile(@TempDir Path dir) throws IOException {
        Path file = real("SC_rgb_rle_2frame.dcm");
        DataSet ds;
        try (DicomReader r = DicomReader.open(file)) {
            ds = r.readDataSet();
        }
        Fragments fragments = ds.getFragments(Tag.PixelData);
        assertThat(fragments.size()).isEqualTo(3);
        assertThat(fragments.isBulkData(0)).isFalse(); // the Basic Offset Table is small: in memory
        assertThat(fragments.isBulkData(1)).isTrue();
        assertThat(fragments.basicOffsetTable()).hasSizeLessThanOrEqualTo(2);
        Path out = dir.resolve("copy.dcm");
        DicomWriter.writeFile(out, ds, UID.RLELossless, WriteOptions.defaults());
        Fragments original = load(file).getFragments(Tag.PixelData);
        Fragments copy = load(out).getFragments(Tag.PixelData);
        for (int i = 0; i < original.size(); i++) {
            assertThat(copy.bytes(i)).isEqualTo(original.bytes(i));
        }
        List<Integer> seen = new ArrayList<>();
        try (DicomReader r = DicomReader.open(file, ReadOptions.defaults().withBulkDataHandler((header, value) -> {
            seen.add(header.fragment());
            value.readAllBytes();
            return new BulkData(java.net.URI.create("store:frag" + header.fragment()), 0, header.length(), false);
        }))) {
            assertThat(r.readDataSet().getFragments(Tag.PixelData).bulkData(2).uri().toString()).isEqualTo("store:frag2");
        }
        assertThat(seen).containsExactly(1, 2);
        assertThatThrownBy(() -> DicomWriter.writeFile(dir.resolve("x.dcm"), ds, UID.ExplicitVRLittleEndian,
                WriteOptions.defaults())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decompress");
    }

    /**
     * The archive reads a data set's identification part (groups up to 0020) and then the rest.
     * When the first element after it is a sequence (a presentation state's Displayed Area
     * Selection, a rejection note's Concept Name) or encapsulated pixel data, reading on must
     * take that element in whole, not refuse to go on "inside SEQUENCE".
     */
    @Test
    void readingGoesOnAfterAStopBeforeATopLevelSequenceOrEncapsulatedValue() throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.SOPInstanceUID, "1.2.3");
        ds.setString(Tag.StudyInstanceUID, "1.2.3.4");
        DataSet concept = ds.newSequence(Tag.ConceptNameCodeSequence).addNewItem();
        concept.setString(Tag.CodeValue, "113001");
        concept.setString(Tag.CodingSchemeDesignator, "DCM");
        ds.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addNewItem()
                .setString(Tag.StudyInstanceUID, "1.2.3.5");
        ds.setFragments(Tag.PixelData, VR.OB, new Fragments().add(new byte[0]).add(new byte[] {1, 2, 3, 4}));
        for (TransferSyntax ts : List.of(TransferSyntax.of(UID.JPEGBaseline8Bit), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)) {
            if (!ts.encapsulated()) {
                ds.remove(Tag.PixelData);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DicomWriter w = DicomWriter.create(bytes, ts, WriteOptions.defaults())) {
                w.writeDataSet(ds);
            }
            try (DicomReader r = DicomReader.open(network(bytes.toByteArray()), ts, ReadOptions.loadAll())) {
                DataSet back = r.readDataSet(StopCondition.beforeTag(Tag.ConceptNameCodeSequence));
                assertThat(back.tags()).containsExactly(Tag.SOPInstanceUID, Tag.StudyInstanceUID);
                assertThat(r.event()).isEqualTo(DicomReader.Event.SEQUENCE_START);
                r.readInto(back, (tag, vr, length) -> tag == Tag.PixelData);
                assertThat(back.getSequence(Tag.ConceptNameCodeSequence).get(0).getString(Tag.CodeValue)).isEqualTo("113001");
                assertThat(back.getNestedDataSet(Tag.CurrentRequestedProcedureEvidenceSequence)
                        .getString(Tag.StudyInstanceUID)).isEqualTo("1.2.3.5");
                r.readInto(back, StopCondition.NEVER);
                assertThat(withoutGroupLengths(back)).as(ts.uid()).isEqualTo(withoutGroupLengths(ds));
            }
        }
    }

    @Test
    void encapsulatedPixelDataWithExtendedOffsetTableRoundTrips() throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.NumberOfFrames, VR.IS, "2");
        ds.setLong(Tag.ExtendedOffsetTable, VR.OV, 0, 12);
        ds.setLong(Tag.ExtendedOffsetTableLengths, VR.OV, 4, 3);
        Fragments fragments = new Fragments().add(new byte[0]).add(new byte[] {1, 2, 3, 4}).add(new byte[] {5, 6, 7});
        ds.setFragments(Tag.PixelData, VR.OB, fragments);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TransferSyntax jpeg2000 = TransferSyntax.of(UID.JPEG2000);
        try (DicomWriter w = DicomWriter.create(bytes, jpeg2000, WriteOptions.defaults())) {
            w.writeDataSet(ds);
        }
        try (DicomReader r = DicomReader.open(network(bytes.toByteArray()), jpeg2000, ReadOptions.loadAll())) {
            DataSet back = r.readDataSet();
            assertThat(back.getLongs(Tag.ExtendedOffsetTable)).containsExactly(0, 12);
            assertThat(back.getLongs(Tag.ExtendedOffsetTableLengths)).containsExactly(4, 3);
            Fragments f = back.getFragments(Tag.PixelData);
            assertThat(f.size()).isEqualTo(3);
            assertThat(f.bytes(2)).containsExactly(5, 6, 7, 0); // fragments are padded to even length
            assertThat(back.vr(Tag.PixelData)).isEqualTo(VR.OB);
        }
    }

    @Test
    void aBogusLengthIsReportedNotAllocated(@TempDir Path dir) throws IOException {
        // (0010,0010) written as UT with length 0xFFFFFFF0, followed by a few bytes
        byte[] bytes = {0x10, 0x00, 0x10, 0x00, 'U', 'T', 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            'D', 'o', 'e', ' '};
        try (DicomReader r = DicomReader.open(network(bytes), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                ReadOptions.loadAll())) {
            assertThatThrownBy(r::readDataSet).isInstanceOf(DicomLimitException.class)
                    .hasMessageContaining("4294967280").hasMessageContaining("(0010,0010) PatientName")
                    .hasMessageContaining("offset 12");
        }
        Path file = dir.resolve("bogus.dcm");
        Files.write(file, bytes);
        try (DicomReader r = DicomReader.open(file)) {
            assertThatThrownBy(r::readDataSet).isInstanceOf(DicomLimitException.class)
                    .hasMessageContaining("exceeds the 4 bytes left");
        }
        // a length within the limit on a short stream fails on reading, without allocating it
        byte[] short4mb = bytes.clone();
        short4mb[8] = 0;
        short4mb[9] = 0;
        short4mb[10] = 0x40;
        short4mb[11] = 0;
        try (DicomReader r = DicomReader.open(network(short4mb), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                ReadOptions.loadAll())) {
            assertThatThrownBy(r::readDataSet).isInstanceOf(DicomParseException.class)
                    .hasMessageContaining("unexpected end of input");
        }
    }

    @Test
    void commandSetsGetTheirGroupLength() throws IOException {
        DataSet command = new DataSet();
        command.setString(Tag.AffectedSOPClassUID, VR.UI, UID.Verification);
        command.setInt(Tag.CommandField, VR.US, 0x0030);
        command.setInt(Tag.MessageID, VR.US, 1);
        command.setInt(Tag.CommandDataSetType, VR.US, 0x0101);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.create(bytes, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                WriteOptions.defaults().withGroupLengths(true))) {
            w.writeDataSet(command);
        }
        byte[] b = bytes.toByteArray();
        try (DicomReader r = DicomReader.open(network(b), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, ReadOptions.defaults())) {
            DataSet back = r.readDataSet();
            assertThat(back.getInt(Tag.CommandGroupLength, -1)).isEqualTo(b.length - 12);
            assertThat(back.getString(Tag.AffectedSOPClassUID)).isEqualTo(UID.Verification);
            assertThat(back.vr(Tag.CommandField)).isEqualTo(VR.US);
        }
    }

    /** Truncated and corrupted real files give a DicomParseException (or read), never another exception. */
    @Test
    void badInputNeverLeaksARuntimeException() throws IOException {
        Random random = new Random(42);
        int cases = 0;
        for (String name : List.of("CT_small.dcm", "rtplan.dcm", "MR_small_bigendian.dcm", "image_dfl.dcm",
                "UN_sequence.dcm", "SC_rgb_rle_2frame.dcm", "nested_priv_SQ.dcm", "ExplVR_BigEndNoMeta.dcm")) {
            byte[] original = Files.readAllBytes(real(name));
            for (int round = 0; round < 150; round++) {
                byte[] bad;
                if (round % 3 == 0) {
                    bad = java.util.Arrays.copyOf(original, random.nextInt(original.length));
                } else {
                    bad = original.clone();
                    for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                    }
                }
                cases++;
                try (DicomReader r = DicomReader.open(new ByteArrayInputStream(bad),
                        ReadOptions.defaults().withMaxValueLength(1 << 20))) {
                    DataSet ds = r.readDataSet();
                    ds.toString(); // decoding every value must not throw either
                } catch (DicomParseException | java.io.EOFException e) {
                    assertThat(e.getMessage()).isNotBlank();
                } catch (IOException e) {
                    // a corrupted deflate stream
                    assertThat(e).isInstanceOf(java.util.zip.ZipException.class);
                }
            }
        }
        assertThat(cases).isEqualTo(1200);
    }
}
