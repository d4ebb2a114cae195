package org.mosaicpacs.dicom;

/**
 * The 34 Value Representations of PS3.5 Table 6.2-1 with what an encoder and decoder need to
 * know about each: the explicit VR header form (PS3.5 7.1.2), the padding byte, the maximum
 * value length, whether values are text subject to Specific Character Set (PS3.5 6.1.2.3) and
 * how binary values are byte-swapped between little and big endian.
 */
public enum VR {
    /** Application Entity: 16 bytes, default repertoire. */
    AE(Kind.TEXT, false, ' ', 16, 0),
    /** Age String: 4 bytes "nnnD". */
    AS(Kind.TEXT, false, ' ', 4, 0),
    /** Attribute Tag: pairs of 16-bit unsigned integers. */
    AT(Kind.TAG, false, 0, 4, 2),
    /** Code String: 16 bytes, upper case. */
    CS(Kind.TEXT, false, ' ', 16, 0),
    /** Date YYYYMMDD (18 bytes for a range in a query). */
    DA(Kind.TEXT, false, ' ', 8, 0),
    /** Decimal String: 16 bytes. */
    DS(Kind.TEXT, false, ' ', 16, 0),
    /** Date Time YYYYMMDDHHMMSS.FFFFFF&amp;ZZXX: 26 bytes. */
    DT(Kind.TEXT, false, ' ', 26, 0),
    /** 64-bit IEEE floating point. */
    FD(Kind.FLOAT, false, 0, 8, 8),
    /** 32-bit IEEE floating point. */
    FL(Kind.FLOAT, false, 0, 4, 4),
    /** Integer String: 12 bytes. */
    IS(Kind.TEXT, false, ' ', 12, 0),
    /** Long String: 64 characters. */
    LO(Kind.TEXT, false, ' ', 64, 0),
    /** Long Text: 10240 characters, single value. */
    LT(Kind.TEXT, false, ' ', 10240, 0),
    /** Other Byte. */
    OB(Kind.BYTES, true, 0, -1, 1),
    /** Other Double (64-bit floats). */
    OD(Kind.BYTES, true, 0, -1, 8),
    /** Other Float (32-bit floats). */
    OF(Kind.BYTES, true, 0, -1, 4),
    /** Other Long (32-bit words). */
    OL(Kind.BYTES, true, 0, -1, 4),
    /** Other 64-bit Very Long. */
    OV(Kind.BYTES, true, 0, -1, 8),
    /** Other Word (16-bit words). */
    OW(Kind.BYTES, true, 0, -1, 2),
    /** Person Name: 64 characters per component group. */
    PN(Kind.TEXT, false, ' ', 64, 0),
    /** Short String: 16 characters. */
    SH(Kind.TEXT, false, ' ', 16, 0),
    /** Signed Long (32 bit). */
    SL(Kind.INT, false, 0, 4, 4),
    /** Sequence of Items. */
    SQ(Kind.SEQUENCE, true, 0, -1, 0),
    /** Signed Short (16 bit). */
    SS(Kind.INT, false, 0, 2, 2),
    /** Short Text: 1024 characters, single value. */
    ST(Kind.TEXT, false, ' ', 1024, 0),
    /** Signed 64-bit Very Long. */
    SV(Kind.INT, true, 0, 8, 8),
    /** Time HHMMSS.FFFFFF (28 bytes for a range in a query). */
    TM(Kind.TEXT, false, ' ', 14, 0),
    /** Unlimited Characters. */
    UC(Kind.TEXT, true, ' ', -1, 0),
    /** Unique Identifier: 64 bytes, padded with NUL. */
    UI(Kind.TEXT, false, 0, 64, 0),
    /** Unsigned Long (32 bit). */
    UL(Kind.INT, false, 0, 4, 4),
    /** Unknown: bytes as encoded in Implicit VR Little Endian (PS3.5 6.2.2). */
    UN(Kind.BYTES, true, 0, -1, 1),
    /** Universal Resource Identifier (RFC 3986), single value, default repertoire. */
    UR(Kind.TEXT, true, ' ', -1, 0),
    /** Unsigned Short (16 bit). */
    US(Kind.INT, false, 0, 2, 2),
    /** Unlimited Text, single value. */
    UT(Kind.TEXT, true, ' ', -1, 0),
    /** Unsigned 64-bit Very Long. */
    UV(Kind.INT, true, 0, 8, 8);

    /** What kind of value a VR holds. */
    public enum Kind {
        /** Character strings; multiple values separated by backslash unless single-valued. */
        TEXT,
        /** Binary integers of {@link #bytesPerValue()} bytes each. */
        INT,
        /** Binary IEEE floats of {@link #bytesPerValue()} bytes each. */
        FLOAT,
        /** Attribute tags, 4 bytes each (group and element, each a 16-bit integer). */
        TAG,
        /** Uninterpreted bytes or words (OB, OD, OF, OL, OV, OW, UN): candidates for bulk data. */
        BYTES,
        /** A sequence of items. */
        SEQUENCE
    }

    private static final VR[] BY_CODE = new VR[26 * 26];

    static {
        for (VR vr : values()) {
            BY_CODE[vr.index()] = vr;
        }
    }

    private final Kind kind;
    private final boolean longHeader;
    private final byte padding;
    private final int maxLength;
    private final int swapUnit;

    VR(Kind kind, boolean longHeader, int padding, int maxLength, int swapUnit) {
        this.kind = kind;
        this.longHeader = longHeader;
        this.padding = (byte) padding;
        this.maxLength = maxLength;
        this.swapUnit = swapUnit;
    }

    private int index() {
        return (name().charAt(0) - 'A') * 26 + name().charAt(1) - 'A';
    }

    /** The VR whose two-letter code are these bytes (as they appear in an explicit VR header), or null. */
    public static VR fromCode(int first, int second) {
        int a = first - 'A';
        int b = second - 'A';
        if (a < 0 || a >= 26 || b < 0 || b >= 26) {
            return null;
        }
        return BY_CODE[a * 26 + b];
    }

    /** What kind of value this VR holds. */
    public Kind kind() {
        return kind;
    }

    /** The two-letter code as a 16-bit number, first letter in the high byte ('P' 'N' = 0x504E). */
    public int code() {
        return name().charAt(0) << 8 | name().charAt(1);
    }

    /**
     * True for the VRs whose Explicit VR header has two reserved bytes and a 32-bit length
     * (PS3.5 Table 7.1-1): OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV.
     */
    public boolean hasLongExplicitHeader() {
        return longHeader;
    }

    /** The Explicit VR header length in bytes: 8 or 12. */
    public int explicitHeaderLength() {
        return longHeader ? 12 : 8;
    }

    /** The byte that pads a value to even length: space for text, NUL for UI and binary values. */
    public byte paddingByte() {
        return padding;
    }

    /**
     * The maximum length of one value: bytes for fixed-size and default-repertoire VRs, characters
     * for LO, SH, ST, LT and per component group for PN; -1 when limited only by the 32-bit length.
     */
    public int maxLength() {
        return maxLength;
    }

    /** True for string VRs. */
    public boolean isText() {
        return kind == Kind.TEXT;
    }

    /** True for binary numbers and tags (US, SS, UL, SL, UV, SV, FL, FD, AT). */
    public boolean isBinaryNumber() {
        return kind == Kind.INT || kind == Kind.FLOAT || kind == Kind.TAG;
    }

    /**
     * True for the VRs whose characters are subject to Specific Character Set (0008,0005):
     * SH, LO, ST, LT, UT, PN and UC (PS3.5 6.1.2.3). Others use the default repertoire.
     */
    public boolean usesSpecificCharacterSet() {
        return switch (this) {
            case SH, LO, ST, LT, UT, PN, UC -> true;
            default -> false;
        };
    }

    /** False for the text VRs that hold exactly one value in which backslash is an ordinary character. */
    public boolean allowsMultipleValues() {
        return switch (this) {
            case LT, ST, UT, UR, SQ -> false;
            default -> true;
        };
    }

    /**
     * The size in bytes of one binary value (2 for US, 8 for FD, 4 for AT), 0 for text and
     * sequences, 1 for OB and UN.
     */
    public int bytesPerValue() {
        return kind == Kind.TAG ? 4 : swapUnit;
    }

    /**
     * The unit of byte swapping between little and big endian: 2 for OW, US, SS, AT; 4 for OF,
     * OL, FL, UL, SL; 8 for OD, OV, FD, SV, UV; 1 (no swapping) for OB and UN; 0 for text and SQ.
     */
    public int swapUnit() {
        return swapUnit;
    }

    /** True if leading spaces are insignificant too (PS3.5 Table 6.2-1), not only trailing ones. */
    public boolean trimsLeadingSpaces() {
        return switch (this) {
            case AE, CS, DS, IS, LO, SH, UR, AS, DA, TM, DT, UI -> true;
            default -> false;
        };
    }
}
