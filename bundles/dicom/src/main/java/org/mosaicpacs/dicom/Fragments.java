package org.mosaicpacs.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encapsulated Pixel Data (PS3.5 A.4): the items of an undefined-length Pixel Data element.
 * Fragment 0 is the Basic Offset Table (empty if absent); the others hold the compressed
 * frames, each either in memory ({@code byte[]}) or as a {@link BulkData} reference to the
 * fragment's bytes in the source. Frames may also be located through the Extended Offset Table
 * (7FE0,0001) and its lengths (7FE0,0002), which are ordinary data elements.
 *
 * <p>Not thread-safe while modifiable; see {@link DataSet#freeze()}.
 */
public final class Fragments {

    private final List<Object> fragments = new ArrayList<>();
    private BulkData source;
    private boolean readOnly;

    /** Empty encapsulated pixel data: add the Basic Offset Table first. */
    public Fragments() {
    }

    /** The number of fragments, the Basic Offset Table included. */
    public int size() {
        return fragments.size();
    }

    /** Adds a fragment held in memory (copied). */
    public Fragments add(byte[] fragment) {
        checkWritable();
        fragments.add(fragment.clone());
        return this;
    }

    /** Adds a fragment that stays in its source. */
    public Fragments add(BulkData fragment) {
        checkWritable();
        fragments.add(java.util.Objects.requireNonNull(fragment, "fragment"));
        return this;
    }

    /** True if fragment i is a reference to its source. */
    public boolean isBulkData(int i) {
        return fragments.get(i) instanceof BulkData;
    }

    /** Fragment i as a reference, or null if it is in memory. */
    public BulkData bulkData(int i) {
        return fragments.get(i) instanceof BulkData b ? b : null;
    }

    /** A copy of fragment i if it is in memory, else null (see {@link #bulkData(int)}). */
    public byte[] bytes(int i) {
        return fragments.get(i) instanceof byte[] b ? b.clone() : null;
    }

    /** The length of fragment i in bytes. */
    public long length(int i) {
        Object f = fragments.get(i);
        return f instanceof byte[] b ? b.length : ((BulkData) f).length();
    }

    /**
     * Where the whole encapsulated value (every item with its header, without the Sequence
     * Delimitation Item) lies in its source, if it was read by reference; null otherwise. DICOM
     * JSON and XML refer to encapsulated Pixel Data as this one range (PS3.18 F.2.6).
     */
    public BulkData source() {
        return source;
    }

    /** Records where the encapsulated value lies in its source; see {@link #source()}. */
    public Fragments setSource(BulkData source) {
        checkWritable();
        this.source = source;
        return this;
    }

    /** The Basic Offset Table as offsets (unsigned 32-bit) of each frame's first fragment; empty if absent or not in memory. */
    public long[] basicOffsetTable() {
        if (fragments.isEmpty() || !(fragments.get(0) instanceof byte[] b)) {
            return new long[0];
        }
        long[] offsets = new long[b.length / 4];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = org.mosaicpacs.dicom.internal.Bytes.s32(b, 4 * i) & 0xFFFFFFFFL;
        }
        return offsets;
    }

    Fragments copy() {
        Fragments f = new Fragments();
        f.fragments.addAll(fragments);
        f.source = source;
        return f;
    }

    void freeze() {
        readOnly = true;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("read-only Pixel Data fragments");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Fragments other) || other.size() != size()) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            Object a = fragments.get(i);
            Object b = other.fragments.get(i);
            if (a instanceof byte[] x ? !(b instanceof byte[] y && Arrays.equals(x, y)) : !a.equals(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Object f : fragments) {
            h = 31 * h + (f instanceof byte[] b ? Arrays.hashCode(b) : f.hashCode());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Fragments[");
        for (int i = 0; i < size(); i++) {
            s.append(i == 0 ? "" : ", ").append(length(i)).append(isBulkData(i) ? " bytes @" + bulkData(i).offset() : " bytes");
        }
        return s.append(']').toString();
    }
}
