package org.mosaicpacs.dicom.internal;

import java.util.HashMap;
import java.util.Map;

import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.Tags;

/**
 * Known private data elements by Private Creator (GDCM's private dictionary as pydicom ships it):
 * used for the VR of private data elements in Implicit VR (PS3.5 6.2.2) and for their names.
 */
public final class PrivateDictionary {

    /** creator to (group with 'xx' as 00, low byte of element) key to entry. */
    private final Map<String, Map<Integer, DictionaryEntry>> byCreator;

    private PrivateDictionary(Map<String, Map<Integer, DictionaryEntry>> byCreator) {
        this.byCreator = byCreator;
    }

    static PrivateDictionary load() {
        Map<String, Map<Integer, DictionaryEntry>> map = new HashMap<>();
        DictionaryData.readTsv("private-elements.tsv", f -> {
            int[] tagAndMask = DictionaryData.parsePattern(f[1]);
            DictionaryEntry entry = new DictionaryEntry(tagAndMask[0], tagAndMask[1],
                    DictionaryData.parseVRs(f[2]), f[3], "", f[4], "R".equals(f[5]));
            map.computeIfAbsent(f[0], k -> new HashMap<>()).put(key(tagAndMask[0]), entry);
        });
        return new PrivateDictionary(map);
    }

    private static int key(int tag) {
        return (tag & 0xFFFF0000) | tag & 0xFF;
    }

    /** The entry for a private data element (gggg,xxee) in a block reserved by the creator, or null. */
    public DictionaryEntry lookup(String creator, int tag) {
        if (creator == null || !Tags.isPrivate(tag)) {
            return null;
        }
        Map<Integer, DictionaryEntry> elements = byCreator.get(creator.strip());
        if (elements == null) {
            return null;
        }
        DictionaryEntry e = elements.get(key(tag));
        if (e == null) {
            // a few creators use the same element in repeating groups, e.g. (60xx,xx10)
            for (DictionaryEntry candidate : elements.values()) {
                if ((tag & candidate.mask() & 0xFFFF00FF) == (candidate.tag() & 0xFFFF00FF)
                        && (candidate.mask() & 0xFFFF0000) != 0xFFFF0000) {
                    return candidate;
                }
            }
        }
        return e;
    }
}
