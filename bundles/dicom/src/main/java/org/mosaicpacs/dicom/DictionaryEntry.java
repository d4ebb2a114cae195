package org.mosaicpacs.dicom;

import java.util.List;

/**
 * One data element of the PS3.6 data dictionary (or of a private dictionary).
 *
 * @param tag the tag; for a repeating group or range, e.g. (60xx,3000), the first one (0x60003000)
 * @param mask the bits of a tag that must equal {@code tag} for this entry to match: 0xFFFFFFFF for
 *        a single tag, 0xFF00FFFF for (60xx,3000), 0xFFFFFF00 for (0020,31xx)
 * @param vrs the permitted VRs; several for "US or SS" and the like, the first being the one to
 *        use when nothing says otherwise; empty for the item and delimitation tags
 * @param vm the value multiplicity as PS3.6 writes it ("1", "1-n", "2-2n")
 * @param keyword the PS3.6 keyword, e.g. "PatientName"; empty where PS3.6 has none
 * @param name the PS3.6 name, e.g. "Patient's Name"
 * @param retired true for retired data elements
 */
public record DictionaryEntry(int tag, int mask, List<VR> vrs, String vm, String keyword, String name,
                              boolean retired) {

    public DictionaryEntry {
        vrs = List.copyOf(vrs);
    }

    /** The VR to use when only the tag is known (the first permitted one), UN for item tags. */
    public VR vr() {
        return vrs.isEmpty() ? VR.UN : vrs.get(0);
    }

    /** True if the VR depends on other attributes (e.g. "US or SS", "OB or OW"). */
    public boolean hasAmbiguousVR() {
        return vrs.size() > 1;
    }

    /** True if this entry describes the tag. */
    public boolean matches(int otherTag) {
        return (otherTag & mask) == tag;
    }

    /** The tag as PS3.6 writes it, with x for each free hex digit: "(60xx,3000)". */
    public String tagPattern() {
        StringBuilder b = new StringBuilder(Tags.toString(tag));
        for (int i = 0; i < 8; i++) {
            if ((mask >>> (28 - 4 * i) & 0xF) == 0) {
                b.setCharAt(i < 4 ? 1 + i : 2 + i, 'x');
            }
        }
        return b.toString();
    }
}
