package org.mosaicpacs.api.index;

import java.util.Iterator;

import org.mosaicpacs.dicom.DataSet;

/**
 * The matches of a query, streamed: each {@link #next()} is one entity's response identifier
 * (return keys with values, derived attributes such as Number of Study Related Instances, and
 * the level's unique keys). Strings are Java strings; the caller encodes them in the character
 * set it answers in. Close it to release the database cursor, also when stopping early (C-CANCEL).
 */
public interface QueryResults extends Iterator<DataSet>, AutoCloseable {

    /** True once iteration stopped because the query's limit (or the configured maximum) was reached. */
    boolean limitReached();

    @Override
    void close();
}
