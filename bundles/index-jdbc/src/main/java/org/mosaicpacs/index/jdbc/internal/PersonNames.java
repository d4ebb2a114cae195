package org.mosaicpacs.index.jdbc.internal;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.codec.language.DoubleMetaphone;
import org.mosaicpacs.dicom.PersonName;

/**
 * Person name forms for matching (PS3.4 C.2.2.2.1: PN matching may ignore case and other
 * encoding variants). The normal form of a component group is its DICOM form ("Hong^Gildong")
 * in Unicode NFKC (so full-width and half-width forms compare equal) and upper case. The
 * phonetic key of a name is the Double Metaphone code (primary and alternate) of its alphabetic
 * family name, the sound method used for fuzzy matching; names without Latin letters have none.
 */
final class PersonNames {

    /** The component groups in PS3.5 6.2.1 order. */
    static final PersonName.Group[] GROUPS = PersonName.Group.values();

    private static final ThreadLocal<DoubleMetaphone> METAPHONE = ThreadLocal.withInitial(() -> {
        DoubleMetaphone m = new DoubleMetaphone();
        m.setMaxCodeLen(8);
        return m;
    });

    private PersonNames() {
    }

    /** The normal form of a text: NFKC, upper case. */
    static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT);
    }

    /** The component groups of a stored value in DICOM form, "" for absent ones. */
    static String[] groups(String value) {
        PersonName name = PersonName.parse(value);
        String[] groups = new String[GROUPS.length];
        for (int g = 0; g < groups.length; g++) {
            groups[g] = name.group(GROUPS[g]);
        }
        return groups;
    }

    /**
     * The phonetic codes of a name component (Double Metaphone primary and alternate), empty if
     * it has no Latin letters to sound out.
     */
    static Set<String> phoneticCodes(String component) {
        Set<String> codes = new LinkedHashSet<>(2);
        // upper case first (ß becomes SS), then drop accents (NFKD splits them off) and non-letters
        String letters = Normalizer.normalize(normalize(component), Normalizer.Form.NFKD).replaceAll("[^A-Z]", "");
        if (letters.isEmpty()) {
            return codes;
        }
        DoubleMetaphone m = METAPHONE.get();
        String primary = m.doubleMetaphone(letters, false);
        if (primary != null && !primary.isEmpty()) {
            codes.add(primary);
        }
        String alternate = m.doubleMetaphone(letters, true);
        if (alternate != null && !alternate.isEmpty()) {
            codes.add(alternate);
        }
        return codes;
    }

    /** The phonetic codes of the alphabetic family name of a stored value. */
    static Set<String> familyNameCodes(String value) {
        return phoneticCodes(PersonName.parse(value).get(PersonName.Group.ALPHABETIC,
                PersonName.Component.FAMILY_NAME));
    }
}
