package org.mosaicpacs.api.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What a backend may use to name a new object: its DICOM identity and when it arrived. Backends
 * choose a layout from these (by UIDs, by date); they never see the data set itself.
 *
 * @param studyInstanceUid  Study Instance UID (0020,000D)
 * @param seriesInstanceUid Series Instance UID (0020,000E)
 * @param sopInstanceUid    SOP Instance UID (0008,0018)
 * @param received          when the archive began receiving the object
 */
public record ObjectDescriptor(String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid,
                               Instant received) {

    public ObjectDescriptor {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(received, "received");
    }
}
