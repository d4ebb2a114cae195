package org.mosaicpacs.dicom.io;

import org.mosaicpacs.dicom.VR;

/**
 * Tells {@link DicomReader#readDataSet(StopCondition)} to stop before a top-level element, e.g.
 * before Pixel Data to read only the header.
 */
@FunctionalInterface
public interface StopCondition {

    /** Never stop: read to the end. */
    StopCondition NEVER = (tag, vr, length) -> false;

    /**
     * True to stop before this top-level element.
     *
     * @param length the value length, -1 if undefined
     */
    boolean stopBefore(int tag, VR vr, long length);

    /**
     * Stops at the first top-level element whose tag is at or after {@code tag} (unsigned order),
     * so that {@code beforeTag(Tag.PixelData)} also stops at trailing padding of a file without
     * Pixel Data.
     */
    static StopCondition beforeTag(int tag) {
        int key = tag ^ Integer.MIN_VALUE;
        return (t, vr, length) -> (t ^ Integer.MIN_VALUE) >= key;
    }
}
