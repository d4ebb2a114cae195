package org.mosaicpacs.dicom;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Person Name (PN) value (PS3.5 6.2.1): up to three component groups separated by "="
 * (alphabetic, ideographic, phonetic), each of up to five components separated by "^" (family
 * name, given name, middle name, prefix, suffix). {@code Hong^Gildong=洪^吉洞=홍^길동} has all
 * three groups. Immutable; {@link #toString()} gives the DICOM form with trailing empty
 * components and groups removed.
 */
public final class PersonName {

    /** The component groups. */
    public enum Group {
        /** Single-byte characters, e.g. romanized. */
        ALPHABETIC,
        /** Ideographic characters (Kanji, Hanja, Chinese). */
        IDEOGRAPHIC,
        /** Phonetic characters (Hiragana, Katakana, Hangul). */
        PHONETIC
    }

    /** The components of a group. */
    public enum Component {
        FAMILY_NAME, GIVEN_NAME, MIDDLE_NAME, NAME_PREFIX, NAME_SUFFIX
    }

    private final String[][] parts; // [group][component], never null

    private PersonName(String[][] parts) {
        this.parts = parts;
    }

    /** Parses the DICOM form, e.g. "Yamada^Tarou=山田^太郎=やまだ^たろう". Extra groups and components are kept in the last one. */
    public static PersonName parse(String value) {
        String[][] parts = new String[3][5];
        for (String[] g : parts) {
            Arrays.fill(g, "");
        }
        String[] groups = Objects.requireNonNull(value, "value").split("=", 3);
        for (int g = 0; g < groups.length; g++) {
            String[] comps = groups[g].split("\\^", 5);
            for (int c = 0; c < comps.length; c++) {
                parts[g][c] = c == 0 ? comps[c].stripLeading() : comps[c];
            }
            String[] last = parts[g];
            int n = comps.length - 1;
            last[n] = last[n].stripTrailing();
        }
        return new PersonName(parts);
    }

    /** A name with only alphabetic family and given names. */
    public static PersonName of(String familyName, String givenName) {
        return parse("").with(Group.ALPHABETIC, Component.FAMILY_NAME, familyName)
                .with(Group.ALPHABETIC, Component.GIVEN_NAME, givenName);
    }

    /** One component; "" if absent. */
    public String get(Group group, Component component) {
        return parts[group.ordinal()][component.ordinal()];
    }

    /** The alphabetic family name; "" if absent. */
    public String familyName() {
        return get(Group.ALPHABETIC, Component.FAMILY_NAME);
    }

    /** The alphabetic given name; "" if absent. */
    public String givenName() {
        return get(Group.ALPHABETIC, Component.GIVEN_NAME);
    }

    /** A copy with one component replaced. */
    public PersonName with(Group group, Component component, String text) {
        if (text != null && (text.indexOf('^') >= 0 || text.indexOf('=') >= 0 || text.indexOf('\\') >= 0)) {
            throw new IllegalArgumentException("a name component cannot contain ^, = or \\: " + text);
        }
        String[][] copy = new String[3][];
        for (int g = 0; g < 3; g++) {
            copy[g] = parts[g].clone();
        }
        copy[group.ordinal()][component.ordinal()] = text == null ? "" : text;
        return new PersonName(copy);
    }

    /** One component group in DICOM form ("Hong^Gildong"), "" if empty. */
    public String group(Group group) {
        String[] comps = parts[group.ordinal()];
        int n = comps.length;
        while (n > 0 && comps[n - 1].isEmpty()) {
            n--;
        }
        return String.join("^", Arrays.asList(comps).subList(0, n));
    }

    /** True if every component is empty. */
    public boolean isEmpty() {
        return toString().isEmpty();
    }

    /** The DICOM form: groups joined by "=", trailing empty groups and components removed. */
    @Override
    public String toString() {
        String[] groups = {group(Group.ALPHABETIC), group(Group.IDEOGRAPHIC), group(Group.PHONETIC)};
        int n = 3;
        while (n > 0 && groups[n - 1].isEmpty()) {
            n--;
        }
        return String.join("=", Arrays.asList(groups).subList(0, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonName other && Arrays.deepEquals(parts, other.parts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(parts);
    }
}
