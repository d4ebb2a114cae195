package org.mosaicpacs.dicom.net;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the bytes of a data set, already encoded in the transfer syntax named with it, to the
 * association (which fragments them into P-DATA-TF PDUs as they come). Used to stream a C-STORE
 * from a file, a storage backend or a transcoder without holding the object in memory.
 */
@FunctionalInterface
public interface DataSetWriter {

    /** Writes the data set; must not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;
}
