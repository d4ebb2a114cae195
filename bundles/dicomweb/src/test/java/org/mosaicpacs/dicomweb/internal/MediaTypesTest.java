package org.mosaicpacs.dicomweb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class MediaTypesTest {

    private static List<MediaTypes.Range> accept(String... headers) {
        return MediaTypes.accepted(List.of(headers), null);
    }

    @Test
    void typeParameterQuotedOrNot() {
        for (String h : List.of("multipart/related; type=application/dicom; transfer-syntax=*",
                "multipart/related; type=\"application/dicom\"; transfer-syntax=\"*\"",
                "Multipart/Related;Type=\"Application/DICOM\";transfer-syntax=*")) {
            assertThat(MediaTypes.acceptedSyntaxes(accept(h), MediaTypes.DICOM, "1.2.840.10008.1.2.1"))
                    .as(h).containsExactly("*");
        }
    }

    @Test
    void syntaxesInPreferenceOrderWithDefaults() {
        List<MediaTypes.Range> ranges = accept("multipart/related; type=\"application/dicom\"; "
                + "transfer-syntax=1.2.840.10008.1.2.4.80; q=0.5, multipart/related; type=\"application/dicom\", "
                + "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.5; q=0.9");
        assertThat(MediaTypes.acceptedSyntaxes(ranges, MediaTypes.DICOM, "1.2.840.10008.1.2.1"))
                .containsExactly("1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.80");
        // no Accept at all, */* and multipart/related without type take the resource's default part type
        assertThat(MediaTypes.acceptedSyntaxes(MediaTypes.accepted(null, null), MediaTypes.DICOM, "ELE"))
                .containsExactly("ELE");
        assertThat(MediaTypes.acceptedSyntaxes(accept("*/*"), MediaTypes.DICOM, "ELE")).containsExactly("ELE");
        assertThat(MediaTypes.acceptedSyntaxes(accept("multipart/related"), MediaTypes.DICOM, "ELE"))
                .containsExactly("ELE");
        assertThat(MediaTypes.acceptedSyntaxes(accept("application/dicom+json"), MediaTypes.DICOM, "ELE")).isEmpty();
    }

    @Test
    void commasInsideQuotesDoNotSplit() {
        List<MediaTypes.Range> ranges = accept("multipart/related; type=\"application/dicom\"; x=\"a,b\", image/png");
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0).param("x")).isEqualTo("a,b");
    }

    @Test
    void acceptQueryParameterReplacesTheHeader() {
        List<MediaTypes.Range> ranges = MediaTypes.accepted(List.of("image/png"), List.of("image/jpeg"));
        assertThat(MediaTypes.select(ranges, List.of(MediaTypes.PNG, MediaTypes.JPEG))).hasValue(MediaTypes.JPEG);
    }

    @Test
    void frameChoices() {
        assertThat(Wado.frameChoices(accept("multipart/related; type=application/octet-stream; transfer-syntax=*")))
                .containsExactly(new Wado.FrameChoice(MediaTypes.OCTET_STREAM, "*"));
        assertThat(Wado.frameChoices(accept("multipart/related; type=\"image/jls\"")))
                .containsExactly(new Wado.FrameChoice("image/jls", "1.2.840.10008.1.2.4.80"));
        assertThat(Wado.frameChoices(accept("*/*")))
                .containsExactly(new Wado.FrameChoice(MediaTypes.OCTET_STREAM, "1.2.840.10008.1.2.1"));
        assertThat(Wado.frameChoices(accept("application/dicom+json"))).isEmpty();
        assertThat(MediaTypes.frameMediaType("1.2.840.10008.1.2.4.90")).isEqualTo("image/jp2");
        assertThat(MediaTypes.frameMediaType("1.2.840.10008.1.2.5")).isEqualTo("image/dicom-rle");
        assertThat(MediaTypes.frameMediaType("1.2.840.10008.1.2")).isEqualTo(MediaTypes.OCTET_STREAM);
    }

    @Test
    void malformedRangesAreBadRequests() {
        assertThatThrownBy(() -> accept("dicom")).isInstanceOf(DicomWebException.class)
                .satisfies(e -> assertThat(((DicomWebException) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> accept("image/png; q=abc")).isInstanceOf(DicomWebException.class);
    }

    @Test
    void frameNumbers() {
        assertThat(Wado.frameNumbers("1,3, 5")).containsExactly(1, 3, 5);
        assertThatThrownBy(() -> Wado.frameNumbers("0")).isInstanceOf(DicomWebException.class);
        assertThatThrownBy(() -> Wado.frameNumbers("1,,2")).isInstanceOf(DicomWebException.class);
    }
}
