package org.mosaicpacs.codec.rle.internal;

import java.util.Arrays;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * Encodes one native frame as RLE Lossless (PS3.5 Annex G): a 64-byte header, then one PackBits
 * segment per byte plane, each row on its own (G.3.1), runs at most 128 bytes, odd segments
 * padded with a zero byte (G.4).
 */
final class RleEncoder {

    /** PS3.5 G.3.1: a run holds at most 128 bytes. */
    private static final int MAX_RUN = 128;

    private RleEncoder() {
    }

    static byte[] encode(ImageDescriptor image, byte[] pixels) throws CodecException {
        RleLayout layout = RleLayout.of(image);
        if (pixels.length < layout.frameLength()) {
            throw new CodecException("native frame has " + pixels.length + " bytes, " + image.rows() + "x"
                    + image.columns() + "x" + image.samplesPerPixel() + " samples of " + image.bitsAllocated()
                    + " bits need " + layout.frameLength());
        }
        int columns = image.columns();
        int rows = image.rows();
        int stride = layout.stride(image.planarConfiguration());
        // Worst case per row: one header byte per 128 literal bytes.
        int maxSegment = rows * (columns + (columns + MAX_RUN - 1) / MAX_RUN) + 1;
        byte[] out = new byte[RleLayout.HEADER_LENGTH + layout.segments() * maxSegment];
        int pos = RleLayout.HEADER_LENGTH;
        putUint32(out, 0, layout.segments());
        byte[] row = new byte[columns];
        for (int s = 0; s < layout.segments(); s++) {
            putUint32(out, 4 + 4 * s, pos);
            int in = layout.firstByte(s, image.planarConfiguration());
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++, in += stride) {
                    row[c] = pixels[in];
                }
                pos = encodeRow(row, out, pos);
            }
            if ((pos & 1) != 0) {
                out[pos++] = 0;
            }
        }
        return Arrays.copyOf(out, pos);
    }

    /**
     * PackBits one row: runs of three or more equal bytes become replicate runs, as do pairs that
     * do not interrupt a literal run; everything else goes into literal runs.
     */
    private static int encodeRow(byte[] row, byte[] out, int pos) {
        int n = row.length;
        int literalStart = 0;
        int i = 0;
        while (i < n) {
            int run = 1;
            while (i + run < n && run < MAX_RUN && row[i + run] == row[i]) {
                run++;
            }
            boolean inLiteral = i > literalStart;
            if (run >= 3 || run == 2 && !inLiteral) {
                pos = flushLiteral(row, literalStart, i, out, pos);
                out[pos++] = (byte) (1 - run);
                out[pos++] = row[i];
                i += run;
                literalStart = i;
            } else {
                i += run;
            }
        }
        return flushLiteral(row, literalStart, n, out, pos);
    }

    private static int flushLiteral(byte[] row, int from, int to, byte[] out, int pos) {
        while (from < to) {
            int count = Math.min(MAX_RUN, to - from);
            out[pos++] = (byte) (count - 1);
            System.arraycopy(row, from, out, pos, count);
            pos += count;
            from += count;
        }
        return pos;
    }

    private static void putUint32(byte[] b, int off, int value) {
        b[off] = (byte) value;
        b[off + 1] = (byte) (value >>> 8);
        b[off + 2] = (byte) (value >>> 16);
        b[off + 3] = (byte) (value >>> 24);
    }
}
