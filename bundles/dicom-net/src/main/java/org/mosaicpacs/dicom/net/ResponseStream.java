package org.mosaicpacs.dicom.net;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The responses to one C-FIND, C-GET or C-MOVE request as they arrive: zero or more pending
 * responses, then one final response. Reading blocks until the next response arrives (or the
 * DIMSE timeout of the association passes, which aborts it). Responses are buffered up to a small
 * bound; beyond it the association stops reading, so a slow reader slows the peer rather than
 * filling memory.
 *
 * <p>Close it (try-with-resources): closing before the final response sends a C-CANCEL and
 * waits for the final response, so the association stays usable. One thread at a time.
 */
@ProviderType
public interface ResponseStream extends AutoCloseable {

    /** The Message ID of the request. */
    int messageId();

    /**
     * The next response, or null after the final one was returned.
     *
     * @throws AssociationAbortedException if the association ended before the final response
     */
    DimseResponse next() throws IOException, InterruptedException;

    /** Reads (and drops) pending responses up to the final one and returns it. */
    DimseResponse finalResponse() throws IOException, InterruptedException;

    /** Sends a C-CANCEL-RQ for the request (once; later calls do nothing). */
    void cancel() throws IOException;

    /** Cancels if the final response has not arrived and waits for it. */
    @Override
    void close() throws IOException, InterruptedException;
}
