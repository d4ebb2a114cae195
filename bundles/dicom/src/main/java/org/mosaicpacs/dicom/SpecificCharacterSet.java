package org.mosaicpacs.dicom;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.mosaicpacs.dicom.internal.CodeElement;
import org.mosaicpacs.dicom.internal.Iso2022Codec;

/**
 * The character repertoire of text values, as Specific Character Set (0008,0005) declares it
 * (PS3.3 C.12.1.1.2, PS3.5 6.1): the default repertoire, one of the single-byte sets ISO_IR 100,
 * 101, 109, 110, 144, 127, 126, 138, 148, 166 and 13, the stand-alone sets ISO_IR 192 (UTF-8),
 * GB18030 and GBK, or ISO 2022 code extensions ("ISO 2022 IR 6", 100, ..., 87, 159, 149, 58, 13)
 * switched by escape sequences.
 *
 * <p>Only SH, LO, ST, LT, UT, PN and UC values use it ({@link VR#usesSpecificCharacterSet()});
 * other text VRs are decoded as ISO 8859-1 so that no byte is lost. Bytes outside the declared
 * repertoire are decoded leniently (undeclared high bytes as ISO 8859-1, like pydicom and DCMTK);
 * encoding is strict. Immutable and thread-safe.
 */
public final class SpecificCharacterSet {

    /** The default repertoire (no Specific Character Set). */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[0]);
    /** ISO_IR 192, UTF-8. */
    public static final SpecificCharacterSet UTF_8 = new SpecificCharacterSet(new String[] {"ISO_IR 192"});

    private final String[] terms;
    /** Set when no escape processing is needed: the whole value maps through this charset. */
    private final Charset standalone;
    /** Set when ISO 2022 code extensions are used. */
    private final Iso2022Codec iso2022;

    private SpecificCharacterSet(String[] terms) {
        this.terms = terms;
        String first = terms.length == 0 ? "" : normalize(terms[0]);
        Charset standaloneSet = switch (first) {
            case "ISOIR192", "ISO2022IR192", "UTF8" -> StandardCharsets.UTF_8;
            case "GB18030" -> Charset.forName("GB18030");
            case "GBK", "ISO2022GBK" -> Charset.forName("GBK");
            default -> null;
        };
        List<CodeElement> elements = new ArrayList<>();
        for (String term : terms) {
            CodeElement e = codeElement(normalize(term));
            if (e != null) {
                elements.add(e);
            }
        }
        CodeElement firstElement = codeElement(first);
        boolean extensions = terms.length > 1 || first.startsWith("ISO2022") || firstElement == CodeElement.IR13;
        if (standaloneSet != null || firstElement == null || !extensions) {
            // stand-alone sets never use code extensions (PS3.5 6.1.2.5.4 d); unknown terms read as ISO 8859-1
            this.standalone = standaloneSet != null ? standaloneSet
                    : firstElement == null || firstElement == CodeElement.IR6 ? StandardCharsets.ISO_8859_1
                    : firstElement.charset();
            this.iso2022 = null;
        } else {
            CodeElement g0 = firstElement == CodeElement.IR13 ? CodeElement.IR14 : CodeElement.IR6;
            CodeElement g1 = firstElement.isG1() ? firstElement : null;
            this.iso2022 = new Iso2022Codec(elements, g0, g1);
            this.standalone = null;
        }
    }

    /** The code element of a normalized term ("" is ISO-IR 6), null if unknown. */
    private static CodeElement codeElement(String normalized) {
        if (normalized.isEmpty()) {
            return CodeElement.IR6;
        }
        String number = normalized.startsWith("ISO2022IR") ? normalized.substring(9)
                : normalized.startsWith("ISOIR") ? normalized.substring(5) : "";
        return CodeElement.byNumber(number);
    }

    /** "ISO_IR 100", "ISO-IR 100", "iso_ir_100" all become "ISOIR100". */
    private static String normalize(String term) {
        StringBuilder b = new StringBuilder(term.length());
        for (char c : term.strip().toUpperCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * The character set for the values of Specific Character Set (0008,0005); no values (or a
     * single empty one) is the default repertoire. Unknown terms count as the default repertoire.
     */
    public static SpecificCharacterSet of(String... terms) {
        if (terms == null || terms.length == 0 || terms.length == 1 && terms[0].isBlank()) {
            return DEFAULT;
        }
        if (terms.length == 1 && normalize(terms[0]).equals("ISOIR192")) {
            return UTF_8;
        }
        return new SpecificCharacterSet(terms.clone());
    }

    /** The defined terms as given, e.g. ["", "ISO 2022 IR 149"]. */
    public List<String> terms() {
        return List.of(terms);
    }

    /** True for the default repertoire. */
    public boolean isDefault() {
        return terms.length == 0;
    }

    /** True if values may contain ISO 2022 escape sequences (PS3.5 6.1.2.5). */
    public boolean usesCodeExtensions() {
        return iso2022 != null;
    }

    /**
     * Decodes a whole element value (backslash-separated values included) of a VR that uses the
     * Specific Character Set; for other VRs the bytes are read as ISO 8859-1.
     */
    public String decode(byte[] bytes, int off, int len, VR vr) {
        if (!vr.usesSpecificCharacterSet()) {
            return new String(bytes, off, len, StandardCharsets.ISO_8859_1);
        }
        if (iso2022 != null) {
            return iso2022.decode(bytes, off, len, vr == VR.PN, vr.allowsMultipleValues());
        }
        return new String(bytes, off, len, standalone);
    }

    /** Decodes a whole element value; see {@link #decode(byte[], int, int, VR)}. */
    public String decode(byte[] bytes, VR vr) {
        return decode(bytes, 0, bytes.length, vr);
    }

    /**
     * Encodes a whole element value (backslash-separated values included) for a VR.
     *
     * @throws IllegalArgumentException if a character cannot be encoded in this character set
     *         (or, for VRs not using it, is not in ISO 8859-1)
     */
    public byte[] encode(String value, VR vr) {
        if (!vr.usesSpecificCharacterSet()) {
            return strict(StandardCharsets.ISO_8859_1, value);
        }
        if (iso2022 != null) {
            return iso2022.encode(value, vr == VR.PN, vr.allowsMultipleValues());
        }
        return strict(isDefault() ? StandardCharsets.US_ASCII : standalone, value);
    }

    /** True if {@link #encode} would succeed. */
    public boolean canEncode(String value, VR vr) {
        try {
            encode(value, vr);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] strict(Charset charset, String value) {
        try {
            ByteBuffer bb = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(value));
            byte[] b = new byte[bb.remaining()];
            bb.get(b);
            return b;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("\"" + value + "\" cannot be encoded in "
                    + (isDefault() ? "the default repertoire (set Specific Character Set)" : this), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpecificCharacterSet other) || other.terms.length != terms.length) {
            return false;
        }
        for (int i = 0; i < terms.length; i++) {
            if (!normalize(terms[i]).equals(normalize(other.terms[i]))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (String t : terms) {
            h = 31 * h + normalize(t).hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return terms.length == 0 ? "default repertoire" : String.join("\\", Arrays.asList(terms));
    }
}
