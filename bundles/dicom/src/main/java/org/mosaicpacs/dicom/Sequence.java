package org.mosaicpacs.dicom;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The items of a sequence (SQ) element: nested data sets that know their parent, so that
 * Specific Character Set and the like are inherited (PS3.5 7.5). An item belongs to one
 * sequence; to put it in another, add a {@link DataSet#deepCopy()}.
 */
public final class Sequence extends AbstractList<DataSet> implements RandomAccess {

    private final DataSet parent;
    private final int tag;
    private final List<DataSet> items;

    Sequence(DataSet parent, int tag, int initialCapacity) {
        this.parent = parent;
        this.tag = tag;
        this.items = new ArrayList<>(initialCapacity);
    }

    /** The data set holding this sequence. */
    public DataSet parent() {
        return parent;
    }

    /** The tag of the sequence element. */
    public int tag() {
        return tag;
    }

    @Override
    public DataSet get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }

    /** Appends a new empty item and returns it. */
    public DataSet addNewItem() {
        DataSet item = new DataSet();
        add(item);
        return item;
    }

    @Override
    public void add(int index, DataSet item) {
        parent.checkWritable();
        item.attachTo(parent);
        items.add(index, item);
        modCount++;
    }

    @Override
    public DataSet set(int index, DataSet item) {
        parent.checkWritable();
        item.attachTo(parent);
        DataSet old = items.set(index, item);
        old.detach();
        return old;
    }

    @Override
    public DataSet remove(int index) {
        parent.checkWritable();
        DataSet old = items.remove(index);
        old.detach();
        modCount++;
        return old;
    }

    Sequence copyInto(DataSet newParent) {
        Sequence copy = new Sequence(newParent, tag, items.size());
        for (DataSet item : items) {
            DataSet c = item.deepCopy();
            c.attachTo(newParent);
            copy.items.add(c);
        }
        return copy;
    }

    void freeze() {
        for (DataSet item : items) {
            item.freeze();
        }
    }
}
