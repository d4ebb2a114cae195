package org.mosaicpacs.dicom.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.BulkDataResolver;

/** What the DICOM JSON and Native DICOM Model XML encoders share: value forms that are not DICOM's own. */
public final class ModelValues {

    private ModelValues() {
    }

    /**
     * The three component groups of a PN value (alphabetic, ideographic, phonetic); "=" beyond
     * the third group stays in the phonetic one.
     */
    public static String[] personNameGroups(String value) {
        String[] groups = {"", "", ""};
        String[] parts = value.split("=", 3);
        System.arraycopy(parts, 0, groups, 0, parts.length);
        return groups;
    }

    /** The PN value of three component groups, trailing empty groups removed (PS3.5 6.2.1). */
    public static String personName(String alphabetic, String ideographic, String phonetic) {
        if (!phonetic.isEmpty()) {
            return alphabetic + "=" + ideographic + "=" + phonetic;
        }
        return ideographic.isEmpty() ? alphabetic : alphabetic + "=" + ideographic;
    }

    /**
     * An IS or DS value as a JSON number (RFC 8259 section 6): "+1.5" gives "1.5", ".5" "0.5",
     * "1." "1", "007" "7"; null if it is not a finite number, which then stays a JSON string
     * (PS3.18 Table F.2.3-1 permits both).
     */
    public static String jsonNumber(String value) {
        String s = value.strip();
        if (isJsonNumber(s)) {
            return s;
        }
        try {
            // BigDecimal reads what DS and IS allow (ANSI X3.9 forms) but no NaN, Infinity or hex
            String canonical = new BigDecimal(s.startsWith("+") ? s.substring(1) : s).toString();
            return isJsonNumber(canonical) ? canonical : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isJsonNumber(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (isDigit(s, i)) {
            while (isDigit(s, i)) {
                i++;
            }
        } else {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            if (!isDigit(s, i)) {
                return false;
            }
            while (isDigit(s, i)) {
                i++;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (!isDigit(s, i)) {
                return false;
            }
            while (isDigit(s, i)) {
                i++;
            }
        }
        return i == n;
    }

    private static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    /**
     * The length of a binary value written inline: the value, or for encapsulated Pixel Data its
     * items with their headers as encoded (what pydicom and DCMTK hold as the value), each padded
     * to even length.
     */
    public static long inlineLength(Object value) {
        if (value instanceof byte[] b) {
            return b.length;
        }
        if (value instanceof BulkData bulk) {
            return bulk.length();
        }
        Fragments f = (Fragments) value;
        long len = 0;
        for (int k = 0; k < f.size(); k++) {
            len += 8 + f.length(k) + (f.length(k) & 1);
        }
        return len;
    }

    /**
     * The bytes of a binary value written inline, in little endian order (the byte order of
     * DICOM JSON and XML, PS3.18 F.2.7): bulk data read through the resolver (and swapped if it
     * is big endian), encapsulated Pixel Data as its items.
     */
    public static InputStream inlineBytes(Object value, VR vr, BulkDataResolver resolver) throws IOException {
        if (value instanceof byte[] b) {
            return new ByteArrayInputStream(b);
        }
        if (value instanceof BulkData bulk) {
            if (!bulk.hasLength()) {
                throw new IOException("the length of bulk data " + bulk.uri() + " is unknown: it cannot be written inline");
            }
            InputStream in = resolver.open(bulk);
            return bulk.bigEndian() && vr.swapUnit() > 1 ? new SwappingInputStream(in, vr.swapUnit()) : in;
        }
        Fragments f = (Fragments) value;
        List<InputStream> parts = new ArrayList<>();
        for (int k = 0; k < f.size(); k++) {
            long len = f.length(k);
            byte[] header = new byte[8];
            Bytes.put16(header, 0, Tags.ITEM >>> 16);
            Bytes.put16(header, 2, Tags.ITEM & 0xFFFF);
            Bytes.put32(header, 4, (int) (len + (len & 1)));
            parts.add(new ByteArrayInputStream(header));
            BulkData bulk = f.bulkData(k);
            parts.add(bulk != null ? new LazyInputStream(resolver, bulk) : new ByteArrayInputStream(f.bytes(k)));
            if ((len & 1) != 0) {
                parts.add(new ByteArrayInputStream(new byte[1]));
            }
        }
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    /** Opens a fragment's source only when it is read, so that a thousand fragments do not hold a thousand files open. */
    private static final class LazyInputStream extends InputStream {
        private final BulkDataResolver resolver;
        private final BulkData bulk;
        private InputStream in;

        LazyInputStream(BulkDataResolver resolver, BulkData bulk) {
            this.resolver = resolver;
            this.bulk = bulk;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = resolver.open(bulk);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    /** Swaps the bytes of each {@code unit}-byte word of a big endian stream. */
    private static final class SwappingInputStream extends InputStream {
        private final InputStream in;
        private final int unit;
        private final byte[] word;
        private int pos;
        private int filled;

        SwappingInputStream(InputStream in, int unit) {
            this.in = in;
            this.unit = unit;
            this.word = new byte[unit];
        }

        @Override
        public int read() throws IOException {
            if (pos == filled && !fill()) {
                return -1;
            }
            return word[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = 0;
            while (n < len) {
                if (pos == filled && !fill()) {
                    return n == 0 ? -1 : n;
                }
                int k = Math.min(len - n, filled - pos);
                System.arraycopy(word, pos, b, off + n, k);
                pos += k;
                n += k;
            }
            return n;
        }

        private boolean fill() throws IOException {
            filled = in.readNBytes(word, 0, unit);
            pos = 0;
            if (filled == unit) {
                Bytes.swap(word, 0, unit, unit);
            }
            return filled > 0;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
