package org.mosaicpacs.codec.jpeg2000.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Walks a code stream's tile-parts by their SOT markers (15444-1 A.4.2) before JJ2000 sees it,
 * for two things JJ2000 gets wrong:
 * <ul>
 * <li>a tile-part that runs past the end of the data (a truncated frame) is decoded by JJ2000
 * without a word, from whatever bytes are there;</li>
 * <li>an under-counted TNsot (pydicom's GDCMJ2K_TextGBR.dcm: TNsot 5, six tile-parts per tile)
 * makes JJ2000 skip the last tile-parts silently; OpenJPEG counts them (its
 * {@code m_nb_tile_parts_correction}) and so do we, raising TNsot in a copy.</li>
 * </ul>
 *
 * @param stream      the frame, or a corrected copy of it
 * @param tiles       how many tile-parts each tile index has
 * @param problem     why the tile-parts cannot be whole, or null
 */
record TileParts(byte[] stream, Map<Integer, Integer> tiles, String problem) {

    private static final int SOC = 0xFF4F;
    private static final int SOT = 0xFF90;
    /** SOT marker segment (12 bytes) plus the SOD marker: the least a tile-part can be. */
    private static final int MIN_TILE_PART = 14;

    static TileParts scan(byte[] frame, int start) {
        Map<Integer, Integer> counts = new HashMap<>();
        int first = firstTilePart(frame, start);
        if (first < 0) {
            return new TileParts(frame, counts, "no tile-part follows the main header");
        }
        boolean underCounted = false;
        String problem = null;
        Map<Integer, Integer> declared = new HashMap<>();
        for (int pos = first; isSot(frame, pos); ) {
            int tile = u16(frame, pos + 4);
            long length = u32(frame, pos + 6);
            int count = counts.merge(tile, 1, Integer::sum);
            int parts = frame[pos + 11] & 0xFF;
            if (parts != 0) {
                declared.merge(tile, parts, Math::max);
                underCounted |= count > parts;
            }
            if (length == 0) { // the last tile-part, running to EOC
                break;
            }
            if (length < MIN_TILE_PART || pos + length > frame.length) {
                problem = "tile-part " + (count - 1) + " of tile " + tile + " needs " + length + " bytes, "
                        + (frame.length - pos) + " are left (truncated data)";
                break;
            }
            pos += (int) length;
        }
        if (problem == null) {
            for (Map.Entry<Integer, Integer> d : declared.entrySet()) {
                if (counts.get(d.getKey()) < d.getValue()) {
                    problem = "tile " + d.getKey() + " has " + counts.get(d.getKey()) + " of its " + d.getValue()
                            + " tile-parts (truncated data)";
                }
            }
        }
        return new TileParts(underCounted ? recount(frame, first, counts) : frame, counts, problem);
    }

    private static byte[] recount(byte[] frame, int first, Map<Integer, Integer> counts) {
        byte[] copy = frame.clone();
        for (int pos = first; isSot(copy, pos); ) {
            int actual = counts.get(u16(copy, pos + 4));
            int parts = copy[pos + 11] & 0xFF;
            if (parts != 0 && parts < actual) {
                copy[pos + 11] = (byte) actual;
            }
            long length = u32(copy, pos + 6);
            if (length < MIN_TILE_PART || pos + length > copy.length) {
                break;
            }
            pos += (int) length;
        }
        return copy;
    }

    /** Offset of the first SOT after the main header's marker segments, or -1. */
    private static int firstTilePart(byte[] b, int start) {
        if (start < 0 || start + 2 > b.length || u16(b, start) != SOC) {
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
        return pos + 12 <= b.length && u16(b, pos) == SOT && u16(b, pos + 2) == 10;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    private static long u32(byte[] b, int at) {
        return (long) u16(b, at) << 16 | u16(b, at + 2);
    }
}
