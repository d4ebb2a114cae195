package org.mosaicpacs.index.jdbc.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import org.mosaicpacs.api.index.QueryLevel;
import org.mosaicpacs.dicom.BulkData;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Fragments;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.SpecificCharacterSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.VR;
import org.mosaicpacs.dicom.io.DicomWriter;
import org.mosaicpacs.dicom.io.WriteOptions;

/**
 * The stored copy of an entity's attributes: the attributes of one level (see
 * {@link AttributeLevels}) as a bare data set in Explicit VR Little Endian with text in UTF-8
 * (Specific Character Set ISO_IR 192), so a value in any character set is kept with its
 * characters. Bulk data is left out: Pixel Data, and binary values longer than
 * {@value #MAX_BINARY_LENGTH} bytes (OB, OW, OF, OD, OL, OV, UN), at any depth; so are File Meta
 * Information, group lengths and padding.
 */
final class EntityAttributes {

    /** Binary values up to this length are kept (small LUTs, private flags); longer ones are bulk data. */
    static final int MAX_BINARY_LENGTH = 1024;

    private static final String UTF_8 = "ISO_IR 192";

    private EntityAttributes() {
    }

    /** The header's attributes per level, without bulk data. Text stays in the header's character set. */
    static Map<QueryLevel, DataSet> split(DataSet header) {
        Map<QueryLevel, DataSet> levels = new EnumMap<>(QueryLevel.class);
        for (QueryLevel level : QueryLevel.values()) {
            DataSet ds = new DataSet();
            ds.setEncodedCharacterSet(header.encodedCharacterSet());
            levels.put(level, ds);
        }
        for (int i = 0; i < header.size(); i++) {
            int tag = header.tagAt(i);
            if (!isStored(tag) || AttributeLevels.isDerived(tag)) {
                continue;
            }
            copyElement(header, i, levels.get(AttributeLevels.levelOf(tag)));
        }
        return levels;
    }

    private static boolean isStored(int tag) {
        return Tags.group(tag) > 0x0002 && !Tags.isGroupLength(tag) && tag != Tag.SpecificCharacterSet
                && tag != Tag.PixelData && tag != Tag.FloatPixelData && tag != Tag.DoubleFloatPixelData
                && tag != Tag.DataSetTrailingPadding && !Tags.isItemOrDelimiter(tag);
    }

    /** Copies element {@code i} of {@code from} into {@code to} (same encoded character set), without bulk data. */
    private static void copyElement(DataSet from, int i, DataSet to) {
        int tag = from.tagAt(i);
        VR vr = from.vrAt(i);
        Object value = from.valueAt(i);
        if (value instanceof Sequence seq) {
            Sequence copy = to.newSequence(tag, seq.size());
            for (DataSet item : seq) {
                DataSet itemCopy = copy.addNewItem();
                itemCopy.setEncodedCharacterSet(item.encodedCharacterSet());
                for (int k = 0; k < item.size(); k++) {
                    if (isStored(item.tagAt(k))) {
                        copyElement(item, k, itemCopy);
                    }
                }
            }
        } else if (value instanceof BulkData || value instanceof Fragments) {
            return;
        } else if (value instanceof byte[] bytes) {
            if (!vr.isText() && !vr.isBinaryNumber() && bytes.length > MAX_BINARY_LENGTH) {
                return;
            }
            to.setBytes(tag, vr, bytes);
        } else if (value instanceof String) {
            to.setString(tag, vr, from.getStrings(tag));
        }
    }

    /** Encodes one level's attributes for the database. */
    static byte[] encode(DataSet attrs) {
        DataSet ds = attrs.isReadOnly() ? attrs.deepCopy() : attrs;
        ds.setString(Tag.SpecificCharacterSet, VR.CS, UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (DicomWriter writer = DicomWriter.create(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                WriteOptions.defaults().withUndefinedLengths(false))) {
            writer.writeDataSet(ds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode entity attributes", e);
        } finally {
            ds.remove(Tag.SpecificCharacterSet);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a stored copy; its text is UTF-8 and its Specific Character Set element is removed.
     * The form is the one {@link #encode} writes (Explicit VR Little Endian, defined lengths), read
     * here directly: a query decodes one copy per level and row, and a general reader's set-up
     * would cost more than the few elements it holds.
     */
    static DataSet decode(byte[] encoded) {
        DataSet ds = new DataSet();
        ds.setEncodedCharacterSet(SpecificCharacterSet.UTF_8);
        try {
            read(encoded, 0, encoded.length, ds);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalStateException("stored entity attributes are corrupt", e);
        }
        ds.remove(Tag.SpecificCharacterSet);
        return ds;
    }

    private static void read(byte[] b, int from, int to, DataSet ds) {
        int pos = from;
        while (pos < to) {
            int tag = u16(b, pos) << 16 | u16(b, pos + 2);
            VR vr = VR.fromCode(b[pos + 4], b[pos + 5]);
            if (vr == null) {
                throw new IllegalArgumentException("no VR at offset " + pos);
            }
            int length;
            if (vr.hasLongExplicitHeader()) {
                length = s32(b, pos + 8);
                pos += 12;
            } else {
                length = u16(b, pos + 6);
                pos += 8;
            }
            if (length < 0 || pos + length > to) {
                throw new IllegalArgumentException("length beyond the data at offset " + pos);
            }
            if (vr == VR.SQ) {
                Sequence seq = ds.newSequence(tag);
                int end = pos + length;
                while (pos < end) {
                    int itemLength = s32(b, pos + 4);
                    DataSet item = seq.addNewItem();
                    item.setEncodedCharacterSet(SpecificCharacterSet.UTF_8);
                    read(b, pos + 8, pos + 8 + itemLength, item);
                    pos += 8 + itemLength;
                }
            } else {
                ds.setBytes(tag, vr, Arrays.copyOfRange(b, pos, pos + length));
                pos += length;
            }
        }
    }

    private static int u16(byte[] b, int i) {
        return b[i] & 0xFF | (b[i + 1] & 0xFF) << 8;
    }

    private static int s32(byte[] b, int i) {
        return u16(b, i) | u16(b, i + 2) << 16;
    }

    /**
     * Adds the attributes of {@code addition} that {@code base} lacks (or holds empty) to a copy
     * of {@code base}; null if there are none, so nothing needs writing.
     */
    static DataSet fillGaps(DataSet base, DataSet addition) {
        DataSet merged = null;
        for (int i = 0; i < addition.size(); i++) {
            int tag = addition.tagAt(i);
            if (!base.containsValue(tag) && addition.containsValue(tag)) {
                if (merged == null) {
                    merged = base.deepCopy();
                }
                DataSet single = new DataSet(1);
                single.setEncodedCharacterSet(addition.encodedCharacterSet());
                copyElement(addition, i, single);
                merged.addAll(single);
            }
        }
        return merged;
    }

    /** {@code preferred}'s attributes plus those of {@code others} that it lacks. */
    static DataSet overlay(DataSet preferred, DataSet others) {
        DataSet merged = fillGaps(preferred, others);
        return merged == null ? preferred : merged;
    }
}
