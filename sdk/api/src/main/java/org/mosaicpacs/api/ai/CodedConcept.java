package org.mosaicpacs.api.ai;

import java.util.Objects;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * A coded concept (PS3.3 Table 8.8-1 Basic Code Sequence Macro): code value, coding scheme
 * designator ({@code SCT}, {@code DCM}, {@code UCUM}...) and code meaning.
 *
 * @param value   Code Value (0008,0100), at most 16 characters
 * @param scheme  Coding Scheme Designator (0008,0102)
 * @param meaning Code Meaning (0008,0104), at most 64 characters
 */
public record CodedConcept(String value, String scheme, String meaning) {

    public CodedConcept {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(meaning, "meaning");
        if (value.isBlank() || value.length() > 16) {
            throw new IllegalArgumentException("a Code Value has 1-16 characters: '" + value + "'");
        }
        if (scheme.isBlank() || scheme.length() > 16) {
            throw new IllegalArgumentException("a Coding Scheme Designator has 1-16 characters: '" + scheme + "'");
        }
        if (meaning.isBlank() || meaning.length() > 64) {
            throw new IllegalArgumentException("a Code Meaning has 1-64 characters: '" + meaning + "'");
        }
    }

    /** A SNOMED CT concept. */
    public static CodedConcept sct(String value, String meaning) {
        return new CodedConcept(value, "SCT", meaning);
    }

    /** A DICOM (PS3.16) concept. */
    public static CodedConcept dcm(String value, String meaning) {
        return new CodedConcept(value, "DCM", meaning);
    }

    /** A UCUM unit. */
    public static CodedConcept ucum(String value, String meaning) {
        return new CodedConcept(value, "UCUM", meaning);
    }

    /** Writes the three attributes into an item (of a code sequence). */
    public DataSet writeTo(DataSet item) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
        return item;
    }

    /** Sets a code sequence attribute of {@code target} to this one concept. */
    public void setAsSequence(DataSet target, int sequenceTag) {
        writeTo(target.newSequence(sequenceTag).addNewItem());
    }

    /** The concept in the first item of a code sequence, or null if the sequence is absent or incomplete. */
    public static CodedConcept of(DataSet dataSet, int sequenceTag) {
        DataSet item = dataSet.getNestedDataSet(sequenceTag);
        if (item == null) {
            return null;
        }
        String v = item.getString(Tag.CodeValue);
        String s = item.getString(Tag.CodingSchemeDesignator);
        String m = item.getString(Tag.CodeMeaning);
        return v == null || s == null || m == null ? null : new CodedConcept(v, s, m);
    }

    @Override
    public String toString() {
        return "(" + value + ", " + scheme + ", \"" + meaning + "\")";
    }
}
