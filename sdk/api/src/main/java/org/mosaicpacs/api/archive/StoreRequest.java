package org.mosaicpacs.api.archive;

/**
 * Where an object comes from and what its sender claimed about it.
 *
 * @param source                 who brings it: {@code "DIMSE"}, {@code "STOW-RS"}, or a plugin's name
 * @param callingAeTitle         the sender's AE title (DIMSE), or null
 * @param calledAeTitle          our AE title it was sent to (DIMSE), or null
 * @param remoteAddress          the sender's network address, or null
 * @param transferSyntaxUid      the transfer syntax of the data set in the stream; null when the
 *                               stream is a Part 10 file whose meta information says it
 * @param part10                 the stream starts with preamble, {@code DICM} and File Meta Information
 * @param expectedSopClassUid    the SOP Class UID the sender announced (C-STORE Affected SOP Class
 *                               UID), checked against the data set; null if none
 * @param expectedSopInstanceUid the SOP Instance UID the sender announced, checked likewise; null if none
 */
public record StoreRequest(String source, String callingAeTitle, String calledAeTitle, String remoteAddress,
                           String transferSyntaxUid, boolean part10, String expectedSopClassUid,
                           String expectedSopInstanceUid) {

    public StoreRequest {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must be named");
        }
        if (!part10 && transferSyntaxUid == null) {
            throw new IllegalArgumentException("a bare data set needs its transfer syntax");
        }
    }

    /** A Part 10 file from a source that announced nothing (STOW-RS, plugins, imports). */
    public static StoreRequest part10(String source) {
        return new StoreRequest(source, null, null, null, null, true, null, null);
    }
}
