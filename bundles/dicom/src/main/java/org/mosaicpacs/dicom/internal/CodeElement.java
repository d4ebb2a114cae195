package org.mosaicpacs.dicom.internal;

import java.nio.charset.Charset;

/**
 * The character sets a Specific Character Set (0008,0005) term can name (PS3.3 C.12.1.1.2,
 * PS3.5 6.1.2.5): which ISO 2022 graphic set (G0 or G1) it occupies, the escape sequence that
 * designates it, and the Java charset that maps its bytes.
 */
public enum CodeElement {
    /** ISO-IR 6, ASCII (G0). */
    IR6(0, "\u001b(B", "US-ASCII", 1),
    /** ISO-IR 14, JIS X 0201 Romaji (G0); decoded like ASCII, as DCMTK and pydicom do (0x5C is the delimiter). */
    IR14(0, "\u001b(J", "US-ASCII", 1),
    /** ISO-IR 13, JIS X 0201 Katakana (G1). */
    IR13(1, "\u001b)I", "JIS_X0201", 1),
    IR100(1, "\u001b-A", "ISO-8859-1", 1),
    IR101(1, "\u001b-B", "ISO-8859-2", 1),
    IR109(1, "\u001b-C", "ISO-8859-3", 1),
    IR110(1, "\u001b-D", "ISO-8859-4", 1),
    IR144(1, "\u001b-L", "ISO-8859-5", 1),
    IR127(1, "\u001b-G", "ISO-8859-6", 1),
    IR126(1, "\u001b-F", "ISO-8859-7", 1),
    IR138(1, "\u001b-H", "ISO-8859-8", 1),
    IR148(1, "\u001b-M", "ISO-8859-9", 1),
    IR166(1, "\u001b-T", "TIS-620", 1),
    /** ISO-IR 87, JIS X 0208 Kanji (G0, two bytes 0x21-0x7E, mapped through EUC-JP). */
    IR87(0, "\u001b$B", "EUC-JP", 2),
    /** ISO-IR 159, JIS X 0212 supplementary Kanji (G0, mapped through EUC-JP with SS3). */
    IR159(0, "\u001b$(D", "EUC-JP", 2),
    /** ISO-IR 149, KS X 1001 Hangul and Hanja (G1, two bytes 0xA1-0xFE, EUC-KR). */
    IR149(1, "\u001b$)C", "EUC-KR", 2),
    /** ISO-IR 58, GB 2312 (G1, EUC-CN). */
    IR58(1, "\u001b$)A", "GB2312", 2);

    final int graphicSet;
    final byte[] escape;
    final Charset charset;
    final int bytesPerChar;

    CodeElement(int graphicSet, String escape, String charset, int bytesPerChar) {
        this.graphicSet = graphicSet;
        this.escape = escape.getBytes(Charset.forName("US-ASCII"));
        this.charset = Charset.forName(charset);
        this.bytesPerChar = bytesPerChar;
    }

    /** The Java charset that maps this set's bytes (for two-byte sets in their EUC form). */
    public Charset charset() {
        return charset;
    }

    /** True for the sets designated into G1 (bytes 0xA0-0xFF). */
    public boolean isG1() {
        return graphicSet == 1;
    }

    /** The code element designated by the escape sequence starting at {@code b[off]} (ESC), or null. */
    static CodeElement byEscape(byte[] b, int off, int end) {
        for (CodeElement e : values()) {
            if (e.escape.length <= end - off && java.util.Arrays.equals(b, off, off + e.escape.length,
                    e.escape, 0, e.escape.length)) {
                return e;
            }
        }
        return null;
    }

    /** The code element of a defined term without its ISO_IR / ISO 2022 IR prefix: "100", "2022 IR 87". */
    public static CodeElement byNumber(String irNumber) {
        return switch (irNumber) {
            case "6" -> IR6;
            case "13" -> IR13;
            case "100" -> IR100;
            case "101" -> IR101;
            case "109" -> IR109;
            case "110" -> IR110;
            case "144" -> IR144;
            case "127" -> IR127;
            case "126" -> IR126;
            case "138" -> IR138;
            case "148" -> IR148;
            case "166" -> IR166;
            case "87" -> IR87;
            case "159" -> IR159;
            case "149" -> IR149;
            case "58" -> IR58;
            default -> null;
        };
    }
}
