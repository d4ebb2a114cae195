package org.mosaicpacs.dicom.io;

import org.mosaicpacs.dicom.Tags;
import org.mosaicpacs.dicom.VR;

/**
 * Where a value is in the stream being read: what a {@link BulkDataHandler} is told.
 *
 * @param tag the element's tag
 * @param vr the element's VR
 * @param length the value length in bytes
 * @param position the stream position of the first value byte
 * @param depth 0 for the top-level data set, 1 inside an item of a top-level sequence, ...
 * @param fragment -1 for a whole value; for encapsulated Pixel Data the fragment index (0 is the
 *        Basic Offset Table)
 * @param bigEndian true if the value bytes are in big endian order
 */
public record ValueHeader(int tag, VR vr, long length, long position, int depth, int fragment, boolean bigEndian) {

    @Override
    public String toString() {
        return Tags.toString(tag) + " " + vr + " #" + length + " @" + position
                + (fragment >= 0 ? " fragment " + fragment : "");
    }
}
