package org.mosaicpacs.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.DicomLimitException;
import org.mosaicpacs.dicom.DicomParseException;
import org.mosaicpacs.dicom.ElementPath;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;

/** DICOM JSON encoding rules of PS3.18 F.2, one by one, both directions. */
class DicomJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(DataSet ds) throws IOException {
        return MAPPER.readTree(DicomJsonWriter.toJson(ds));
    }

    @Test
    void everyKindOfValue() throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.ImageType, VR.CS, "ORIGINAL", "", "AXIAL");
        ds.setString(Tag.PatientName, VR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう", "=Only^Ideographic", "");
        ds.setString(Tag.SliceThickness, VR.DS, "+.5");
        ds.setString(Tag.PixelSpacing, VR.DS, "1.", "007");
        ds.setString(Tag.InstanceNumber, VR.IS, "+12");
        ds.setString(Tag.PatientWeight, VR.DS, "n/a");
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.SmallestImagePixelValue, VR.SS, -32768);
        ds.setLong(0x00540081, VR.UL, 4_294_967_295L);
        ds.setLong(0x00185000, VR.SV, Long.MIN_VALUE);
        ds.setLong(0x00185001, VR.UV, -1L); // 2^64 - 1
        ds.setDouble(0x00189087, VR.FD, Double.NaN, 0.1);
        ds.setDouble(0x00189089, VR.FL, 0.1f);
        ds.setString(Tag.FrameIncrementPointer, VR.AT, "00181063");
        ds.setBytes(0x00091010, VR.OB, new byte[] {1, 2, 3});
        ds.setNull(Tag.AccessionNumber, VR.SH);
        ds.newSequence(Tag.ReferencedStudySequence).addNewItem();
        ds.newSequence(Tag.ReferencedSeriesSequence);
        ds.setString(Tag.ImageComments, VR.LT, "a\\b  ");
        ds.setInt(0x00280000, VR.UL, 10); // a group length: never in DICOM JSON (F.2.2)

        JsonNode j = json(ds);
        assertThat(j.path("00080005").path("Value").get(0).asText()).isEqualTo("ISO_IR 192"); // kept, F.2.2 Note 3
        assertThat(j.path("00080008").path("Value").toString()).isEqualTo("[\"ORIGINAL\",null,\"AXIAL\"]");
        assertThat(j.path("00100010").path("Value").toString()).isEqualTo("[{\"Alphabetic\":\"Yamada^Tarou\","
                + "\"Ideographic\":\"山田^太郎\",\"Phonetic\":\"やまだ^たろう\"},"
                + "{\"Ideographic\":\"Only^Ideographic\"},null]");
        assertThat(j.path("00180050").path("Value").toString()).isEqualTo("[0.5]");
        assertThat(j.path("00280030").path("Value").toString()).isEqualTo("[1,7]");
        assertThat(j.path("00200013").path("Value").toString()).isEqualTo("[12]");
        assertThat(j.path("00101030").path("Value").toString()).isEqualTo("[\"n/a\"]"); // not a number: a string
        assertThat(j.path("00280010").path("Value").toString()).isEqualTo("[512]");
        assertThat(j.path("00280106").path("Value").toString()).isEqualTo("[-32768]");
        assertThat(j.path("00540081").path("Value").toString()).isEqualTo("[4294967295]");
        assertThat(j.path("00185000").path("Value").toString()).isEqualTo("[-9223372036854775808]");
        assertThat(j.path("00185001").path("Value").toString()).isEqualTo("[18446744073709551615]");
        assertThat(j.path("00189087").path("Value").toString()).isEqualTo("[\"NaN\",0.1]");
        assertThat(j.path("00189089").path("Value").toString()).isEqualTo("[0.1]");
        assertThat(j.path("00280009").path("Value").toString()).isEqualTo("[\"00181063\"]");
        assertThat(j.path("00091010").path("InlineBinary").asText()).isEqualTo("AQID");
        assertThat(j.path("00080050").toString()).isEqualTo("{\"vr\":\"SH\"}"); // F.2.5
        assertThat(j.path("00081110").toString()).isEqualTo("{\"vr\":\"SQ\",\"Value\":[{}]}");
        assertThat(j.path("00081115").toString()).isEqualTo("{\"vr\":\"SQ\"}");
        assertThat(j.path("00204000").path("Value").toString()).isEqualTo("[\"a\\\\b\"]");
        assertThat(j.has("00280000")).isFalse();
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).isSorted();

        DataSet back = DicomJsonReader.readDataSet(DicomJsonWriter.toJson(ds));
        ds.remove(0x00280000);
        assertThat(back).isEqualTo(ds);
        assertThat(back.getLongs(0x00185001)).containsExactly(-1L);
        assertThat(back.getString(Tag.PatientWeight)).isEqualTo("n/a");
    }

    @Test
    void textIsWrittenInUtf8AndEncodedAgainInTheSpecificCharacterSetWhenWrittenAsDicom() throws IOException {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 149");
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.1");
        ds.setString(Tag.PatientName, VR.PN, "Hong^Gildong=洪^吉洞=홍^길동");
        byte[] utf8 = DicomJsonWriter.toJson(ds).getBytes(StandardCharsets.UTF_8);
        assertThat(new String(utf8, StandardCharsets.UTF_8)).contains("\"Ideographic\":\"洪^吉洞\"");
        DataSet back = DicomJsonReader.readDataSet(new ByteArrayInputStream(utf8));
        ByteArrayOutputStream part10 = new ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.create(part10, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.defaults())) {
            w.writeDataSet(back);
        }
        // the ISO 2022 escape sequences of PS3.5 Annex I, not UTF-8
        assertThat(new String(part10.toByteArray(), StandardCharsets.ISO_8859_1)).contains("\u001b$)C");
        try (DicomReader r = DicomReader.open(new ByteArrayInputStream(part10.toByteArray()),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, ReadOptions.defaults())) {
            assertThat(r.readDataSet().getString(Tag.PatientName)).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동");
        }
    }

    @Test
    void theBulkDataPolicyGetsTheElementPathAndCanInline() throws IOException {
        DataSet ds = new DataSet();
        BulkData pixels = new BulkData(URI.create("file:///archive/1.dcm"), 1234, 524288, false);
        ds.setBulkData(Tag.PixelData, VR.OW, pixels);
        Sequence seq = ds.newSequence(0x00400275);
        seq.addNewItem();
        seq.addNewItem().setBulkData(Tag.EncapsulatedDocument, VR.OB,
                new BulkData(URI.create("file:///archive/1.dcm"), 99, 10, false));
        List<String> paths = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomJsonWriter w = DicomJsonWriter.create(out).setBulkDataUriPolicy((path, vr, bulk) -> {
            paths.add(path + " " + vr + " " + bulk.offset());
            return "https://pacs/studies/1/series/2/instances/3/bulkdata/" + path;
        })) {
            w.writeDataSet(ds);
        }
        assertThat(paths).containsExactly("00400275/1/00420011 OB 99", "7FE00010 OW 1234");
        JsonNode j = MAPPER.readTree(out.toByteArray());
        assertThat(j.path("7FE00010").path("BulkDataURI").asText())
                .isEqualTo("https://pacs/studies/1/series/2/instances/3/bulkdata/7FE00010");
        assertThat(ElementPath.parse("00400275/1/00420011")).isEqualTo(ElementPath.of(0x00400275).child(1, 0x00420011));

        // read back: the URI is a reference of unknown length, for the caller to resolve
        DataSet back = DicomJsonReader.readDataSet(new ByteArrayInputStream(out.toByteArray()));
        BulkData ref = back.getBulkData(Tag.PixelData);
        assertThat(ref.uri()).hasToString("https://pacs/studies/1/series/2/instances/3/bulkdata/7FE00010");
        assertThat(ref.hasLength()).isFalse();
        assertThatThrownBy(() -> DicomWriter.create(OutputStream.nullOutputStream(),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.defaults()).writeDataSet(back))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolve it");
        // and the default policy gives the source's own file URI with the range, which reads back exactly
        assertThat(DicomJsonReader.readDataSet(DicomJsonWriter.toJson(ds)).getBulkData(Tag.PixelData)).isEqualTo(pixels);
    }

    @Test
    void manyDataSetsStreamAsAnArray() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DicomJsonWriter w = DicomJsonWriter.create(out)) {
            w.writeStartArray();
            for (int i = 0; i < 1000; i++) {
                DataSet ds = new DataSet();
                ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25." + i);
                w.writeDataSet(ds);
            }
            w.writeEndArray();
        }
        try (DicomJsonReader r = DicomJsonReader.open(new ByteArrayInputStream(out.toByteArray()))) {
            for (int i = 0; i < 1000; i++) {
                assertThat(r.readNext().getString(Tag.StudyInstanceUID)).isEqualTo("2.25." + i);
            }
            assertThat(r.readNext()).isNull();
        }
        try (DicomJsonReader r = DicomJsonReader.open(new ByteArrayInputStream("[]".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(r.readNext()).isNull();
        }
    }

    @Test
    void numbersAsStringsAndPydicomsLongDoublesAreRead() throws IOException {
        DataSet ds = DicomJsonReader.readDataSet("{\"00280010\":{\"vr\":\"US\",\"Value\":[\"512\"]},"
                + "\"00180050\":{\"vr\":\"DS\",\"Value\":[0.30000000000000004]},"
                + "\"00200013\":{\"vr\":\"IS\",\"Value\":[5.0]},"
                + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"\",\"Ideographic\":\"山田\"}]}}");
        assertThat(ds.getInt(Tag.Rows, 0)).isEqualTo(512);
        assertThat(ds.getString(Tag.SliceThickness)).hasSizeLessThanOrEqualTo(16);
        assertThat(ds.getDouble(Tag.SliceThickness, 0)).isEqualTo(0.3);
        assertThat(ds.getString(Tag.InstanceNumber)).isEqualTo("5");
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("=山田");
    }

    @Test
    void badInputFailsWithAParseExceptionAndItsPosition() {
        for (String bad : List.of("", "[1]", "{\"0010\":{\"vr\":\"PN\"}}", "{\"00100010\":{\"Value\":[]}}",
                "{\"00100010\":{\"vr\":\"XX\"}}", "{\"00280010\":{\"vr\":\"US\",\"Value\":[1.5]}}",
                "{\"00280010\":{\"vr\":\"US\",\"Value\":[70000]}}", "{\"00280010\":{\"vr\":\"US\",\"Value\":[null]}}",
                "{\"00100010\":{\"vr\":\"PN\",\"Value\":[\"Doe^John\"]}}", "{\"00080060\":{\"vr\":\"CS\",\"Value\":[1]}}",
                "{\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"@@@\"}}", "{\"7FE00010\":{\"vr\":\"OB\",\"Value\":[1]}}",
                "{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"A\\\\B\"]}}", "{\"00080060\":{\"vr\":\"CS\"", "{\"00080060\":")) {
            assertThatThrownBy(() -> DicomJsonReader.readDataSet(bad)).as(bad).isInstanceOf(DicomParseException.class)
                    .hasMessageContaining("offset");
        }
        String deep = "{\"00081115\":{\"vr\":\"SQ\",\"Value\":[".repeat(300) + "{}" + "]}}".repeat(300);
        assertThatThrownBy(() -> DicomJsonReader.readDataSet(deep)).isInstanceOf(DicomLimitException.class);
    }
}
