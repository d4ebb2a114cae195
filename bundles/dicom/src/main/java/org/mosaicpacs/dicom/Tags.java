package org.mosaicpacs.dicom;

/**
 * Helpers for data element tags held as {@code int}: group in the high 16 bits, element in the
 * low 16 bits (PS3.5 7.1). Constants by keyword are in {@link Tag}.
 */
public final class Tags {

    /** (FFFE,E000) Item. */
    public static final int ITEM = 0xFFFEE000;
    /** (FFFE,E00D) Item Delimitation Item. */
    public static final int ITEM_DELIMITATION = 0xFFFEE00D;
    /** (FFFE,E0DD) Sequence Delimitation Item. */
    public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    private Tags() {
    }

    /** The tag with this group and element. */
    public static int of(int group, int element) {
        return (group & 0xFFFF) << 16 | element & 0xFFFF;
    }

    /** The group number, 0..0xFFFF. */
    public static int group(int tag) {
        return tag >>> 16;
    }

    /** The element number, 0..0xFFFF. */
    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** "(gggg,eeee)" in upper-case hex, as PS3.6 writes tags. */
    public static String toString(int tag) {
        char[] c = {'(', 0, 0, 0, 0, ',', 0, 0, 0, 0, ')'};
        for (int i = 0; i < 4; i++) {
            c[4 - i] = hex(tag >>> (16 + 4 * i));
            c[9 - i] = hex(tag >>> (4 * i));
        }
        return new String(c);
    }

    /** "ggggeeee" in upper-case hex, as DICOM JSON and XML write tags (PS3.18 F.2.1.1). */
    public static String toHex(int tag) {
        char[] c = new char[8];
        for (int i = 0; i < 8; i++) {
            c[7 - i] = hex(tag >>> (4 * i));
        }
        return new String(c);
    }

    private static char hex(int nibble) {
        return "0123456789ABCDEF".charAt(nibble & 0xF);
    }

    /**
     * Parses "(0010,0010)", "0010,0010" or "00100010" (hex, any case).
     *
     * @throws IllegalArgumentException if the text is no tag
     */
    public static int parse(String text) {
        String s = text.strip();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.length() == 9 && s.charAt(4) == ',') {
            s = s.substring(0, 4) + s.substring(5);
        }
        if (s.length() != 8) {
            throw new IllegalArgumentException("not a tag: \"" + text + "\"");
        }
        try {
            return Integer.parseUnsignedInt(s, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a tag: \"" + text + "\"", e);
        }
    }

    /** True for tags of odd groups other than 0001, 0003, 0005, 0007 and FFFF (PS3.5 7.8.1). */
    public static boolean isPrivate(int tag) {
        int group = group(tag);
        return (group & 1) != 0 && group > 0x0007 && group != 0xFFFF;
    }

    /** True for a Private Creator data element (gggg,0010-00FF) of a private group (PS3.5 7.8.1). */
    public static boolean isPrivateCreator(int tag) {
        int element = element(tag);
        return isPrivate(tag) && element >= 0x0010 && element <= 0x00FF;
    }

    /**
     * The Private Creator tag that reserves the block of a private data element: (gggg,00xx)
     * for (gggg,xxee); 0 if the tag is not a private data element inside a block.
     */
    public static int privateCreatorOf(int tag) {
        int element = element(tag);
        if (!isPrivate(tag) || element < 0x1000) {
            return 0;
        }
        return (tag & 0xFFFF0000) | element >>> 8;
    }

    /** True for a group length tag (gggg,0000). */
    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

    /** True for the item and delimitation tags of group FFFE. */
    public static boolean isItemOrDelimiter(int tag) {
        return group(tag) == 0xFFFE;
    }

    /** True for File Meta Information tags (group 0002). */
    public static boolean isFileMetaInformation(int tag) {
        return group(tag) == 0x0002;
    }
}
