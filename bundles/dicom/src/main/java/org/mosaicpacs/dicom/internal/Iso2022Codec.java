package org.mosaicpacs.dicom.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.util.List;

/**
 * Decoder and encoder for Specific Character Sets with ISO 2022 code extensions (PS3.5 6.1.2.5):
 * escape sequences designate character sets into G0 (bytes 0x21-0x7E) and G1 (0xA1-0xFE), and the
 * designation of value 1 is active again at every delimiter (PS3.5 6.1.2.5.3).
 */
public final class Iso2022Codec {

    private static final byte ESC = 0x1B;

    private final List<CodeElement> elements;
    private final CodeElement initialG0;
    private final CodeElement initialG1;

    /**
     * @param elements the code elements in the order of the Specific Character Set values
     * @param initialG0 designated into G0 at the start of a value and at delimiters
     * @param initialG1 designated into G1 at the start of a value and at delimiters, or null
     */
    public Iso2022Codec(List<CodeElement> elements, CodeElement initialG0, CodeElement initialG1) {
        this.elements = List.copyOf(elements);
        this.initialG0 = initialG0;
        this.initialG1 = initialG1;
    }

    /** True for the bytes at which the escape state returns to the initial one for a VR. */
    static boolean isDelimiter(int c, boolean personName, boolean multiValued) {
        return c == '\r' || c == '\n' || c == '\t' || c == '\f'
                || multiValued && c == '\\' || personName && (c == '^' || c == '=');
    }

    /** Decodes one element value (all its values, backslashes included). */
    public String decode(byte[] b, int off, int len, boolean personName, boolean multiValued) {
        StringBuilder out = new StringBuilder(len);
        CodeElement g0 = initialG0;
        CodeElement g1 = initialG1;
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c == ESC) {
                CodeElement e = CodeElement.byEscape(b, i, end);
                if (e != null) {
                    if (e.graphicSet == 0) {
                        g0 = e;
                    } else {
                        g1 = e;
                    }
                    i += e.escape.length;
                    continue;
                }
                out.append((char) c);
                i++;
            } else if (c < 0x80) {
                if (g0.bytesPerChar == 2 && c >= 0x21 && c < 0x7F && i + 1 < end) {
                    i = decodePair(b, i, g0, out);
                } else {
                    if (isDelimiter(c, personName, multiValued)) {
                        g0 = initialG0;
                        g1 = initialG1;
                    }
                    out.append((char) c);
                    i++;
                }
            } else if (g1 == null) {
                out.append((char) c); // undeclared: read as ISO 8859-1, as pydicom does
                i++;
            } else if (g1.bytesPerChar == 2 && i + 1 < end && (b[i + 1] & 0xFF) >= 0x80) {
                out.append(new String(b, i, 2, g1.charset));
                i += 2;
            } else {
                out.append(new String(b, i, 1, g1.charset));
                i++;
            }
        }
        return out.toString();
    }

    private static int decodePair(byte[] b, int i, CodeElement g0, StringBuilder out) {
        // JIS X 0208 in G0 maps to EUC-JP's code set 1, JIS X 0212 to code set 3 (after SS3 0x8F)
        byte[] euc = g0 == CodeElement.IR159
                ? new byte[] {(byte) 0x8F, (byte) (b[i] | 0x80), (byte) (b[i + 1] | 0x80)}
                : new byte[] {(byte) (b[i] | 0x80), (byte) (b[i + 1] | 0x80)};
        out.append(new String(euc, g0.charset));
        return i + 2;
    }

    /**
     * Encodes one element value: each character in the active set if possible, else in the
     * first set of the Specific Character Set that has it, designated by its escape sequence;
     * the initial sets are designated again before delimiters and at the end (PS3.5 6.1.2.5.3).
     *
     * @throws IllegalArgumentException if a character is in none of the sets
     */
    public byte[] encode(String value, boolean personName, boolean multiValued) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length() + 16);
        CodeElement g0 = initialG0;
        CodeElement g1 = initialG1;
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp < 0x80) {
                if (isDelimiter(cp, personName, multiValued)) {
                    g0 = restore(out, g0, initialG0);
                    g1 = restoreG1(out, g1);
                } else if (g0.bytesPerChar == 2) {
                    g0 = restore(out, g0, initialG0);
                }
                out.write(cp);
                i += n;
                continue;
            }
            String ch = value.substring(i, i + n);
            byte[] bytes;
            if (g1 != null && (bytes = encodeIn(g1, ch)) != null) {
                out.writeBytes(bytes);
            } else if (g0.bytesPerChar == 2 && (bytes = encodeIn(g0, ch)) != null) {
                out.writeBytes(bytes);
            } else {
                CodeElement found = null;
                bytes = null;
                for (CodeElement e : elements) {
                    if (e.graphicSet == 0 && e.bytesPerChar == 1) {
                        continue;
                    }
                    if ((bytes = encodeIn(e, ch)) != null) {
                        found = e;
                        break;
                    }
                }
                if (found == null) {
                    throw new IllegalArgumentException("character U+" + Integer.toHexString(cp).toUpperCase()
                            + " is in none of the declared character sets " + elements);
                }
                out.writeBytes(found.escape);
                if (found.graphicSet == 0) {
                    g0 = found;
                } else {
                    g1 = found;
                }
                out.writeBytes(bytes);
            }
            i += n;
        }
        restore(out, g0, initialG0);
        restoreG1(out, g1);
        return out.toByteArray();
    }

    private static CodeElement restore(ByteArrayOutputStream out, CodeElement current, CodeElement wanted) {
        if (current != wanted) {
            out.writeBytes(wanted.escape);
        }
        return wanted;
    }

    private CodeElement restoreG1(ByteArrayOutputStream out, CodeElement current) {
        if (current != initialG1 && initialG1 != null) {
            out.writeBytes(initialG1.escape);
        }
        return initialG1;
    }

    /** The bytes of one character in a set as they appear in the ISO 2022 stream, or null. */
    private static byte[] encodeIn(CodeElement e, String ch) {
        CharsetEncoder encoder = e.charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bb;
        try {
            bb = encoder.encode(CharBuffer.wrap(ch));
        } catch (CharacterCodingException ex) {
            return null;
        }
        byte[] b = new byte[bb.remaining()];
        bb.get(b);
        switch (e) {
            case IR87:
                return b.length == 2 && (b[0] & 0xFF) >= 0xA1 ? new byte[] {(byte) (b[0] & 0x7F), (byte) (b[1] & 0x7F)}
                        : null;
            case IR159:
                return b.length == 3 && (b[0] & 0xFF) == 0x8F
                        ? new byte[] {(byte) (b[1] & 0x7F), (byte) (b[2] & 0x7F)} : null;
            case IR13:
                return b.length == 1 && (b[0] & 0xFF) >= 0xA1 && (b[0] & 0xFF) <= 0xDF ? b : null;
            default:
                if (e.bytesPerChar == 2) {
                    return b.length == 2 && (b[0] & 0xFF) >= 0xA1 ? b : null;
                }
                return b.length == 1 && (b[0] & 0xFF) >= 0xA0 ? b : null;
        }
    }
}
