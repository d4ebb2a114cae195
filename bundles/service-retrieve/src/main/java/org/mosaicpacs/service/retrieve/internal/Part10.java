package org.mosaicpacs.service.retrieve.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Skips the preamble and File Meta Information of a stored Part 10 stream (PS3.10 7.1), leaving
 * the stream at the first byte of the data set: what a C-STORE sends when the peer accepted the
 * stored transfer syntax, copied as stored without being parsed.
 */
final class Part10 {

    private static final int PREAMBLE = 128;

    private Part10() {
    }

    /**
     * @return a stream positioned at the data set (it reads through {@code in})
     * @throws IOException if the stream is no Part 10 file
     */
    static InputStream dataSet(InputStream in) throws IOException {
        PushbackInputStream s = new PushbackInputStream(in, 2);
        byte[] head = s.readNBytes(PREAMBLE + 4);
        if (head.length < PREAMBLE + 4 || head[PREAMBLE] != 'D' || head[PREAMBLE + 1] != 'I'
                || head[PREAMBLE + 2] != 'C' || head[PREAMBLE + 3] != 'M') {
            throw new IOException("the stored object is not a Part 10 file (no DICM prefix)");
        }
        // File Meta Information: group 0002, always Explicit VR Little Endian, defined lengths
        while (true) {
            byte[] group = s.readNBytes(2);
            if (group.length < 2) {
                return s; // an empty data set
            }
            if (group[0] != 0x02 || group[1] != 0x00) {
                s.unread(group);
                return s;
            }
            byte[] header = readFully(s, 4); // element number, VR
            String vr = new String(header, 2, 2, java.nio.charset.StandardCharsets.US_ASCII);
            long length;
            if (longLength(vr)) {
                byte[] l = readFully(s, 6);
                length = (l[2] & 0xFFL) | (l[3] & 0xFFL) << 8 | (l[4] & 0xFFL) << 16 | (l[5] & 0xFFL) << 24;
            } else {
                byte[] l = readFully(s, 2);
                length = (l[0] & 0xFF) | (l[1] & 0xFF) << 8;
            }
            s.skipNBytes(length); // EOFException if truncated
        }
    }

    private static boolean longLength(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("the File Meta Information is truncated");
        }
        return b;
    }
}
