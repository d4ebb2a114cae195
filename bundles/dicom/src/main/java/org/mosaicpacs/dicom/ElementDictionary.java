package org.mosaicpacs.dicom;

import java.util.Collection;

import org.mosaicpacs.dicom.internal.DictionaryData;

/**
 * The PS3.6 data dictionary: every public data element with its VRs, VM, keyword, name and
 * retired flag (including repeating groups and ranges such as (60xx,3000) and (0020,31xx)), and
 * a private dictionary for the VRs of known private data elements by Private Creator. Generated
 * from pydicom's copy of PS3.6 by {@code src/build/gen-dictionary.py}; loaded on first use.
 * Thread-safe.
 */
public final class ElementDictionary {

    private ElementDictionary() {
    }

    /**
     * The entry for a tag: an exact match, else the most specific repeating-group or range entry,
     * else a generic entry for group lengths (gggg,0000, UL) and Private Creators (gggg,0010-00FF,
     * LO); null for unknown tags, private data elements included (see {@link #lookupPrivate}).
     */
    public static DictionaryEntry lookup(int tag) {
        return DictionaryData.standard().lookup(tag);
    }

    /** The entry with this keyword, e.g. "PatientName"; null if there is none. */
    public static DictionaryEntry lookup(String keyword) {
        return DictionaryData.standard().lookup(keyword);
    }

    /**
     * The tag with this keyword.
     *
     * @throws IllegalArgumentException if PS3.6 has no such keyword
     */
    public static int tagOf(String keyword) {
        DictionaryEntry entry = lookup(keyword);
        if (entry == null) {
            throw new IllegalArgumentException("no data element with keyword \"" + keyword + "\" in PS3.6");
        }
        return entry.tag();
    }

    /** The keyword of a tag, or "" if the tag is unknown or has no keyword. */
    public static String keywordOf(int tag) {
        DictionaryEntry entry = lookup(tag);
        return entry == null ? "" : entry.keyword();
    }

    /** The name of a tag, or "" if the tag is unknown. */
    public static String nameOf(int tag) {
        DictionaryEntry entry = lookup(tag);
        return entry == null ? "" : entry.name();
    }

    /** The VR of a public tag (the first permitted one if several), UN if the tag is unknown. */
    public static VR vrOf(int tag) {
        DictionaryEntry entry = lookup(tag);
        return entry == null ? VR.UN : entry.vr();
    }

    /**
     * The private dictionary entry for a private data element (gggg,xxee) whose block is reserved
     * by {@code privateCreator}; null if unknown.
     */
    public static DictionaryEntry lookupPrivate(String privateCreator, int tag) {
        return DictionaryData.privateElements().lookup(privateCreator, tag);
    }

    /**
     * The VR of a data element for reading Implicit VR (PS3.5 6.2.2): the public dictionary's,
     * LO for Private Creators, the private dictionary's for known private data elements, else UN.
     *
     * @param privateCreator the creator reserving the tag's block, null if none or not private
     */
    public static VR vrOf(int tag, String privateCreator) {
        DictionaryEntry entry = lookup(tag);
        if (entry == null && privateCreator != null && Tags.isPrivate(tag)) {
            entry = lookupPrivate(privateCreator, tag);
        }
        return entry == null ? VR.UN : entry.vr();
    }

    /** Every public data element entry, in tag order. */
    public static Collection<DictionaryEntry> entries() {
        return DictionaryData.standard().entries();
    }
}
