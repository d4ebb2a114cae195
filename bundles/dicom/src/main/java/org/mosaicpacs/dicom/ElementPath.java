package org.mosaicpacs.dicom;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Where a data element is in a data set: its tag and, for an element inside a sequence item, the
 * sequence element and the item index above it. Immutable. {@link #toString()} gives the
 * URL-friendly form {@code 00400275/0/00081150} (tags in upper-case hex, item indexes from 0),
 * which DICOMweb services can use in the bulk data URLs they make (PS3.18 F.2.6).
 */
public final class ElementPath {

    private final ElementPath sequence;
    private final int itemIndex;
    private final int tag;

    private ElementPath(ElementPath sequence, int itemIndex, int tag) {
        this.sequence = sequence;
        this.itemIndex = itemIndex;
        this.tag = tag;
    }

    /** An element of the top-level data set. */
    public static ElementPath of(int tag) {
        return new ElementPath(null, -1, tag);
    }

    /** An element of item {@code itemIndex} (from 0) of the sequence at this path. */
    public ElementPath child(int itemIndex, int tag) {
        if (itemIndex < 0) {
            throw new IllegalArgumentException("negative item index " + itemIndex);
        }
        return new ElementPath(this, itemIndex, tag);
    }

    /** The element's tag. */
    public int tag() {
        return tag;
    }

    /** The path of the sequence element whose item holds this element, or null at the top level. */
    public ElementPath sequence() {
        return sequence;
    }

    /** The index (from 0) of the item holding this element in {@link #sequence()}, -1 at the top level. */
    public int itemIndex() {
        return itemIndex;
    }

    /** 0 for a top-level element, 1 inside an item of a top-level sequence, ... */
    public int depth() {
        return sequence == null ? 0 : sequence.depth() + 1;
    }

    /** Parses {@link #toString()}. */
    public static ElementPath parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length % 2 == 0) {
            throw new IllegalArgumentException("not an element path: \"" + text + "\"");
        }
        ElementPath p = of(Tags.parse(parts[0]));
        for (int i = 1; i < parts.length; i += 2) {
            try {
                p = p.child(Integer.parseInt(parts[i]), Tags.parse(parts[i + 1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an element path: \"" + text + "\"", e);
            }
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ElementPath other && other.tag == tag && other.itemIndex == itemIndex
                && Objects.equals(other.sequence, sequence);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hashCode(sequence) + itemIndex) + tag;
    }

    @Override
    public String toString() {
        Deque<ElementPath> chain = new ArrayDeque<>();
        for (ElementPath p = this; p != null; p = p.sequence) {
            chain.push(p);
        }
        StringBuilder b = new StringBuilder();
        for (ElementPath p : chain) {
            if (p.sequence != null) {
                b.append('/').append(p.itemIndex).append('/');
            }
            b.append(Tags.toHex(p.tag));
        }
        return b.toString();
    }
}
