package org.mosaicpacs.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.FileMetaInformation;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.WriteOptions;
import org.mosaicpacs.testing.TestData;

/**
 * Specific Character Set (PS3.5 6.1): decoding is compared with pydicom by
 * {@link PydicomComparisonTest} (the charset_files are among the real files); here encoding, the
 * PS3.5 Annex H/I examples byte for byte, and the ISO 2022 rules.
 */
class SpecificCharacterSetTest {

    private static final String ESC = "\u001b";

    /**
     * Values of pydicom's charset files whose encoders wrote escape sequences that change nothing
     * (the standard allows them, so more than one encoding is valid): ours leave them out.
     */
    private static final Map<String, String> NOT_UNIQUE = Map.of(
            "chrKoreanMulti.dcm", "ends with a redundant ESC ( B although G0 was never changed",
            "chrSQEncoding.dcm", "an item in ISO 2022 IR 13\\ISO 2022 IR 87 returns G0 with ESC ( B (ASCII), where value 1"
                    + " designates JIS X 0201 Romaji (ESC ( J); both read the same",
            "chrSQEncoding1.dcm", "returns G0 with ESC ( B under ISO 2022 IR 13 (see chrSQEncoding.dcm)");

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void writesKoreanPersonNameAsPs35AnnexI() {
        // PS3.5 I.2: KS X 1001 is designated into G1 again after every delimiter
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 149");
        byte[] expected = bytes("Hong^Gildong=" + ESC + "$)C\u00fb\u00f3^" + ESC + "$)C\u00d1\u00ce\u00d4\u00d7="
                + ESC + "$)C\u00c8\u00ab^" + ESC + "$)C\u00b1\u00e6\u00b5\u00bf");
        assertThat(cs.encode("Hong^Gildong=洪^吉洞=홍^길동", VR.PN)).isEqualTo(expected);
        assertThat(cs.decode(expected, VR.PN)).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동");
    }

    @Test
    void writesJapanesePersonNamesAsPs35AnnexH() {
        // H.3.1: JIS X 0208 in G0, back to ASCII (ESC ( B) before each delimiter
        SpecificCharacterSet ir87 = SpecificCharacterSet.of("", "ISO 2022 IR 87");
        assertThat(ir87.encode("Yamada^Tarou=山田^太郎=やまだ^たろう", VR.PN)).isEqualTo(bytes("Yamada^Tarou="
                + ESC + "$B;3ED" + ESC + "(B^" + ESC + "$BB@O:" + ESC + "(B=" + ESC + "$B$d$^$@" + ESC + "(B^"
                + ESC + "$B$?$m$&" + ESC + "(B"));
        // H.3.2: value 1 is ISO 2022 IR 13, so G0 returns to JIS X 0201 Romaji (ESC ( J)
        SpecificCharacterSet ir13 = SpecificCharacterSet.of("ISO 2022 IR 13", "ISO 2022 IR 87");
        byte[] expected = bytes("\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3=" + ESC + "$B;3ED" + ESC + "(J^"
                + ESC + "$BB@O:" + ESC + "(J=" + ESC + "$B$d$^$@" + ESC + "(J^" + ESC + "$B$?$m$&" + ESC + "(J");
        assertThat(ir13.encode("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", VR.PN)).isEqualTo(expected);
        assertThat(ir13.decode(expected, VR.PN)).isEqualTo("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
    }

    @Test
    void escapeStateResetsAtDelimiters() {
        // JIS X 0208 in G0 takes 0x21-0x7E in pairs, so the encoder must return to ASCII before a
        // delimiter (ESC ( B); a G1 designation is undone by the delimiter itself
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 87");
        assertThat(cs.decode(bytes(ESC + "$B;3ED" + ESC + "(B^AB"), VR.PN)).isEqualTo("山田^AB");
        SpecificCharacterSet korean = SpecificCharacterSet.of("", "ISO 2022 IR 149");
        // after the "^" G1 is undesignated again: the high bytes are no longer KS X 1001
        assertThat(korean.decode(bytes(ESC + "$)C\u00fb\u00f3^\u00fb\u00f3"), VR.PN)).isEqualTo("洪^\u00fb\u00f3");
        assertThat(korean.decode(bytes(ESC + "$)C\u00fb\u00f3^\u00fb\u00f3"), VR.LO)).isEqualTo("洪^洪");
    }

    @Test
    void aBackslashByteInsideAKanjiIsNoValueDelimiter() {
        SpecificCharacterSet cs = SpecificCharacterSet.of("", "ISO 2022 IR 87");
        String kanji = kanjiWithSecondByte(0x5C);
        byte[] encoded = cs.encode(kanji + "\\B", VR.LO);
        assertThat(encoded).containsSequence(0x1B, '$', 'B');
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 87");
        ds.setEncodedCharacterSet(ds.specificCharacterSet());
        ds.setBytes(Tag.InstitutionName, VR.LO, encoded);
        assertThat(ds.getStrings(Tag.InstitutionName)).containsExactly(kanji, "B");
    }

    private static String kanjiWithSecondByte(int b) {
        Charset eucJp = Charset.forName("EUC-JP");
        for (char c = '\u4E00'; c < '\u9FFF'; c++) {
            byte[] e = String.valueOf(c).getBytes(eucJp);
            if (e.length == 2 && (e[1] & 0x7F) == b) {
                return String.valueOf(c);
            }
        }
        throw new IllegalStateException();
    }

    @ParameterizedTest
    @CsvSource({
        "ISO_IR 100, Gérard^Français",
        "ISO_IR 101, Łukasz^Ščerba",
        "ISO_IR 109, Ħarry^Ġorġ",
        "ISO_IR 110, Ģirts^Ņina",
        "ISO_IR 144, Люкceмбypг",
        "ISO_IR 127, قباني^لنزار",
        "ISO_IR 126, Διονυσιος",
        "ISO_IR 138, שרון^דבורה",
        "ISO_IR 148, Çağlar^Öztürk",
        "ISO_IR 166, สวัสดี",
        "ISO_IR 13, ﾔﾏﾀﾞ^ﾀﾛｳ",
        "ISO_IR 192, Wang^XiaoDong=王^小東",
        "GB18030, Wang^XiaoDong=王^小东",
        "GBK, Wang^XiaoDong=王^小东",
        "ISO 2022 IR 100, Gérard",
        "ISO 2022 IR 6\\ISO 2022 IR 159, 丂丄",
        "\\ISO 2022 IR 58, Zhang^San=张^三",
        "ISO 2022 IR 6\\ISO 2022 IR 100\\ISO 2022 IR 149, Gérard=홍^길동",
    })
    void encodesAndDecodesEveryDefinedTerm(String terms, String name) {
        SpecificCharacterSet cs = SpecificCharacterSet.of(terms.split("\\\\", -1));
        byte[] encoded = cs.encode(name, VR.PN);
        assertThat(cs.decode(encoded, VR.PN)).as(terms).isEqualTo(name);
    }

    @Test
    void characterSetsAreSpelledLeniently() {
        assertThat(SpecificCharacterSet.of("ISO-IR 100").decode(new byte[] {(byte) 0xE9}, VR.LO)).isEqualTo("é");
        assertThat(SpecificCharacterSet.of("ISO_IR100").decode(new byte[] {(byte) 0xE9}, VR.LO)).isEqualTo("é");
        assertThat(SpecificCharacterSet.of("ISO_IR 100")).isEqualTo(SpecificCharacterSet.of("iso_ir 100"));
        // unknown terms read as ISO 8859-1 rather than failing
        assertThat(SpecificCharacterSet.of("ISO_IR 999").decode(new byte[] {(byte) 0xE9}, VR.LO)).isEqualTo("é");
    }

    @Test
    void encodingIsStrict() {
        assertThatThrownBy(() -> SpecificCharacterSet.DEFAULT.encode("Gérard", VR.PN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Specific Character Set");
        assertThatThrownBy(() -> SpecificCharacterSet.of("", "ISO 2022 IR 149").encode("สวัสดี", VR.PN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+");
        // VRs outside SH, LO, ST, LT, UT, PN, UC keep the default repertoire
        assertThat(SpecificCharacterSet.UTF_8.decode(bytes("\u00e9"), VR.CS)).isEqualTo("é");
    }

    /** Every text value of pydicom's charset files, decoded and encoded again, gives the same bytes. */
    @TestFactory
    Stream<DynamicTest> charsetFilesEncodeBackToTheirBytes() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(TestData.realFilesDir().resolve("charset_files"))) {
            files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            DataSet ds;
            try (DicomReader reader = DicomReader.open(file)) {
                ds = reader.readDataSet();
            }
            List<String> mismatches = new ArrayList<>();
            checkReEncoding(ds, mismatches);
            String reason = NOT_UNIQUE.get(file.getFileName().toString());
            if (reason != null) {
                assertThat(mismatches).as(reason).isNotEmpty();
            } else {
                assertThat(mismatches).isEmpty();
            }
        }));
    }

    private static void checkReEncoding(DataSet ds, List<String> mismatches) {
        SpecificCharacterSet cs = ds.specificCharacterSet();
        for (int i = 0; i < ds.size(); i++) {
            int tag = ds.tagAt(i);
            VR vr = ds.vrAt(i);
            if (ds.getSequence(tag) != null) {
                ds.getSequence(tag).forEach(item -> checkReEncoding(item, mismatches));
            } else if (vr.usesSpecificCharacterSet()) {
                byte[] raw = ds.getBytes(tag);
                int n = raw.length;
                while (n > 0 && (raw[n - 1] == ' ' || raw[n - 1] == 0)) {
                    n--; // padding is not part of the value
                }
                byte[] value = java.util.Arrays.copyOf(raw, n);
                byte[] again = cs.encode(cs.decode(value, vr), vr);
                if (!java.util.Arrays.equals(value, again)) {
                    mismatches.add(Tags.toString(tag) + " " + new String(value, StandardCharsets.ISO_8859_1));
                }
            }
        }
    }

    /** Korean data written in UTF-8 and back keeps its characters; the writer re-encodes. */
    @Test
    void rewritingInAnotherCharacterSetKeepsTheCharacters(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path chrI2 = TestData.realFilesDir().resolve("charset_files/chrI2.dcm");
        DataSet ds;
        try (DicomReader reader = DicomReader.open(chrI2)) {
            ds = reader.readDataSet();
        }
        assertThat(ds.getPersonName(Tag.PatientName).get(PersonName.Group.PHONETIC, PersonName.Component.GIVEN_NAME))
                .isEqualTo("길동");
        DataSet utf8 = ds.deepCopy();
        utf8.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        Path out = dir.resolve("utf8.dcm");
        DicomWriter.writeFile(out, utf8, UID.ExplicitVRLittleEndian, WriteOptions.defaults());
        try (DicomReader reader = DicomReader.open(out)) {
            DataSet back = reader.readDataSet();
            assertThat(back.getString(Tag.PatientName)).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동");
            assertThat(back.getBytes(Tag.PatientName)).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동".getBytes(StandardCharsets.UTF_8));
        }
        // and a data set built in memory is written in ISO 2022 IR 149 exactly as PS3.5 Annex I shows
        DataSet built = new DataSet();
        built.setString(Tag.SpecificCharacterSet, VR.CS, "", "ISO 2022 IR 149");
        built.setString(Tag.PatientName, "Hong^Gildong=洪^吉洞=홍^길동");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomWriter w = DicomWriter.create(bytes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, WriteOptions.defaults())) {
            w.writeDataSet(built);
        }
        DataSet original;
        try (DicomReader reader = DicomReader.open(chrI2, ReadOptions.defaults())) {
            original = reader.readDataSet();
        }
        assertThat(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1))
                .contains(new String(original.getBytes(Tag.PatientName), StandardCharsets.ISO_8859_1));
        assertThat(FileMetaInformation.IMPLEMENTATION_VERSION_NAME.length()).isLessThanOrEqualTo(16);
    }
}
