package org.mosaicpacs.dicom.io;

import java.io.IOException;
import java.io.InputStream;

import org.mosaicpacs.dicom.BulkData;

/**
 * Receives bulk data values while a data set is read ({@link BulkDataMode#HANDLER}), e.g. to
 * spool Pixel Data to storage while the header is parsed.
 */
@FunctionalInterface
public interface BulkDataHandler {

    /**
     * Takes one value (or one fragment of encapsulated Pixel Data).
     *
     * @param header the element and where its value is
     * @param value exactly the value's bytes, in stream byte order; what the handler does not
     *        read is skipped afterwards; closing it is not required
     * @return what the data set keeps as the value: a reference to where the handler put the
     *         bytes, or null to keep an empty value
     */
    BulkData handle(ValueHeader header, InputStream value) throws IOException;
}
