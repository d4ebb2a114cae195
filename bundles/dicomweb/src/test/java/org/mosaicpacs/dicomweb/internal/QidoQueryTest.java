package org.mosaicpacs.dicomweb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.index.IndexQuery;
import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;

class QidoQueryTest {

    private static QidoQuery parse(QueryLevel level, String... nameValues) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            params.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return QidoQuery.parse(level, params, null, null, 1000);
    }

    @Test
    void ohifStudyListQuery() {
        QidoQuery q = parse(QueryLevel.STUDY, "limit", "101", "offset", "0", "fuzzymatching", "false",
                "includefield", "00081030,00080060", "StudyInstanceUID", "1.2.3\\1.2.4", "PatientName", "*Doe*",
                "StudyDate", "20200101-20201231");
        IndexQuery query = q.query();
        DataSet keys = query.keys();
        assertThat(query.limit()).isEqualTo(101);
        assertThat(query.offset()).isZero();
        assertThat(query.fuzzyPersonNames()).isFalse();
        assertThat(query.allAttributes()).isFalse();
        assertThat(keys.getStrings(Tag.StudyInstanceUID)).containsExactly("1.2.3", "1.2.4");
        assertThat(keys.getString(Tag.PatientName)).isEqualTo("*Doe*");
        assertThat(keys.getString(Tag.StudyDate)).isEqualTo("20200101-20201231");
        assertThat(keys.contains(Tag.StudyDescription)).isTrue();
        assertThat(keys.contains(Tag.Modality)).isTrue();
        assertThat(keys.contains(Tag.NumberOfStudyRelatedInstances)).isTrue();
        assertThat(q.warnings()).isEmpty();
    }

    @Test
    void keywordsTagsSequencesAllAndWarnings() {
        QidoQuery q = parse(QueryLevel.SERIES, "0020000D", "1.2.3", "RequestAttributesSequence.ScheduledProcedureStepID",
                "SPS1", "includefield", "all", "fuzzymatching", "true", "NoSuchKeyword", "x", "charset", "utf-8");
        DataSet keys = q.query().keys();
        assertThat(keys.getString(Tag.StudyInstanceUID)).isEqualTo("1.2.3");
        assertThat(keys.getNestedDataSet(Tag.RequestAttributesSequence).getString(Tag.ScheduledProcedureStepID))
                .isEqualTo("SPS1");
        assertThat(q.query().allAttributes()).isTrue();
        assertThat(q.query().fuzzyPersonNames()).isTrue();
        assertThat(q.query().relational()).isTrue();
        assertThat(q.warnings()).hasSize(2).anyMatch(w -> w.contains("NoSuchKeyword")).anyMatch(w -> w.contains("charset"));
        // a search across studies returns the study attributes too
        assertThat(keys.contains(Tag.PatientName)).isTrue();
    }

    @Test
    void urlUidsAreMatchingKeys() {
        QidoQuery q = QidoQuery.parse(QueryLevel.IMAGE, Map.of(), "1.2.3", "1.2.3.4", 50);
        assertThat(q.query().keys().getString(Tag.StudyInstanceUID)).isEqualTo("1.2.3");
        assertThat(q.query().keys().getString(Tag.SeriesInstanceUID)).isEqualTo("1.2.3.4");
        assertThat(q.query().limit()).isEqualTo(50);
        assertThat(q.query().keys().contains(Tag.PatientName)).isFalse();
        assertThat(q.query().keys().contains(Tag.NumberOfFrames)).isTrue();
    }

    @Test
    void malformedControlParametersAreBadRequests() {
        assertThatThrownBy(() -> parse(QueryLevel.STUDY, "limit", "many")).isInstanceOf(DicomWebException.class)
                .hasMessageContaining("limit");
        assertThatThrownBy(() -> parse(QueryLevel.STUDY, "offset", "-3")).isInstanceOf(DicomWebException.class);
        assertThatThrownBy(() -> parse(QueryLevel.STUDY, "RequestAttributesSequence", "x"))
                .isInstanceOf(DicomWebException.class).hasMessageContaining("sequence");
    }
}
