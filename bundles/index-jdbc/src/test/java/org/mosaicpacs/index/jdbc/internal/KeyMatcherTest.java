package org.mosaicpacs.index.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mosaicpacs.index.jdbc.internal.Headers.keys;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Range;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/** The Java matcher on its own: the rules of PS3.4 C.2.2.2 case by case. */
class KeyMatcherTest {

    private static final KeyMatcher MATCHER = new KeyMatcher(new MatchOptions(true, false, false));
    private static final KeyMatcher COMBINED = new KeyMatcher(new MatchOptions(true, false, true));

    private static DataSet attrs(String... pairs) {
        return keys(pairs);
    }

    @Test
    void wildcardsMatchRunsAndSingleCharacters() {
        assertThat(KeyMatcher.glob("*", "")).isTrue();
        assertThat(KeyMatcher.glob("A*B?C", "AxxBzC")).isTrue();
        assertThat(KeyMatcher.glob("A*B?C", "AxxBC")).isFalse();
        assertThat(KeyMatcher.glob("*mann*", "GROSSMANN")).isFalse(); // case-sensitive here
        assertThat(KeyMatcher.glob("?", "\uD83D\uDE00")).isTrue(); // one code point, two chars
        assertThat(KeyMatcher.glob("**a", "baaa")).isTrue();
    }

    @Test
    void universalKeysMatchEverythingEvenEmptyValues() {
        assertThat(MATCHER.matchesAll(attrs(), keys("PatientName=", "StudyDate=", "Modality=*"))).isTrue();
        DataSet sq = new DataSet();
        sq.newSequence(Tag.AnatomicRegionSequence).addNewItem().setNull(Tag.CodeValue, VR.SH);
        assertThat(MATCHER.matchesAll(attrs(), sq)).isTrue();
        assertThat(MATCHER.matchesAll(attrs(), keys("Modality=CT"))).isFalse();
    }

    @Test
    void singleValuesAreExactAndCaseSensitiveExceptNames() {
        assertThat(MATCHER.matchesAll(attrs("Modality=CT"), keys("Modality=ct"))).isFalse();
        assertThat(MATCHER.matchesAll(attrs("StudyDescription=Thorax"), keys("StudyDescription=Thorax"))).isTrue();
        assertThat(MATCHER.matchesAll(attrs("PatientName=Großmann^Jörg"), keys("PatientName=GROSSMANN^JÖRG"))).isTrue();
        assertThat(MATCHER.matchesAll(attrs("PatientName=Doe^John"), keys("PatientName=Doe"))).isFalse();
        assertThat(MATCHER.matchesAll(attrs("SliceThickness=5.0"), keys("SliceThickness=5"))).isTrue();
        KeyMatcher sensitive = new KeyMatcher(new MatchOptions(false, false, false));
        assertThat(sensitive.matchesAll(attrs("PatientName=Doe^John"), keys("PatientName=doe^john"))).isFalse();
    }

    @Test
    void listsMatchWhenOneValueMatches() {
        assertThat(MATCHER.matchesAll(attrs("StudyInstanceUID=1.2.3"), keys("StudyInstanceUID=1.2.4\\1.2.3"))).isTrue();
        assertThat(MATCHER.matchesAll(attrs("ModalitiesInStudy=CT\\SR"), keys("ModalitiesInStudy=MR\\SR"))).isTrue();
        assertThat(MATCHER.matchesAll(attrs("ImageType=ORIGINAL\\PRIMARY"), keys("ImageType=PRIM*"))).isTrue();
    }

    @Test
    void personNameGroupsMatchAsTheKeyGivesThem() {
        DataSet korean = attrs("PatientName=Hong^Gildong=洪^吉洞=홍^길동");
        assertThat(MATCHER.matchesAll(korean, keys("PatientName=홍*"))).isTrue();
        assertThat(MATCHER.matchesAll(korean, keys("PatientName=洪^吉洞"))).isTrue();
        assertThat(MATCHER.matchesAll(korean, keys("PatientName==洪^吉洞"))).isTrue();
        assertThat(MATCHER.matchesAll(korean, keys("PatientName=洪^吉洞=="))).isFalse(); // alphabetic group is Hong
        assertThat(MATCHER.matchesAll(korean, keys("PatientName=Hong*=*=홍*"))).isTrue();
        assertThat(MATCHER.matchesAll(attrs("PatientName=ﾔﾏﾀﾞ^ﾀﾛｳ"), keys("PatientName=ヤマダ*"))).isTrue();
    }

    @Test
    void datesAndTimesMatchRangesOfTheirPrecision() {
        DataSet study = attrs("StudyDate=20060706", "StudyTime=0100", "AcquisitionDateTime=20200315101010");
        assertThat(MATCHER.matchesAll(study, keys("StudyDate=20060705-20060707"))).isTrue();
        assertThat(MATCHER.matchesAll(study, keys("StudyDate=-20060705"))).isFalse();
        assertThat(MATCHER.matchesAll(study, keys("StudyDate=20060706-"))).isTrue();
        assertThat(MATCHER.matchesAll(study, keys("StudyTime=01"))).isTrue();
        assertThat(MATCHER.matchesAll(study, keys("AcquisitionDateTime=2020"))).isTrue();
        assertThat(MATCHER.matchesAll(study, keys("AcquisitionDateTime=202004-"))).isFalse();
        assertThat(MATCHER.matchesAll(attrs("StudyDate=garbage"), keys("StudyDate=-20991231"))).isFalse();
        assertThatThrownBy(() -> KeyMatcher.validate(keys("StudyDate=2006-07-05")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StudyDate");
    }

    @Test
    void combinedDateTimeMatchingSpansDays() {
        // PS3.4 C.2.2.2.5: 5 July 10:00 to 7 July 18:00 as one range, not 10:00-18:00 on each day
        DataSet nightOfThe6th = attrs("StudyDate=20060706", "StudyTime=0100");
        DataSet keys = keys("StudyDate=20060705-20060707", "StudyTime=1000-1800");
        assertThat(COMBINED.matchesAll(nightOfThe6th, keys)).isTrue();
        assertThat(MATCHER.matchesAll(nightOfThe6th, keys)).isFalse();
        assertThat(COMBINED.matchesAll(attrs("StudyDate=20060705", "StudyTime=0900"), keys)).isFalse();
        assertThat(COMBINED.matchesAll(attrs("StudyDate=20060707", "StudyTime=1800"), keys)).isTrue();
        assertThat(COMBINED.matchesAll(attrs("StudyDate=20060705"), keys)).isTrue(); // no time: the day counts
        Range<LocalDateTime> range = KeyMatcher.combinedRange("20060705-", "1000-1800");
        assertThat(range.start()).isEqualTo(LocalDateTime.of(2006, 7, 5, 10, 0));
        assertThat(range.end()).isNull();
    }

    @Test
    void sequencesMatchWhenOneItemMatchesAllItemKeys() {
        DataSet attrs = new DataSet();
        var seq = attrs.newSequence(Tag.AnatomicRegionSequence);
        DataSet chest = seq.addNewItem();
        chest.setString(Tag.CodeValue, VR.SH, "51185008");
        chest.setString(Tag.CodingSchemeDesignator, VR.SH, "SCT");
        DataSet abdomen = seq.addNewItem();
        abdomen.setString(Tag.CodeValue, VR.SH, "818981001");
        abdomen.setString(Tag.CodingSchemeDesignator, VR.SH, "SCT");
        DataSet keys = new DataSet();
        DataSet item = keys.newSequence(Tag.AnatomicRegionSequence).addNewItem();
        item.setString(Tag.CodeValue, VR.SH, "818981001");
        item.setString(Tag.CodingSchemeDesignator, VR.SH, "SCT");
        assertThat(MATCHER.matchesAll(attrs, keys)).isTrue();
        item.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        assertThat(MATCHER.matchesAll(attrs, keys)).isFalse();
    }

    @Test
    void sqlPrefixBoundsAndLikePatterns() {
        assertThat(QueryPlanner.successor("HONG")).isEqualTo("HONH");
        assertThat(QueryPlanner.successor("\uD64D")).isEqualTo("\uD64E"); // 홍, then the next syllable
        assertThat(QueryPlanner.successor("a\uD83D\uDE00")).isEqualTo("a\uD83D\uDE01");
        assertThat(QueryPlanner.like("50%_off!*?")).isEqualTo("50!%!_off!!%_");
    }
}
