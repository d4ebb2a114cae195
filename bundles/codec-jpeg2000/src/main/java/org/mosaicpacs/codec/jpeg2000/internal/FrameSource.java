package org.mosaicpacs.codec.jpeg2000.internal;

import java.awt.Point;

import org.mosaicpacs.api.codec.ImageDescriptor;

import jj2000.j2k.NoNextElementException;
import jj2000.j2k.image.BlkImgDataSrc;
import jj2000.j2k.image.DataBlk;
import jj2000.j2k.image.DataBlkInt;

/**
 * One native DICOM frame as JJ2000's encoder input: one tile, components at full resolution,
 * samples of Bits Stored precision, DC level shifted (15444-1 G.1.2) when unsigned.
 *
 * <p>Signed samples are sign-extended from High Bit and unsigned ones masked to Bits Stored, as
 * GDCM does, so bits above High Bit never reach the code stream.
 */
final class FrameSource implements BlkImgDataSrc {

    private final int width;
    private final int height;
    private final int precision;
    private final int[][] samples;

    FrameSource(ImageDescriptor image, byte[] pixels) {
        width = image.columns();
        height = image.rows();
        precision = image.bitsStored();
        int n = image.samplesPerPixel();
        int pixelCount = width * height;
        int bytesPerSample = image.bitsAllocated() / 8;
        int shift = 32 - image.bitsStored();
        int dcOffset = image.signed() ? 0 : 1 << (precision - 1);
        samples = new int[n][pixelCount];
        for (int c = 0; c < n; c++) {
            int[] component = samples[c];
            int at = image.planarConfiguration() == 0 ? c * bytesPerSample : c * pixelCount * bytesPerSample;
            int step = image.planarConfiguration() == 0 ? n * bytesPerSample : bytesPerSample;
            for (int p = 0; p < pixelCount; p++, at += step) {
                int raw = bytesPerSample == 1 ? pixels[at] & 0xFF : (pixels[at] & 0xFF) | (pixels[at + 1] & 0xFF) << 8;
                int stored = raw << shift; // High Bit = Bits Stored - 1, so this puts the sample's sign bit at bit 31
                component[p] = (image.signed() ? stored >> shift : stored >>> shift) - dcOffset;
            }
        }
    }

    @Override
    public int getFixedPoint(int c) {
        return 0;
    }

    /**
     * The whole component without a copy when the whole tile is asked for, else a copy. Never a
     * window with an offset: JJ2000's forward RCT indexes its inputs as if offset were 0 and
     * scanw the block width (ForwCompTransf.forwRCT, component 0), whatever the block says.
     */
    @Override
    public DataBlk getInternCompData(DataBlk blk, int c) {
        if (blk.ulx != 0 || blk.uly != 0 || blk.w != width || blk.h != height) {
            return getCompData(blk, c);
        }
        DataBlk out = blk.getDataType() == DataBlk.TYPE_INT ? blk : new DataBlkInt(0, 0, width, height);
        out.setData(samples[c]);
        out.offset = 0;
        out.scanw = width;
        out.progressive = false;
        return out;
    }

    @Override
    public DataBlk getCompData(DataBlk blk, int c) {
        DataBlkInt out = blk instanceof DataBlkInt i ? i : new DataBlkInt(blk.ulx, blk.uly, blk.w, blk.h);
        int[] data = out.data != null && out.data.length >= blk.w * blk.h ? out.data : new int[blk.w * blk.h];
        for (int y = 0; y < blk.h; y++) {
            System.arraycopy(samples[c], (blk.uly + y) * width + blk.ulx, data, y * blk.w, blk.w);
        }
        out.data = data;
        out.offset = 0;
        out.scanw = blk.w;
        out.progressive = false;
        return out;
    }

    @Override
    public int getTileWidth() {
        return width;
    }

    @Override
    public int getTileHeight() {
        return height;
    }

    @Override
    public int getNomTileWidth() {
        return width;
    }

    @Override
    public int getNomTileHeight() {
        return height;
    }

    @Override
    public int getImgWidth() {
        return width;
    }

    @Override
    public int getImgHeight() {
        return height;
    }

    @Override
    public int getNumComps() {
        return samples.length;
    }

    @Override
    public int getCompSubsX(int c) {
        return 1;
    }

    @Override
    public int getCompSubsY(int c) {
        return 1;
    }

    @Override
    public int getTileCompWidth(int t, int c) {
        return width;
    }

    @Override
    public int getTileCompHeight(int t, int c) {
        return height;
    }

    @Override
    public int getCompImgWidth(int c) {
        return width;
    }

    @Override
    public int getCompImgHeight(int c) {
        return height;
    }

    @Override
    public int getNomRangeBits(int c) {
        return precision;
    }

    @Override
    public void setTile(int x, int y) {
        if (x != 0 || y != 0) {
            throw new IllegalArgumentException("a frame is one tile, not tile " + x + "," + y);
        }
    }

    @Override
    public void nextTile() {
        throw new NoNextElementException();
    }

    @Override
    public Point getTile(Point co) {
        if (co == null) {
            return new Point(0, 0);
        }
        co.setLocation(0, 0);
        return co;
    }

    @Override
    public int getTileIdx() {
        return 0;
    }

    @Override
    public int getTilePartULX() {
        return 0;
    }

    @Override
    public int getTilePartULY() {
        return 0;
    }

    @Override
    public int getCompULX(int c) {
        return 0;
    }

    @Override
    public int getCompULY(int c) {
        return 0;
    }

    @Override
    public int getImgULX() {
        return 0;
    }

    @Override
    public int getImgULY() {
        return 0;
    }

    @Override
    public Point getNumTiles(Point co) {
        if (co == null) {
            return new Point(1, 1);
        }
        co.setLocation(1, 1);
        return co;
    }

    @Override
    public int getNumTiles() {
        return 1;
    }
}
