package org.mosaicpacs.dicom;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.mosaicpacs.dicom.internal.Bytes;
import org.mosaicpacs.dicom.internal.DateTimes;

/**
 * A DICOM data set: data elements kept in ascending tag order (PS3.5 7.1), each with its VR and
 * value. Tags are {@code int}s in a sorted array (see {@link Tag} for constants).
 *
 * <h2>Values</h2>
 * Values are held compactly and decoded on access:
 * <ul>
 * <li>text VRs as the bytes read (in the character set this data set was read with) or as the
 *     string last set; {@link #getStrings} decodes with Specific Character Set, splits multiple
 *     values at backslashes and removes insignificant padding (PS3.5 6.2);</li>
 * <li>binary numbers and OB/OW/OF/OD/OL/OV/UN as bytes in little endian order (values read from
 *     big endian are swapped once on reading);</li>
 * <li>sequences as {@link Sequence}s of nested data sets, encapsulated Pixel Data as
 *     {@link Fragments}, large values as {@link BulkData} references.</li>
 * </ul>
 * Typed getters convert: {@link #getInts} reads US, SS, UL, SL, IS, DS...; {@link #getDate}
 * reads DA; {@link #getPersonName} reads PN. Getters return a default ({@code null}, 0, empty
 * array) for absent or empty elements.
 *
 * <h2>Threads</h2>
 * A data set is not thread-safe while it may be modified. {@link #freeze()} makes it (and every
 * nested item) read-only; reading never modifies internal state, so a frozen data set can be
 * shared across threads once it is safely published (through a final field, a concurrent
 * collection, an executor). {@link #readOnlyCopy()} freezes a deep copy instead.
 *
 * <h2>Equality</h2>
 * Two data sets are equal if they have the same tags, VRs and values, text compared after
 * decoding and without padding (so equal text read in different character sets is equal), IS
 * and DS values as numbers, PN values by their components, and bulk data by reference.
 */
public final class DataSet {

    private static final int[] NO_TAGS = {};
    private static final Object EMPTY = new byte[0];

    private int[] tags = NO_TAGS;
    private VR[] vrs = new VR[0];
    private Object[] values = new Object[0];
    private int size;
    private DataSet parent;
    private SpecificCharacterSet encodedCharset = SpecificCharacterSet.DEFAULT;
    private boolean readOnly;

    /** An empty data set. */
    public DataSet() {
    }

    /** An empty data set with room for {@code capacity} elements. */
    public DataSet(int capacity) {
        tags = new int[capacity];
        vrs = new VR[capacity];
        values = new Object[capacity];
    }

    // ---------------------------------------------------------------- structure

    /** The number of elements at this level (items of sequences not counted). */
    public int size() {
        return size;
    }

    /** True if there are no elements. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The tag of the i-th element in ascending tag order. */
    public int tagAt(int index) {
        Objects.checkIndex(index, size);
        return tags[index];
    }

    /** The VR of the i-th element. */
    public VR vrAt(int index) {
        Objects.checkIndex(index, size);
        return vrs[index];
    }

    /** All tags in ascending order (a copy). */
    public int[] tags() {
        return Arrays.copyOf(tags, size);
    }

    /** The data set that holds this one as a sequence item, or null at the top level. */
    public DataSet parent() {
        return parent;
    }

    /** True if the element is present (possibly with an empty value). */
    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    /** True if the element with this PS3.6 keyword is present. */
    public boolean contains(String keyword) {
        return contains(ElementDictionary.tagOf(keyword));
    }

    /** True if the element is present with a non-empty value. */
    public boolean containsValue(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return false;
        }
        Object v = values[i];
        if (v instanceof byte[] b) {
            return vrs[i].isText() ? !decodeText(i).isBlank() : b.length > 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Sequence seq) {
            return !seq.isEmpty();
        }
        return v != null;
    }

    /** The VR of an element, or null if absent. */
    public VR vr(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : vrs[i];
    }

    private int indexOf(int tag) {
        // tags are compared unsigned: (FFFE,E000) sorts last, (0008,0005) before it
        int key = tag ^ Integer.MIN_VALUE;
        int lo = 0;
        int hi = size - 1;
        if (hi >= 0 && (tags[hi] ^ Integer.MIN_VALUE) < key) {
            return -(size + 1);
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = tags[mid] ^ Integer.MIN_VALUE;
            if (v < key) {
                lo = mid + 1;
            } else if (v > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    // ---------------------------------------------------------------- character sets

    /**
     * The Specific Character Set in effect here: this data set's (0008,0005), else its parent's
     * (PS3.5 7.5.1: items inherit it), else the default repertoire.
     */
    public SpecificCharacterSet specificCharacterSet() {
        for (DataSet ds = this; ds != null; ds = ds.parent) {
            int i = ds.indexOf(Tag.SpecificCharacterSet);
            if (i >= 0) {
                return SpecificCharacterSet.of(ds.getStrings(Tag.SpecificCharacterSet));
            }
        }
        return SpecificCharacterSet.DEFAULT;
    }

    /**
     * The character set the text bytes held in this data set are encoded in: the one in effect
     * when it was read. Writers re-encode text when it differs from {@link #specificCharacterSet()}.
     */
    public SpecificCharacterSet encodedCharacterSet() {
        return encodedCharset;
    }

    /**
     * Declares the character set of text bytes added with {@link #setBytes} or read into this data
     * set; used by readers. Text already held as bytes is decoded first, so that it keeps its
     * characters.
     */
    public void setEncodedCharacterSet(SpecificCharacterSet charset) {
        checkWritable();
        Objects.requireNonNull(charset, "charset");
        if (charset.equals(encodedCharset)) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (vrs[i].usesSpecificCharacterSet() && values[i] instanceof byte[]) {
                values[i] = decodeText(i);
            }
        }
        encodedCharset = charset;
    }

    // ---------------------------------------------------------------- raw access for readers and writers

    /**
     * The value of an element as held: {@code byte[]} (text bytes, or binary values in little
     * endian), {@code String} (text), {@link Sequence}, {@link Fragments} or {@link BulkData};
     * null if absent. Arrays are not copied: callers must not modify them. Meant for encoders
     * (writers, DICOM JSON and XML); applications use the typed getters.
     */
    public Object getValue(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : values[i];
    }

    /** The value of the i-th element as held; see {@link #getValue(int)}. */
    public Object valueAt(int index) {
        Objects.checkIndex(index, size);
        return values[index];
    }

    private void put(int tag, VR vr, Object value) {
        checkWritable();
        Objects.requireNonNull(vr, "vr");
        if (Tags.isItemOrDelimiter(tag)) {
            throw new IllegalArgumentException("item and delimitation tags are not data elements: " + Tags.toString(tag));
        }
        int i = indexOf(tag);
        if (i >= 0) {
            detachValue(values[i]);
            vrs[i] = vr;
            values[i] = value;
            return;
        }
        i = -i - 1;
        if (size == tags.length) {
            int capacity = Math.max(8, size + (size >> 1));
            tags = Arrays.copyOf(tags, capacity);
            vrs = Arrays.copyOf(vrs, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        if (i < size) {
            System.arraycopy(tags, i, tags, i + 1, size - i);
            System.arraycopy(vrs, i, vrs, i + 1, size - i);
            System.arraycopy(values, i, values, i + 1, size - i);
        }
        tags[i] = tag;
        vrs[i] = vr;
        values[i] = value;
        size++;
    }

    private static void detachValue(Object value) {
        if (value instanceof Sequence seq) {
            for (DataSet item : seq) {
                item.detach();
            }
        }
    }

    // ---------------------------------------------------------------- setters

    /** Sets an element with an empty value. */
    public void setNull(int tag, VR vr) {
        put(tag, vr, vr == VR.SQ ? new Sequence(this, tag, 0) : EMPTY);
    }

    /**
     * Sets the raw value: little-endian bytes for binary VRs, bytes in
     * {@link #encodedCharacterSet()} for text VRs (copied).
     */
    public void setBytes(int tag, VR vr, byte[] value) {
        if (vr == VR.SQ) {
            throw new IllegalArgumentException("use newSequence for SQ");
        }
        put(tag, vr, value == null ? EMPTY : value.clone());
    }

    /** Sets text values (joined with backslash) with the VR of the data dictionary. */
    public void setString(int tag, String... values) {
        setString(tag, dictionaryVR(tag), values);
    }

    /**
     * Sets text values, joined with backslash; for binary numeric VRs the strings are parsed as
     * numbers ({@code setString(Tag.Rows, VR.US, "512")}).
     */
    public void setString(int tag, VR vr, String... values) {
        if (vr.isText()) {
            for (String v : values) {
                if (v != null && v.indexOf('\\') >= 0 && vr.allowsMultipleValues()) {
                    throw new IllegalArgumentException("a " + vr + " value cannot contain a backslash: " + v);
                }
            }
            String joined = String.join("\\", Arrays.stream(values).map(v -> v == null ? "" : v).toList());
            put(tag, vr, joined.isEmpty() ? EMPTY : joined);
        } else if (vr.kind() == VR.Kind.FLOAT) {
            setDouble(tag, vr, Arrays.stream(values).mapToDouble(Double::parseDouble).toArray());
        } else if (vr.isBinaryNumber()) {
            long[] n = new long[values.length];
            for (int i = 0; i < n.length; i++) {
                n[i] = vr == VR.AT ? Integer.toUnsignedLong(Tags.parse(values[i])) : Long.parseLong(values[i].strip());
            }
            setLong(tag, vr, n);
        } else {
            throw new IllegalArgumentException("cannot set " + vr + " from strings");
        }
    }

    /** Sets integers: binary for US, SS, UL, SL, SV, UV, AT, OW, OL; text for IS and DS. */
    public void setInt(int tag, VR vr, int... values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = vr == VR.UL || vr == VR.AT || vr == VR.OL ? Integer.toUnsignedLong(values[i]) : values[i];
        }
        setLong(tag, vr, longs);
    }

    /** Sets integers: binary for US, SS, UL, SL, SV, UV, AT, OW, OL, OV; text for IS and DS. */
    public void setLong(int tag, VR vr, long... values) {
        switch (vr) {
            case IS, DS -> put(tag, vr, joinNumbers(Arrays.stream(values).mapToObj(Long::toString).toList()));
            case FL, FD, OF, OD -> setDouble(tag, vr, Arrays.stream(values).asDoubleStream().toArray());
            default -> {
                int width = vr.bytesPerValue();
                if (width < 2 || vr.isText()) {
                    throw new IllegalArgumentException("cannot set " + vr + " from integers");
                }
                byte[] b = new byte[values.length * width];
                for (int i = 0; i < values.length; i++) {
                    long v = values[i];
                    checkRange(vr, v);
                    switch (vr == VR.AT ? 0 : width) {
                        case 0 -> {
                            Bytes.put16(b, 4 * i, (int) (v >>> 16));
                            Bytes.put16(b, 4 * i + 2, (int) v);
                        }
                        case 2 -> Bytes.put16(b, 2 * i, (int) v);
                        case 4 -> Bytes.put32(b, 4 * i, (int) v);
                        default -> Bytes.put64(b, 8 * i, v);
                    }
                }
                put(tag, vr, b);
            }
        }
    }

    private static void checkRange(VR vr, long v) {
        boolean ok = switch (vr) {
            case US, OW -> v >= 0 && v <= 0xFFFF;
            case SS -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case UL, OL, AT -> v >= 0 && v <= 0xFFFFFFFFL;
            case SL -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            default -> true;
        };
        if (!ok) {
            throw new IllegalArgumentException(v + " is out of range for " + vr);
        }
    }

    /** Sets floating point values: binary for FL, FD, OF, OD; text for DS (at most 16 characters, PS3.5 6.2). */
    public void setDouble(int tag, VR vr, double... values) {
        switch (vr) {
            case DS -> put(tag, vr, joinNumbers(Arrays.stream(values).mapToObj(DataSet::formatDS).toList()));
            case FL, OF -> {
                byte[] b = new byte[values.length * 4];
                for (int i = 0; i < values.length; i++) {
                    Bytes.put32(b, 4 * i, Float.floatToRawIntBits((float) values[i]));
                }
                put(tag, vr, b);
            }
            case FD, OD -> {
                byte[] b = new byte[values.length * 8];
                for (int i = 0; i < values.length; i++) {
                    Bytes.put64(b, 8 * i, Double.doubleToRawLongBits(values[i]));
                }
                put(tag, vr, b);
            }
            default -> throw new IllegalArgumentException("cannot set " + vr + " from floating point values");
        }
    }

    private static Object joinNumbers(List<String> numbers) {
        String joined = String.join("\\", numbers);
        return joined.isEmpty() ? EMPTY : joined;
    }

    /** A DS representation of at most 16 characters. */
    static String formatDS(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("DS cannot hold " + d);
        }
        String s = Double.toString(d);
        if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        for (int digits = 16; s.length() > 16 && digits > 0; digits--) {
            s = new BigDecimal(d).round(new MathContext(digits)).stripTrailingZeros().toString();
        }
        return s;
    }

    /** Sets a DA value. */
    public void setDate(int tag, LocalDate date) {
        put(tag, VR.DA, DateTimes.formatDate(date));
    }

    /** Sets a TM value (microsecond precision). */
    public void setTime(int tag, LocalTime time) {
        put(tag, VR.TM, DateTimes.formatTime(time));
    }

    /** Sets a DT value (microsecond precision, no UTC offset). */
    public void setDateTime(int tag, LocalDateTime dateTime) {
        put(tag, VR.DT, DateTimes.formatDateTime(dateTime));
    }

    /** Sets PN values. */
    public void setPersonName(int tag, PersonName... names) {
        setString(tag, VR.PN, Arrays.stream(names).map(PersonName::toString).toArray(String[]::new));
    }

    /** Sets a value that stays in its source. */
    public void setBulkData(int tag, VR vr, BulkData value) {
        put(tag, vr, Objects.requireNonNull(value, "value"));
    }

    /** Sets encapsulated Pixel Data (VR OB, PS3.5 A.4; OW if a file said so). */
    public void setFragments(int tag, VR vr, Fragments fragments) {
        if (vr != VR.OB && vr != VR.OW) {
            throw new IllegalArgumentException("encapsulated Pixel Data is OB, not " + vr);
        }
        put(tag, vr, Objects.requireNonNull(fragments, "fragments"));
    }

    /** Sets an empty sequence and returns it, replacing any element with this tag. */
    public Sequence newSequence(int tag) {
        return newSequence(tag, 1);
    }

    /** Sets an empty sequence with room for {@code capacity} items and returns it. */
    public Sequence newSequence(int tag, int capacity) {
        Sequence seq = new Sequence(this, tag, capacity);
        put(tag, VR.SQ, seq);
        return seq;
    }

    /** Removes an element; returns true if it was present. */
    public boolean remove(int tag) {
        checkWritable();
        int i = indexOf(tag);
        if (i < 0) {
            return false;
        }
        detachValue(values[i]);
        System.arraycopy(tags, i + 1, tags, i, size - i - 1);
        System.arraycopy(vrs, i + 1, vrs, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        values[size] = null;
        return true;
    }

    /** Removes every element whose tag is in [from, to] (unsigned), e.g. a whole group. */
    public void removeRange(int from, int to) {
        checkWritable();
        for (int i = size - 1; i >= 0; i--) {
            int t = tags[i] ^ Integer.MIN_VALUE;
            if (t >= (from ^ Integer.MIN_VALUE) && t <= (to ^ Integer.MIN_VALUE)) {
                remove(tags[i]);
            }
        }
    }

    /**
     * Copies every element of another data set into this one (sequences deeply), replacing
     * elements with the same tag. Text keeps its characters even if the two data sets were read
     * in different character sets.
     */
    public void addAll(DataSet other) {
        checkWritable();
        for (int i = 0; i < other.size; i++) {
            Object v = other.values[i];
            if (v instanceof Sequence seq) {
                v = seq.copyInto(this);
            } else if (v instanceof Fragments f) {
                v = f.copy();
            } else if (v instanceof byte[] && other.vrs[i].usesSpecificCharacterSet()
                    && !other.encodedCharset.equals(encodedCharset)) {
                v = other.decodeText(i);
            }
            put(other.tags[i], other.vrs[i], v);
        }
    }

    private static VR dictionaryVR(int tag) {
        DictionaryEntry e = ElementDictionary.lookup(tag);
        if (e == null) {
            throw new IllegalArgumentException("no VR known for " + Tags.toString(tag) + "; give the VR");
        }
        return e.vr();
    }

    // ---------------------------------------------------------------- private data elements

    /**
     * The Private Creator reserving the block of a private data element (gggg,xxee), or null.
     */
    public String getPrivateCreator(int tag) {
        int creatorTag = Tags.privateCreatorOf(tag);
        return creatorTag == 0 ? null : getString(creatorTag);
    }

    /**
     * The tag of private data element {@code ee} of {@code creator} in group {@code gggg}: finds
     * the block (gggg,00xx) whose Private Creator value is {@code creator} and returns
     * (gggg,xxee) (PS3.5 7.8.1). With {@code reserve}, a missing block is reserved in the first
     * free (gggg,0010-00FF) slot.
     *
     * @param tag (gggg,00ee) or (gggg,xxee) with gggg odd; xx is ignored
     * @return the tag, or -1 if the creator has no block and {@code reserve} is false
     * @throws IllegalStateException if all 240 blocks of the group are taken
     */
    public int privateTag(String creator, int tag, boolean reserve) {
        if (!Tags.isPrivate(tag)) {
            throw new IllegalArgumentException(Tags.toString(tag) + " is not in a private group");
        }
        int group = tag & 0xFFFF0000;
        int free = -1;
        for (int block = 0x10; block <= 0xFF; block++) {
            String existing = getString(group | block);
            if (existing == null) {
                if (free < 0 && !contains(group | block)) {
                    free = block;
                }
            } else if (existing.equals(creator.strip())) {
                return group | block << 8 | tag & 0xFF;
            }
        }
        if (!reserve) {
            return -1;
        }
        if (free < 0) {
            throw new IllegalStateException("no free private block in group " + Integer.toHexString(group >>> 16));
        }
        setString(group | free, VR.LO, creator);
        return group | free << 8 | tag & 0xFF;
    }

    // ---------------------------------------------------------------- text getters

    private String decodeText(int i) {
        Object v = values[i];
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof byte[] b) {
            return encodedCharset.decode(b, 0, b.length, vrs[i]);
        }
        return "";
    }

    /**
     * The values of an element as strings: text split at backslashes (not for LT, ST, UT, UR)
     * with insignificant padding removed; numbers of binary VRs in decimal, AT as "ggggeeee".
     * Empty array if absent, empty or a sequence or bulk data.
     */
    public String[] getStrings(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return new String[0];
        }
        VR vr = vrs[i];
        Object v = values[i];
        if (vr.isText()) {
            String whole = decodeText(i);
            if (whole.isEmpty()) {
                return new String[0];
            }
            String[] parts = vr.allowsMultipleValues() ? whole.split("\\\\", -1) : new String[] {whole};
            for (int p = 0; p < parts.length; p++) {
                parts[p] = trim(parts[p], vr);
            }
            if (parts.length == 1 && parts[0].isEmpty()) {
                return new String[0];
            }
            return parts;
        }
        if (vr.isBinaryNumber() && v instanceof byte[]) {
            int n = count(i);
            String[] s = new String[n];
            for (int k = 0; k < n; k++) {
                s[k] = vr == VR.AT ? Tags.toHex((int) longAt(i, k))
                        : vr.kind() == VR.Kind.FLOAT ? stringOfFloat(i, k)
                        : vr == VR.UV ? Long.toUnsignedString(longAt(i, k)) : Long.toString(longAt(i, k));
            }
            return s;
        }
        return new String[0];
    }

    private String stringOfFloat(int i, int k) {
        double d = doubleAt(i, k);
        return vrs[i] == VR.FL ? Float.toString((float) d) : Double.toString(d);
    }

    /** Removes padding: trailing spaces and NULs, and leading spaces where insignificant (PS3.5 Table 6.2-1). */
    private static String trim(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr.trimsLeadingSpaces()) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    /** The values of the element with this keyword; see {@link #getStrings(int)}. */
    public String[] getStrings(String keyword) {
        return getStrings(ElementDictionary.tagOf(keyword));
    }

    /** The first value as a string (see {@link #getStrings}), or null if absent or empty. */
    public String getString(int tag) {
        return getString(tag, null);
    }

    /** The first value as a string, or {@code defaultValue} if absent or empty. */
    public String getString(int tag, String defaultValue) {
        String[] s = getStrings(tag);
        return s.length == 0 ? defaultValue : s[0];
    }

    /** The first value of the element with this keyword, or null. */
    public String getString(String keyword) {
        return getString(ElementDictionary.tagOf(keyword));
    }

    /** The first PN value, or null if absent or empty. */
    public PersonName getPersonName(int tag) {
        String s = getString(tag);
        return s == null ? null : PersonName.parse(s);
    }

    /** All PN values. */
    public PersonName[] getPersonNames(int tag) {
        return Arrays.stream(getStrings(tag)).map(PersonName::parse).toArray(PersonName[]::new);
    }

    // ---------------------------------------------------------------- numeric getters

    private int count(int i) {
        Object v = values[i];
        VR vr = vrs[i];
        if (v instanceof byte[] b && !vr.isText()) {
            int w = vr.bytesPerValue();
            return w == 0 ? 0 : b.length / w;
        }
        return 0;
    }

    private long longAt(int i, int k) {
        byte[] b = (byte[]) values[i];
        VR vr = vrs[i];
        return switch (vr) {
            case US, OW -> Bytes.u16(b, 2 * k);
            case SS -> (short) Bytes.u16(b, 2 * k);
            case UL, OL -> Bytes.s32(b, 4 * k) & 0xFFFFFFFFL;
            case SL -> Bytes.s32(b, 4 * k);
            case SV, UV, OV -> Bytes.s64(b, 8 * k);
            case AT -> (long) Bytes.u16(b, 4 * k) << 16 | Bytes.u16(b, 4 * k + 2);
            case FL, OF, FD, OD -> (long) doubleAt(i, k);
            case OB, UN -> b[k] & 0xFF;
            default -> throw new IllegalStateException("not numeric: " + vr);
        };
    }

    private double doubleAt(int i, int k) {
        byte[] b = (byte[]) values[i];
        return switch (vrs[i]) {
            case FL, OF -> Float.intBitsToFloat(Bytes.s32(b, 4 * k));
            case FD, OD -> Double.longBitsToDouble(Bytes.s64(b, 8 * k));
            case UV -> {
                long v = Bytes.s64(b, 8 * k);
                yield v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1); // unsigned 64 bit
            }
            default -> longAt(i, k);
        };
    }

    /**
     * All values as longs: binary integers (UL and UV unsigned, UV above 2^63 wraps), AT as
     * (group &lt;&lt; 16 | element), floats truncated, IS and DS parsed.
     *
     * @throws NumberFormatException if an IS or DS value is not a number
     */
    public long[] getLongs(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return new long[0];
        }
        VR vr = vrs[i];
        if (vr.isText()) {
            String[] s = getStrings(tag);
            long[] n = new long[s.length];
            for (int k = 0; k < s.length; k++) {
                n[k] = parseInteger(s[k], vr, tag);
            }
            return n;
        }
        int n = count(i);
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            out[k] = longAt(i, k);
        }
        return out;
    }

    private static long parseInteger(String s, VR vr, int tag) {
        try {
            if (vr == VR.DS || s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                return (long) Double.parseDouble(s);
            }
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new NumberFormatException(Tags.toString(tag) + " " + vr + " value \"" + s + "\" is not a number");
        }
    }

    /** All values as ints (see {@link #getLongs}; UL above 2^31 wraps). */
    public int[] getInts(int tag) {
        return Arrays.stream(getLongs(tag)).mapToInt(l -> (int) l).toArray();
    }

    /** The first value as int, or {@code defaultValue} if absent or empty. */
    public int getInt(int tag, int defaultValue) {
        long[] v = getLongs(tag);
        return v.length == 0 ? defaultValue : (int) v[0];
    }

    /** The first value as long, or {@code defaultValue} if absent or empty. */
    public long getLong(int tag, long defaultValue) {
        long[] v = getLongs(tag);
        return v.length == 0 ? defaultValue : v[0];
    }

    /**
     * All values as doubles: FL, FD, OF, OD, binary integers, DS and IS.
     *
     * @throws NumberFormatException if a DS or IS value is not a number
     */
    public double[] getDoubles(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return new double[0];
        }
        VR vr = vrs[i];
        if (vr.isText()) {
            String[] s = getStrings(tag);
            double[] d = new double[s.length];
            for (int k = 0; k < s.length; k++) {
                try {
                    d[k] = Double.parseDouble(s[k]);
                } catch (NumberFormatException e) {
                    throw new NumberFormatException(Tags.toString(tag) + " " + vr + " value \"" + s[k] + "\" is not a number");
                }
            }
            return d;
        }
        int n = count(i);
        double[] out = new double[n];
        for (int k = 0; k < n; k++) {
            out[k] = doubleAt(i, k);
        }
        return out;
    }

    /** All values as floats; see {@link #getDoubles}. */
    public float[] getFloats(int tag) {
        double[] d = getDoubles(tag);
        float[] f = new float[d.length];
        for (int k = 0; k < d.length; k++) {
            f[k] = (float) d[k];
        }
        return f;
    }

    /** The first value as double, or {@code defaultValue} if absent or empty. */
    public double getDouble(int tag, double defaultValue) {
        double[] v = getDoubles(tag);
        return v.length == 0 ? defaultValue : v[0];
    }

    /** The first value as float, or {@code defaultValue} if absent or empty. */
    public float getFloat(int tag, float defaultValue) {
        double[] v = getDoubles(tag);
        return v.length == 0 ? defaultValue : (float) v[0];
    }

    // ---------------------------------------------------------------- dates and times

    /**
     * The first DA value, or null if absent or empty.
     *
     * @throws DateTimeException if the value is not a date
     */
    public LocalDate getDate(int tag) {
        String s = getString(tag);
        return s == null ? null : DateTimes.parseDate(s);
    }

    /**
     * The first TM value, or null if absent or empty; a partial time "1030" is 10:30:00.
     *
     * @throws DateTimeException if the value is not a time
     */
    public LocalTime getTime(int tag) {
        String s = getString(tag);
        return s == null ? null : DateTimes.parseTime(s, false);
    }

    /**
     * The first DT value without its UTC offset, or null if absent or empty; partial values are
     * completed with the earliest instant ("2020" is 2020-01-01T00:00).
     *
     * @throws DateTimeException if the value is not a date-time
     */
    public LocalDateTime getDateTime(int tag) {
        String s = getString(tag);
        return s == null ? null : DateTimes.parseDateTime(s, false);
    }

    /**
     * A DA and a TM element combined (e.g. Study Date and Study Time), or null if the date is
     * absent; a missing time is midnight.
     */
    public LocalDateTime getDateTime(int dateTag, int timeTag) {
        LocalDate d = getDate(dateTag);
        if (d == null) {
            return null;
        }
        LocalTime t = getTime(timeTag);
        return LocalDateTime.of(d, t == null ? LocalTime.MIDNIGHT : t);
    }

    /**
     * The first DT value with its offset from UTC: the value's own suffix, else Timezone Offset
     * From UTC (0008,0201) of this data set or its parents (PS3.3 C.12.1.1.8), else
     * {@code defaultOffset}; null if absent.
     */
    public OffsetDateTime getOffsetDateTime(int tag, ZoneOffset defaultOffset) {
        String s = getString(tag);
        if (s == null) {
            return null;
        }
        ZoneOffset offset = DateTimes.dateTimeOffset(s);
        for (DataSet ds = this; offset == null && ds != null; ds = ds.parent) {
            String tz = ds.getString(Tag.TimezoneOffsetFromUTC);
            if (tz != null) {
                offset = DateTimes.parseOffset(tz);
            }
        }
        return DateTimes.parseDateTime(s, false).atOffset(offset == null ? defaultOffset : offset);
    }

    /** The first DA value as a range (range matching, PS3.4 C.2.2.2.5), or null if absent or empty. */
    public Range<LocalDate> getDateRange(int tag) {
        String s = getString(tag);
        return s == null ? null : DateTimes.parseRange(s, (v, ceil) -> DateTimes.parseDate(v));
    }

    /** The first TM value as a range, or null if absent or empty. */
    public Range<LocalTime> getTimeRange(int tag) {
        String s = getString(tag);
        return s == null ? null : DateTimes.parseRange(s, DateTimes::parseTime);
    }

    /** The first DT value as a range (UTC offsets ignored), or null if absent or empty. */
    public Range<LocalDateTime> getDateTimeRange(int tag) {
        String s = getString(tag);
        return s == null ? null : DateTimes.parseRange(s, DateTimes::parseDateTime);
    }

    // ---------------------------------------------------------------- bytes, bulk data, sequences

    /**
     * A copy of the value bytes: little endian for binary VRs; for text, the value encoded in
     * {@link #encodedCharacterSet()} (or in the Specific Character Set if it was set as a
     * string). Null if absent, a sequence, fragments or bulk data.
     */
    public byte[] getBytes(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return null;
        }
        Object v = values[i];
        if (v instanceof byte[] b) {
            return b.clone();
        }
        if (v instanceof String s) {
            return specificCharacterSet().encode(s, vrs[i]);
        }
        return null;
    }

    /** The bulk data reference of an element, or null if its value is held otherwise. */
    public BulkData getBulkData(int tag) {
        return getValue(tag) instanceof BulkData b ? b : null;
    }

    /** The encapsulated Pixel Data fragments of an element, or null. */
    public Fragments getFragments(int tag) {
        return getValue(tag) instanceof Fragments f ? f : null;
    }

    /** The sequence of an SQ element, or null. */
    public Sequence getSequence(int tag) {
        return getValue(tag) instanceof Sequence s ? s : null;
    }

    /** The first item of a sequence, or null. */
    public DataSet getNestedDataSet(int sequenceTag) {
        Sequence s = getSequence(sequenceTag);
        return s == null || s.isEmpty() ? null : s.get(0);
    }

    // ---------------------------------------------------------------- copies and read-only views

    /** A deep copy: sequences and fragments copied, values shared (they are never modified in place). Modifiable. */
    public DataSet deepCopy() {
        DataSet copy = new DataSet(size);
        copy.encodedCharset = encodedCharset;
        for (int i = 0; i < size; i++) {
            Object v = values[i];
            if (v instanceof Sequence seq) {
                v = seq.copyInto(copy);
            } else if (v instanceof Fragments f) {
                v = f.copy();
            }
            copy.tags[i] = tags[i];
            copy.vrs[i] = vrs[i];
            copy.values[i] = v;
        }
        copy.size = size;
        return copy;
    }

    /**
     * Makes this data set and every nested item and fragment list read-only, and returns it.
     * Modifying methods then throw {@link UnsupportedOperationException}.
     */
    public DataSet freeze() {
        if (!readOnly) {
            readOnly = true;
            for (int i = 0; i < size; i++) {
                if (values[i] instanceof Sequence seq) {
                    seq.freeze();
                } else if (values[i] instanceof Fragments f) {
                    f.freeze();
                }
            }
        }
        return this;
    }

    /** A read-only deep copy, safe to share across threads once published. */
    public DataSet readOnlyCopy() {
        return deepCopy().freeze();
    }

    /** True after {@link #freeze()}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("read-only data set");
        }
    }

    void attachTo(DataSet newParent) {
        if (parent != null && parent != newParent) {
            throw new IllegalStateException("the item already belongs to a sequence; add a deepCopy()");
        }
        if (newParent.readOnly) {
            throw new UnsupportedOperationException("read-only data set");
        }
        parent = newParent;
    }

    void detach() {
        parent = null;
    }

    // ---------------------------------------------------------------- equality and dump

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DataSet other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (tags[i] != other.tags[i] || vrs[i] != other.vrs[i] || !valueEquals(i, other)) {
                return false;
            }
        }
        return true;
    }

    private boolean valueEquals(int i, DataSet other) {
        Object a = values[i];
        Object b = other.values[i];
        if (vrs[i].isText() && !(a instanceof BulkData) && !(b instanceof BulkData)) {
            return sameText(vrs[i], decodeText(i), other.decodeText(i));
        }
        if (a instanceof byte[] x) {
            return b instanceof byte[] y && Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    /**
     * Text values are equal if each value is without its padding (PS3.5 6.2); IS and DS values
     * if their numbers are ("1.50" is "+1.5"); PN values if their components are (trailing
     * empty components and groups are insignificant, PS3.5 6.2.1).
     */
    private static boolean sameText(VR vr, String x, String y) {
        if (x.equals(y)) {
            return true;
        }
        String[] a = vr.allowsMultipleValues() ? x.split("\\\\", -1) : new String[] {x};
        String[] b = vr.allowsMultipleValues() ? y.split("\\\\", -1) : new String[] {y};
        if (a.length != b.length) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            String p = trim(a[k], vr);
            String q = trim(b[k], vr);
            if (!p.equals(q) && !(vr == VR.PN && PersonName.parse(p).equals(PersonName.parse(q)))
                    && !((vr == VR.DS || vr == VR.IS) && sameNumber(p, q))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameNumber(String p, String q) {
        try {
            return new BigDecimal(p.startsWith("+") ? p.substring(1) : p)
                    .compareTo(new BigDecimal(q.startsWith("+") ? q.substring(1) : q)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + tags[i];
            h = 31 * h + vrs[i].hashCode();
        }
        return h;
    }

    /** A dump in the style of dcmdump, one element per line, items indented, values shortened. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        dump(b, "");
        return b.toString();
    }

    private void dump(StringBuilder b, String indent) {
        for (int i = 0; i < size; i++) {
            b.append(indent).append(Tags.toString(tags[i])).append(' ').append(vrs[i]).append(' ');
            Object v = values[i];
            if (v instanceof Sequence seq) {
                b.append(seq.size()).append(" item(s) ").append(ElementDictionary.keywordOf(tags[i])).append('\n');
                for (int k = 0; k < seq.size(); k++) {
                    b.append(indent).append("  > item ").append(k + 1).append('\n');
                    seq.get(k).dump(b, indent + "    ");
                }
                continue;
            }
            String text;
            if (v instanceof BulkData || v instanceof Fragments) {
                text = v.toString();
            } else if (vrs[i].isText() || vrs[i].isBinaryNumber()) {
                text = "[" + String.join("\\", getStrings(tags[i])) + "]";
            } else {
                text = "(" + ((byte[]) v).length + " bytes)";
            }
            if (text.length() > 80) {
                text = text.substring(0, 77) + "...";
            }
            b.append(text).append(' ').append(ElementDictionary.keywordOf(tags[i])).append('\n');
        }
    }
}
