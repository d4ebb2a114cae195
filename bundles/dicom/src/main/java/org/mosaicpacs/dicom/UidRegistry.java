package org.mosaicpacs.dicom;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mosaicpacs.dicom.internal.DictionaryData;

/**
 * The UID registry of PS3.6 Table A-1: SOP classes, transfer syntaxes, well-known instances,
 * frames of reference and coding schemes, with names, types and retired flags, generated from
 * pydicom's copy by {@code src/build/gen-dictionary.py}. Thread-safe; loaded on first use.
 */
public final class UidRegistry {

    private UidRegistry() {
    }

    private static final class Holder {
        static final Map<String, UidEntry> BY_UID = load();
        static final Map<String, UidEntry> BY_KEYWORD = byKeyword(BY_UID.values());
    }

    private static Map<String, UidEntry> load() {
        Map<String, UidEntry> map = new LinkedHashMap<>();
        DictionaryData.readTsv("uids.tsv", f -> map.put(f[0],
                new UidEntry(f[0], f[1], f[2], f[3], "R".equals(f[4]), "S".equals(f[5]))));
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, UidEntry> byKeyword(Collection<UidEntry> entries) {
        Map<String, UidEntry> map = new LinkedHashMap<>();
        for (UidEntry e : entries) {
            if (!e.keyword().isEmpty()) {
                map.put(e.keyword(), e);
            }
        }
        return map;
    }

    /** The entry of a registered UID, or null. */
    public static UidEntry lookup(String uid) {
        return uid == null ? null : Holder.BY_UID.get(uid);
    }

    /** The entry with this keyword (e.g. "CTImageStorage"), or null. */
    public static UidEntry lookupKeyword(String keyword) {
        return Holder.BY_KEYWORD.get(keyword);
    }

    /** The name of a registered UID, or the UID itself if it is not registered. */
    public static String nameOf(String uid) {
        UidEntry e = lookup(uid);
        return e == null ? uid : e.name();
    }

    /** Every registered UID in PS3.6 order. */
    public static Collection<UidEntry> entries() {
        return Holder.BY_UID.values();
    }

    /** The registered UIDs of one type (see {@link UidEntry#type()}). */
    public static List<UidEntry> ofType(String type) {
        List<UidEntry> list = new ArrayList<>();
        for (UidEntry e : entries()) {
            if (e.type().equals(type)) {
                list.add(e);
            }
        }
        return list;
    }

    /**
     * The Storage SOP classes of the Storage Service Class (PS3.4 Annex B, Table B.5-1): every SOP
     * class named "... Storage" except Media Storage Directory, Storage Commitment and the
     * non-patient objects of PS3.4 Annex GG (hanging protocols, colour palettes, implant
     * templates, defined procedure protocols, protocol approvals, inventories).
     *
     * @param includeRetired also the retired ones (older modalities still send e.g. the retired
     *        Ultrasound Image Storage 1.2.840.10008.5.1.4.1.1.6)
     */
    public static List<UidEntry> storageSopClasses(boolean includeRetired) {
        List<UidEntry> list = new ArrayList<>();
        for (UidEntry e : entries()) {
            if (e.storage() && (includeRetired || !e.retired())) {
                list.add(e);
            }
        }
        return list;
    }

    /** True if the UID is a Storage SOP class of PS3.4 Annex B (retired ones included). */
    public static boolean isStorageSopClass(String uid) {
        UidEntry e = lookup(uid);
        return e != null && e.storage();
    }
}
