package org.mosaicpacs.api.archive;

import java.io.IOException;
import java.io.InputStream;

import org.mosaicpacs.api.index.InstanceRecord;

/**
 * A stored instance opened for reading: its index record and its Part 10 bytes as stored (in
 * {@link InstanceRecord#transferSyntaxUid()}). Close it to release the stream.
 */
public interface StoredInstance extends AutoCloseable {

    InstanceRecord record();

    /** The Part 10 bytes (preamble, meta information, data set) as stored. Read once. */
    InputStream stream();

    @Override
    void close() throws IOException;
}
