package org.mosaicpacs.dicom.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.mosaicpacs.dicom.DictionaryEntry;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;

/**
 * The generated dictionary resources (see {@code src/build/gen-dictionary.py}), parsed once on first
 * use (holder idiom: class initialisation is thread-safe and lazy).
 */
public final class DictionaryData {

    private static final DictionaryEntry GROUP_LENGTH =
            new DictionaryEntry(0, 0xFFFF, List.of(VR.UL), "1", "", "Group Length", false);
    private static final DictionaryEntry PRIVATE_CREATOR =
            new DictionaryEntry(0x00010010, 0x0001FF00, List.of(VR.LO), "1", "", "Private Creator", false);

    /** Tags with the sign bit flipped, so that signed order is unsigned tag order. */
    private final int[] exactKeys;
    private final DictionaryEntry[] exactEntries;
    private final DictionaryEntry[] patterns;
    private final Map<String, DictionaryEntry> byKeyword;
    private final List<DictionaryEntry> all;

    private DictionaryData(List<DictionaryEntry> entries) {
        List<DictionaryEntry> exact = new ArrayList<>();
        List<DictionaryEntry> ranges = new ArrayList<>();
        Map<String, DictionaryEntry> keywords = new HashMap<>();
        for (DictionaryEntry e : entries) {
            (e.mask() == 0xFFFFFFFF ? exact : ranges).add(e);
            if (!e.keyword().isEmpty()) {
                keywords.put(e.keyword(), e);
            }
        }
        exact.sort(Comparator.comparingInt(e -> e.tag() ^ Integer.MIN_VALUE));
        exactKeys = exact.stream().mapToInt(e -> e.tag() ^ Integer.MIN_VALUE).toArray();
        exactEntries = exact.toArray(DictionaryEntry[]::new);
        // most fixed bits first, so (0028,04x0) wins over a wider range covering the same tag
        ranges.sort(Comparator.comparingInt((DictionaryEntry e) -> -Integer.bitCount(e.mask())));
        patterns = ranges.toArray(DictionaryEntry[]::new);
        byKeyword = keywords;
        List<DictionaryEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(e -> e.tag() ^ Integer.MIN_VALUE));
        all = Collections.unmodifiableList(sorted);
    }

    private static final class StandardHolder {
        static final DictionaryData INSTANCE = loadStandard();
    }

    private static final class PrivateHolder {
        static final PrivateDictionary INSTANCE = PrivateDictionary.load();
    }

    /** The PS3.6 dictionary. */
    public static DictionaryData standard() {
        return StandardHolder.INSTANCE;
    }

    /** The private dictionary. */
    public static PrivateDictionary privateElements() {
        return PrivateHolder.INSTANCE;
    }

    public DictionaryEntry lookup(int tag) {
        int i = Arrays.binarySearch(exactKeys, tag ^ Integer.MIN_VALUE);
        if (i >= 0) {
            return exactEntries[i];
        }
        if (Tags.isGroupLength(tag)) {
            return GROUP_LENGTH;
        }
        if (Tags.isPrivate(tag)) {
            return Tags.isPrivateCreator(tag) ? PRIVATE_CREATOR : null;
        }
        for (DictionaryEntry e : patterns) {
            if (e.matches(tag)) {
                return e;
            }
        }
        return null;
    }

    public DictionaryEntry lookup(String keyword) {
        return byKeyword.get(keyword);
    }

    public Collection<DictionaryEntry> entries() {
        return all;
    }

    private static DictionaryData loadStandard() {
        List<DictionaryEntry> entries = new ArrayList<>(5000);
        readTsv("elements.tsv", f -> {
            int[] tagAndMask = parsePattern(f[0]);
            entries.add(new DictionaryEntry(tagAndMask[0], tagAndMask[1], parseVRs(f[1]), f[2], f[3], f[4],
                    "R".equals(f[5])));
        });
        return new DictionaryData(entries);
    }

    /** "60xx3000" to {0x60003000, 0xFF00FFFF}. */
    static int[] parsePattern(String pattern) {
        int tag = 0;
        int mask = 0;
        for (int i = 0; i < 8; i++) {
            char c = pattern.charAt(i);
            tag <<= 4;
            mask <<= 4;
            if (c != 'x') {
                tag |= Character.digit(c, 16);
                mask |= 0xF;
            }
        }
        return new int[] {tag, mask};
    }

    static List<VR> parseVRs(String field) {
        if (field.isEmpty()) {
            return List.of();
        }
        List<VR> vrs = new ArrayList<>(1);
        for (String code : field.split(",")) {
            vrs.add(VR.valueOf(code));
        }
        return vrs;
    }

    public static void readTsv(String resource, Consumer<String[]> row) {
        try (InputStream in = DictionaryData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dictionary resource " + resource + " is missing from the bundle");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isEmpty() && line.charAt(0) != '#') {
                    row.accept(line.split("\t", -1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dictionary resource " + resource, e);
        }
    }
}
