package org.mosaicpacs.codec.jpeg2000.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Corrects SOT markers whose TNsot (number of tile-parts of the tile, 15444-1 A.4.2) is smaller
 * than the number of tile-parts the code stream really has for that tile. Some encoders write
 * such streams (pydicom's GDCMJ2K_TextGBR.dcm: TNsot 5, six tile-parts per tile); JJ2000 believes
 * TNsot and silently skips the last tile-parts, OpenJPEG counts them (its
 * {@code m_nb_tile_parts_correction}). A larger TNsot is left alone: tile-parts are then missing
 * and the decoder must say so.
 */
final class TilePartCounts {

    private static final int SOC = 0xFF4F;
    private static final int SOT = 0xFF90;

    private TilePartCounts() {
    }

    /**
     * The code stream starting at {@code start}, with under-counted TNsot values raised to the
     * real count: {@code frame} itself when nothing needed correcting, else a corrected copy.
     */
    static byte[] corrected(byte[] frame, int start) {
        int first = firstTilePart(frame, start);
        if (first < 0) {
            return frame;
        }
        Map<Integer, Integer> counts = new HashMap<>();
        boolean underCounted = false;
        for (int pos = first; isSot(frame, pos); ) {
            int tile = u16(frame, pos + 4);
            int count = counts.merge(tile, 1, Integer::sum);
            int declared = frame[pos + 11] & 0xFF;
            underCounted |= declared != 0 && count > declared;
            long length = u32(frame, pos + 6);
            if (length < 14) { // 0: runs to EOC; anything shorter than the SOT and SOD markers is not a tile-part
                break;
            }
            pos += (int) Math.min(length, frame.length);
        }
        if (!underCounted) {
            return frame;
        }
        byte[] copy = frame.clone();
        for (int pos = first; isSot(copy, pos); ) {
            int actual = counts.get(u16(copy, pos + 4));
            if ((copy[pos + 11] & 0xFF) != 0 && (copy[pos + 11] & 0xFF) < actual) {
                copy[pos + 11] = (byte) actual;
            }
            long length = u32(copy, pos + 6);
            if (length < 14) {
                break;
            }
            pos += (int) Math.min(length, copy.length);
        }
        return copy;
    }

    /** Offset of the first SOT after the main header's marker segments, or -1. */
    private static int firstTilePart(byte[] b, int start) {
        if (start + 2 > b.length || u16(b, start) != SOC) {
            return -1;
        }
        int pos = start + 2;
        while (pos + 4 <= b.length) {
            int marker = u16(b, pos);
            if (marker == SOT) {
                return pos;
            }
            if ((marker & 0xFF00) != 0xFF00) {
                return -1;
            }
            pos += 2 + u16(b, pos + 2);
        }
        return -1;
    }

    private static boolean isSot(byte[] b, int pos) {
        return pos >= 0 && pos + 12 <= b.length && u16(b, pos) == SOT && u16(b, pos + 2) == 10;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static long u32(byte[] b, int at) {
        return (long) u16(b, at) << 16 | u16(b, at + 2);
    }
}
