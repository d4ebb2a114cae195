package org.mosaicpacs.dicom.net.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

import org.mosaicpacs.dicom.net.DicomClient;

/**
 * What an association needs from the client or server that made it.
 *
 * @param maxReceivePduLength the Maximum Length we announce (largest P-DATA-TF we accept)
 * @param maxSendPduLength our cap on the P-DATA-TF we send (the peer's maximum applies below it)
 * @param connectTimeoutMs TCP connect timeout (requestor)
 * @param acseTimeoutMs ARTIM and the wait for A-ASSOCIATE-AC/RJ and A-RELEASE-RP
 * @param dimseTimeoutMs the longest wait for the next response to a request we sent (0: none)
 * @param idleTimeoutMs abort after this long without any PDU while no operation is outstanding (0: never)
 * @param maxDataSetInMemory the largest non-C-STORE data set buffered in memory
 * @param executor runs reader loops and handler calls
 * @param scheduler runs ARTIM
 * @param client what handlers get from {@code DimseContext.client()}, or null
 */
public record Settings(int maxReceivePduLength, int maxSendPduLength, int connectTimeoutMs, int acseTimeoutMs,
                       int dimseTimeoutMs, int idleTimeoutMs, long maxDataSetInMemory, ExecutorService executor,
                       ScheduledExecutorService scheduler, DicomClient client) {

    /** The same settings announcing another Maximum Length. */
    public Settings withMaxReceivePduLength(int length) {
        return new Settings(length, maxSendPduLength, connectTimeoutMs, acseTimeoutMs, dimseTimeoutMs,
                idleTimeoutMs, maxDataSetInMemory, executor, scheduler, client);
    }

    /** The same settings with another client for handler contexts. */
    public Settings withClient(DicomClient c) {
        return new Settings(maxReceivePduLength, maxSendPduLength, connectTimeoutMs, acseTimeoutMs, dimseTimeoutMs,
                idleTimeoutMs, maxDataSetInMemory, executor, scheduler, c);
    }
}
