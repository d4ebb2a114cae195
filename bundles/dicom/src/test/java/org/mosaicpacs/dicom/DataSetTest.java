package org.mosaicpacs.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DataSetTest {

    @Test
    void keepsTagsSortedWhateverTheInsertionOrder() {
        DataSet ds = new DataSet();
        ds.setString(Tag.PatientID, "42");
        ds.setString(Tag.SpecificCharacterSet, "ISO_IR 100");
        ds.setString(0x7FE00010 + 0x1000, VR.LO, "1"); // (7FE0,1010): an unknown tag needs its VR
        ds.setInt(0xFFFAFFFA, VR.UL, 1);
        ds.setString(Tag.PatientName, "Doe^John");
        assertThat(ds.tags()).containsExactly(Tag.SpecificCharacterSet, Tag.PatientName, Tag.PatientID, 0x7FE01010,
                0xFFFAFFFA);
        assertThat(ds.vr(Tag.PatientName)).isEqualTo(VR.PN);
        assertThat(ds.contains("PatientID")).isTrue();
        assertThat(ds.getString("PatientID")).isEqualTo("42");
        assertThat(ds.remove(Tag.PatientID)).isTrue();
        assertThat(ds.contains(Tag.PatientID)).isFalse();
    }

    @Test
    void typedAccessConverts() {
        DataSet ds = new DataSet();
        ds.setString(Tag.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.SmallestImagePixelValue, VR.SS, -2000);
        ds.setLong(Tag.SimpleFrameList, VR.UL, 4_000_000_000L);
        ds.setDouble(Tag.PixelSpacing, VR.DS, 0.48828125, 1.0 / 3);
        ds.setString(Tag.InstanceNumber, VR.IS, " 12 ");
        ds.setDouble(Tag.ExposureInmAs, VR.FD, 2.5);
        ds.setLong(0x00189325, VR.UV, -1L);
        ds.setString(Tag.FrameIncrementPointer, VR.AT, "(0018,1063)");
        assertThat(ds.getStrings(Tag.ImageType)).containsExactly("ORIGINAL", "PRIMARY", "AXIAL");
        assertThat(ds.getInt(Tag.Rows, 0)).isEqualTo(512);
        assertThat(ds.getInt(Tag.SmallestImagePixelValue, 0)).isEqualTo(-2000);
        assertThat(ds.getLong(Tag.SimpleFrameList, 0)).isEqualTo(4_000_000_000L);
        assertThat(ds.getDoubles(Tag.PixelSpacing)[0]).isEqualTo(0.48828125);
        // DS holds at most 16 characters (PS3.5 6.2): 1/3 is rounded to fit
        assertThat(ds.getStrings(Tag.PixelSpacing)[1]).isEqualTo("0.33333333333333");
        assertThat(ds.getInt(Tag.InstanceNumber, 0)).isEqualTo(12);
        assertThat(ds.getString(Tag.InstanceNumber)).isEqualTo("12");
        assertThat(ds.getFloat(Tag.ExposureInmAs, 0)).isEqualTo(2.5f);
        assertThat(ds.getStrings(0x00189325)).containsExactly("18446744073709551615");
        assertThat(ds.getInt(Tag.FrameIncrementPointer, 0)).isEqualTo(Tag.FrameTime);
        assertThat(ds.getInt(Tag.Columns, -1)).isEqualTo(-1);
        assertThat(ds.getStrings(Tag.Columns)).isEmpty();
        assertThatThrownBy(() -> ds.setInt(Tag.Rows, VR.US, 70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ds.setString(Tag.PatientID, "a\\b")).hasMessageContaining("backslash");
        ds.setString(Tag.PatientID, VR.LO, "bad");
        assertThatThrownBy(() -> ds.getInt(Tag.PatientID, 0)).isInstanceOf(NumberFormatException.class)
                .hasMessageContaining("(0010,0020)");
    }

    @Test
    void datesTimesAndRanges() {
        DataSet ds = new DataSet();
        ds.setString(Tag.StudyDate, "20200101-20201231");
        ds.setString(Tag.StudyTime, "0800-");
        ds.setString(Tag.AcquisitionDateTime, "2020");
        ds.setString(Tag.PatientBirthDate, "1970.01.02");
        ds.setString(Tag.ContentTime, "101530.5");
        ds.setString(Tag.InstanceCreationDate, "20240229");
        ds.setString(Tag.InstanceCreationTime, "1205");
        ds.setString(Tag.FrameReferenceDateTime, "20240229120000+0100");
        Range<LocalDate> dates = ds.getDateRange(Tag.StudyDate);
        assertThat(dates.start()).isEqualTo(LocalDate.of(2020, 1, 1));
        assertThat(dates.end()).isEqualTo(LocalDate.of(2020, 12, 31));
        assertThat(dates.contains(LocalDate.of(2020, 6, 1))).isTrue();
        Range<LocalTime> times = ds.getTimeRange(Tag.StudyTime);
        assertThat(times.isOpenEnd()).isTrue();
        assertThat(times.contains(LocalTime.of(23, 0))).isTrue();
        assertThat(times.contains(LocalTime.of(7, 59))).isFalse();
        Range<LocalDateTime> year = ds.getDateTimeRange(Tag.AcquisitionDateTime);
        assertThat(year.start()).isEqualTo(LocalDateTime.of(2020, 1, 1, 0, 0));
        assertThat(year.end()).isEqualTo(LocalDateTime.of(2020, 12, 31, 23, 59, 59, 999_999_000));
        assertThat(ds.getDate(Tag.PatientBirthDate)).isEqualTo(LocalDate.of(1970, 1, 2));
        assertThat(ds.getTime(Tag.ContentTime)).isEqualTo(LocalTime.of(10, 15, 30, 500_000_000));
        assertThat(ds.getDateTime(Tag.InstanceCreationDate, Tag.InstanceCreationTime))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 12, 5));
        assertThat(ds.getOffsetDateTime(Tag.FrameReferenceDateTime, ZoneOffset.UTC))
                .isEqualTo(OffsetDateTime.of(2024, 2, 29, 12, 0, 0, 0, ZoneOffset.ofHours(1)));
        DataSet query = new DataSet();
        query.setString(Tag.AcquisitionDateTime, "20200101-0500-20200102-0500");
        Range<LocalDateTime> withOffsets = query.getDateTimeRange(Tag.AcquisitionDateTime);
        assertThat(withOffsets.end()).isEqualTo(LocalDateTime.of(2020, 1, 2, 23, 59, 59, 999_999_000));
        ds.setDate(Tag.SeriesDate, LocalDate.of(2021, 3, 4));
        ds.setTime(Tag.SeriesTime, LocalTime.of(1, 2, 3, 4000));
        assertThat(ds.getStrings(Tag.SeriesDate)).containsExactly("20210304");
        assertThat(ds.getStrings(Tag.SeriesTime)).containsExactly("010203.000004");
    }

    @Test
    void personNamesHaveGroupsAndComponents() {
        PersonName pn = PersonName.parse("Hong^Gildong=洪^吉洞=홍^길동");
        assertThat(pn.familyName()).isEqualTo("Hong");
        assertThat(pn.get(PersonName.Group.IDEOGRAPHIC, PersonName.Component.GIVEN_NAME)).isEqualTo("吉洞");
        assertThat(pn.group(PersonName.Group.PHONETIC)).isEqualTo("홍^길동");
        assertThat(PersonName.parse("Doe^John^^^").toString()).isEqualTo("Doe^John");
        assertThat(PersonName.parse("Wang^XiaoDong=王^小東=").toString()).isEqualTo("Wang^XiaoDong=王^小東");
        assertThat(PersonName.of("Doe", "Jane").with(PersonName.Group.ALPHABETIC, PersonName.Component.NAME_SUFFIX, "MD")
                .toString()).isEqualTo("Doe^Jane^^^MD");
        DataSet ds = new DataSet();
        ds.setPersonName(Tag.OtherPatientNames, PersonName.of("A", "B"), PersonName.of("C", "D"));
        assertThat(ds.getPersonNames(Tag.OtherPatientNames)).hasSize(2);
    }

    @Test
    void privateCreatorsReserveBlocks() {
        DataSet ds = new DataSet();
        ds.setString(0x00090010, VR.LO, "OTHER");
        int tag = ds.privateTag("ACME 1.0", 0x00090020, true);
        assertThat(tag).isEqualTo(0x00091120);
        ds.setString(tag, VR.LO, "value");
        assertThat(ds.getString(0x00090011)).isEqualTo("ACME 1.0");
        assertThat(ds.privateTag("ACME 1.0", 0x00090030, false)).isEqualTo(0x00091130);
        assertThat(ds.privateTag("NOBODY", 0x00090030, false)).isEqualTo(-1);
        assertThat(ds.getPrivateCreator(0x00091120)).isEqualTo("ACME 1.0");
        assertThat(Tags.privateCreatorOf(0x00291010)).isEqualTo(0x00290010);
        assertThatThrownBy(() -> ds.privateTag("X", 0x00100010, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequencesNestAndInheritTheCharacterSet() {
        DataSet ds = new DataSet();
        ds.setString(Tag.SpecificCharacterSet, "ISO_IR 192");
        DataSet item = ds.newSequence(Tag.ReferencedStudySequence).addNewItem();
        item.setString(Tag.ReferencedSOPInstanceUID, "1.2.3");
        assertThat(item.parent()).isSameAs(ds);
        assertThat(item.specificCharacterSet()).isEqualTo(SpecificCharacterSet.UTF_8);
        assertThat(ds.getNestedDataSet(Tag.ReferencedStudySequence).getString(Tag.ReferencedSOPInstanceUID))
                .isEqualTo("1.2.3");
        DataSet other = new DataSet();
        assertThatThrownBy(() -> other.newSequence(Tag.ReferencedStudySequence).add(item))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("deepCopy");
        other.newSequence(Tag.ReferencedStudySequence).add(item.deepCopy());
        assertThat(other.getSequence(Tag.ReferencedStudySequence)).hasSize(1);
    }

    @Test
    void deepCopiesAreIndependentAndEqual() {
        DataSet ds = new DataSet();
        ds.setString(Tag.PatientName, "Doe^John");
        ds.newSequence(Tag.ReferencedStudySequence).addNewItem().setString(Tag.ReferencedSOPInstanceUID, "1.2.3");
        DataSet copy = ds.deepCopy();
        assertThat(copy).isEqualTo(ds).hasSameHashCodeAs(ds);
        copy.getNestedDataSet(Tag.ReferencedStudySequence).setString(Tag.ReferencedSOPInstanceUID, "9.9");
        assertThat(ds.getNestedDataSet(Tag.ReferencedStudySequence).getString(Tag.ReferencedSOPInstanceUID))
                .isEqualTo("1.2.3");
        assertThat(copy).isNotEqualTo(ds);
        // text equal after decoding is equal, whatever bytes or character set held it
        DataSet latin = new DataSet();
        latin.setEncodedCharacterSet(SpecificCharacterSet.of("ISO_IR 100"));
        latin.setBytes(Tag.PatientName, VR.PN, new byte[] {'G', (byte) 0xE9, 'r', 'a', 'r', 'd', ' '});
        DataSet text = new DataSet();
        text.setString(Tag.PatientName, "Gérard");
        assertThat(latin).isEqualTo(text);
    }

    @Test
    void frozenDataSetsAreReadOnlyAndShareable() throws Exception {
        DataSet ds = new DataSet();
        ds.setString(Tag.PatientName, "Doe^John");
        ds.newSequence(Tag.ReferencedStudySequence).addNewItem().setString(Tag.ReferencedSOPInstanceUID, "1.2.3");
        DataSet frozen = ds.readOnlyCopy();
        assertThat(frozen.isReadOnly()).isTrue();
        assertThat(ds.isReadOnly()).isFalse();
        assertThatThrownBy(() -> frozen.setString(Tag.PatientID, "1")).isInstanceOf(UnsupportedOperationException.class);
        DataSet nested = frozen.getNestedDataSet(Tag.ReferencedStudySequence);
        assertThatThrownBy(() -> nested.remove(Tag.ReferencedSOPInstanceUID))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> frozen.getSequence(Tag.ReferencedStudySequence).addNewItem())
                .isInstanceOf(UnsupportedOperationException.class);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> frozen.getString(Tag.PatientName)
                        + frozen.getNestedDataSet(Tag.ReferencedStudySequence).getString(Tag.ReferencedSOPInstanceUID)));
            }
            for (Future<String> f : results) {
                assertThat(f.get()).isEqualTo("Doe^John1.2.3");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void dumpsLikeDcmdump() {
        DataSet ds = new DataSet();
        ds.setString(Tag.PatientName, "Doe^John");
        assertThat(ds.toString()).isEqualTo("(0010,0010) PN [Doe^John] PatientName\n");
    }
}
