package org.mosaicpacs.transcoder.internal;

import java.nio.file.Path;
import java.util.Objects;

import org.mosaicpacs.dicom.UidGenerator;

/**
 * What the configuration decides, as plain values (tests construct the transcoder with these).
 *
 * @param spoolMemoryLimit converted Pixel Data held in memory per call before it goes to a file
 * @param spoolDirectory   where spool files go
 * @param uids             where new SOP Instance UIDs come from
 */
record TranscoderSettings(long spoolMemoryLimit, Path spoolDirectory, UidGenerator uids) {

    TranscoderSettings {
        if (spoolMemoryLimit < 0 || spoolMemoryLimit > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("spool memory limit must be 0.." + (Integer.MAX_VALUE - 8) + " bytes, not "
                    + spoolMemoryLimit);
        }
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        Objects.requireNonNull(uids, "uids");
    }

    /** 8 MiB in memory, then the system temporary folder; UUID-derived UIDs. */
    static TranscoderSettings defaults() {
        return new TranscoderSettings(8L << 20, Path.of(System.getProperty("java.io.tmpdir")),
                UidGenerator.uuidDerived());
    }
}
