package org.mosaicpacs.dicom.internal.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.ElementDictionary;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.internal.Bytes;
import org.mosaicpacs.dicom.io.DicomReader;

/**
 * Lists a file the way DCMTK's {@code dcmdump} does, from the pull parser's events (so group
 * lengths, item and delimitation items appear as they are encoded, and a damaged file is listed up
 * to the damage): {@code (gggg,eeee) VR value  # length, VM Keyword}, two spaces of indentation
 * per item level. Values longer than {@link #SHOWN} bytes are shown in part.
 */
final class Dumper {

    /** How many bytes of a value are read to show it; the rest is skipped. */
    static final int SHOWN = 64 * 1024;
    private static final int WIDTH = 66;

    private final PrintStream out;

    Dumper(PrintStream out) {
        this.out = out;
    }

    void dump(DicomReader reader) throws IOException {
        DataSet meta = reader.fileMetaInformation();
        out.println("# Dicom-File-Format");
        out.println();
        out.println("# Dicom-Meta-Information-Header");
        if (meta != null) {
            out.println("# Used TransferSyntax: Little Endian Explicit");
            for (int i = 0; i < meta.size(); i++) {
                int tag = meta.tagAt(i);
                VR vr = meta.vrAt(i);
                byte[] value = meta.getBytes(tag);
                line("", tag, vr.name(), show(vr, value, value.length, false, SpecificCharacterSet.DEFAULT),
                        Long.toString(value.length), multiplicity(vr, value, value.length, SpecificCharacterSet.DEFAULT),
                        ElementDictionary.keywordOf(tag));
            }
        }
        out.println();
        out.println("# Dicom-Data-Set");
        out.println("# Used TransferSyntax: " + reader.transferSyntax().name());
        // the Specific Character Set in effect at each item level (PS3.5 7.5.1: items inherit it)
        Deque<SpecificCharacterSet> charsets = new ArrayDeque<>();
        charsets.push(SpecificCharacterSet.DEFAULT);
        int level = 0;
        while (true) {
            DicomReader.Event e = reader.next();
            String indent = "  ".repeat(level);
            switch (e) {
                case ELEMENT -> element(reader, indent, charsets);
                case SEQUENCE_START -> {
                    line(indent, reader.tag(), "SQ", "(Sequence with " + (reader.length() < 0 ? "undefined" : "explicit")
                            + " length)", length(reader.length()), "1", keyword(reader.tag()));
                    level++;
                }
                case ITEM_START -> {
                    line(indent, Tags.ITEM, "na", "(Item with " + (reader.length() < 0 ? "undefined" : "explicit")
                            + " length)", length(reader.length()), "1", "Item");
                    charsets.push(charsets.peek());
                    level++;
                }
                case ITEM_END -> {
                    charsets.pop();
                    level--;
                    line("  ".repeat(level), Tags.ITEM_DELIMITATION, "na", "(ItemDelimitationItem)", "0", "0",
                            "ItemDelimitationItem");
                }
                case SEQUENCE_END, FRAGMENTS_END -> {
                    level--;
                    line("  ".repeat(level), Tags.SEQUENCE_DELIMITATION, "na", "(SequenceDelimitationItem)", "0", "0",
                            "SequenceDelimitationItem");
                }
                case FRAGMENTS_START -> {
                    line(indent, reader.tag(), reader.vr().name(), "(PixelSequence)", "u/l", "1", keyword(reader.tag()));
                    level++;
                }
                case FRAGMENT -> {
                    long len = reader.length();
                    byte[] shown = head(reader.valueStream(), len);
                    line(indent, Tags.ITEM, "pi", show(VR.OB, shown, len, false, SpecificCharacterSet.DEFAULT),
                            Long.toString(len), "1", "Item");
                }
                case END -> {
                    return;
                }
                default -> throw new IllegalStateException(e.toString());
            }
        }
    }

    private void element(DicomReader reader, String indent, Deque<SpecificCharacterSet> charsets) throws IOException {
        int tag = reader.tag();
        VR vr = reader.vr();
        long len = reader.length();
        byte[] value = head(reader.valueStream(), len);
        if (reader.bigEndian() && vr.swapUnit() > 1) {
            Bytes.swap(value, 0, value.length - value.length % vr.swapUnit(), vr.swapUnit());
        }
        SpecificCharacterSet cs = charsets.peek();
        if (tag == Tag.SpecificCharacterSet) {
            DataSet scratch = new DataSet();
            scratch.setBytes(tag, vr, value);
            cs = SpecificCharacterSet.of(scratch.getStrings(tag));
            charsets.pop();
            charsets.push(cs);
        }
        line(indent, tag, vr.name(), show(vr, value, len, value.length < len, cs), Long.toString(len),
                multiplicity(vr, value, len, cs), keyword(tag));
    }

    private static String keyword(int tag) {
        String k = ElementDictionary.keywordOf(tag);
        return k.isEmpty() ? (Tags.isPrivateCreator(tag) ? "PrivateCreator" : "Unknown Tag & Data") : k;
    }

    private static String length(long len) {
        return len < 0 ? "u/l" : Long.toString(len);
    }

    /** The first bytes of a value (all of it up to {@link #SHOWN}); the rest is skipped by the reader. */
    private static byte[] head(InputStream value, long len) throws IOException {
        return value.readNBytes((int) Math.min(len, SHOWN));
    }

    private static String show(VR vr, byte[] value, long len, boolean partial, SpecificCharacterSet cs) {
        if (len == 0) {
            return "(no value available)";
        }
        DataSet scratch = new DataSet();
        scratch.setEncodedCharacterSet(cs);
        String text;
        if (vr.isText()) {
            scratch.setBytes(Tag.Modality, vr, value);
            text = "[" + String.join("\\", scratch.getStrings(Tag.Modality)) + "]";
        } else if (vr.isBinaryNumber() && !partial) {
            scratch.setBytes(Tag.Modality, vr, java.util.Arrays.copyOf(value, value.length - value.length % vr.bytesPerValue()));
            String[] numbers = scratch.getStrings(Tag.Modality);
            if (vr == VR.AT) {
                for (int i = 0; i < numbers.length; i++) {
                    numbers[i] = Tags.toString(Tags.parse(numbers[i])).toLowerCase(Locale.ROOT);
                }
            }
            text = String.join("\\", numbers);
        } else {
            int unit = vr == VR.OW ? 2 : 1;
            StringBuilder b = new StringBuilder();
            for (int i = 0; i + unit <= value.length && b.length() <= WIDTH; i += unit) {
                b.append(i == 0 ? "" : "\\");
                b.append(unit == 2 ? String.format("%04x", Bytes.u16(value, i)) : String.format("%02x", value[i] & 0xFF));
            }
            text = b.toString();
        }
        return text.length() > WIDTH || partial ? text.substring(0, Math.min(text.length(), WIDTH)) + "..." : text;
    }

    private static String multiplicity(VR vr, byte[] value, long len, SpecificCharacterSet cs) {
        if (len == 0) {
            return "0";
        }
        if (vr.isBinaryNumber()) {
            return Long.toString(len / vr.bytesPerValue());
        }
        if (vr.isText() && vr.allowsMultipleValues() && value.length == len) {
            DataSet scratch = new DataSet();
            scratch.setEncodedCharacterSet(cs);
            scratch.setBytes(Tag.Modality, vr, value);
            return Integer.toString(Math.max(1, scratch.getStrings(Tag.Modality).length));
        }
        return "1";
    }

    private void line(String indent, int tag, String vr, String value, String length, String vm, String keyword) {
        String head = indent + Tags.toString(tag).toLowerCase(Locale.ROOT) + " " + vr + " " + value;
        out.printf(Locale.ROOT, "%-52s #%4s, %s %s%n", head, length, vm, keyword);
    }
}
