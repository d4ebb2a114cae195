package org.mosaicpacs.codec.jpeg.internal;

/**
 * Brings a subsampled component to full resolution the way IJG libjpeg 6b (jdsample.c, jdmainct.c)
 * does with its default "fancy" upsampling, so that decoded colour frames match DCMTK and GDCM
 * sample for sample: triangular interpolation for 2:1 horizontal (h2v1) and 2:1 both ways (h2v2)
 * when the component is wider than two samples, plain replication otherwise. At the top and bottom
 * image edges the h2v2 filter repeats the first and last real row.
 */
final class Upsampler {

    private Upsampler() {
    }

    /**
     * @param in       component plane, {@code inStride} samples per row
     * @param inWidth  the component's real width (downsampled_width)
     * @param inHeight the component's real height
     * @param hExpand  horizontal factor (max H / H)
     * @param vExpand  vertical factor
     * @param fancy    libjpeg's do_fancy_upsampling: true for DCT frames, false for lossless ones
     * @return a {@code width} x {@code height} plane
     */
    static int[] upsample(int[] in, int inStride, int inWidth, int inHeight, int hExpand, int vExpand,
                          boolean fancy, int width, int height) {
        int[] out = new int[width * height];
        if (fancy && hExpand == 2 && vExpand == 1 && inWidth > 2) {
            int[] row = new int[2 * inWidth];
            for (int y = 0; y < height; y++) {
                h2v1Row(in, y * inStride, inWidth, row);
                System.arraycopy(row, 0, out, y * width, width);
            }
        } else if (fancy && hExpand == 2 && vExpand == 2 && inWidth > 2) {
            int[] row = new int[2 * inWidth];
            for (int y = 0; y < height; y++) {
                int k = y >> 1;
                // upper output row of a pair blends with the row above, the lower one with the row below
                int other = (y & 1) == 0 ? Math.max(k - 1, 0) : Math.min(k + 1, inHeight - 1);
                h2v2Row(in, k * inStride, other * inStride, inWidth, row);
                System.arraycopy(row, 0, out, y * width, width);
            }
        } else {
            for (int y = 0; y < height; y++) {
                int src = (y / vExpand) * inStride;
                int dst = y * width;
                for (int x = 0; x < width; x++) {
                    out[dst + x] = in[src + x / hExpand];
                }
            }
        }
        return out;
    }

    private static void h2v1Row(int[] in, int p, int n, int[] out) {
        out[0] = in[p];
        out[1] = (in[p] * 3 + in[p + 1] + 2) >> 2;
        for (int i = 1; i < n - 1; i++) {
            int v = in[p + i] * 3;
            out[2 * i] = (v + in[p + i - 1] + 1) >> 2;
            out[2 * i + 1] = (v + in[p + i + 1] + 2) >> 2;
        }
        out[2 * n - 2] = (in[p + n - 1] * 3 + in[p + n - 2] + 1) >> 2;
        out[2 * n - 1] = in[p + n - 1];
    }

    private static void h2v2Row(int[] in, int near, int far, int n, int[] out) {
        int last = in[near] * 3 + in[far];
        int cur = last;
        int next = in[near + 1] * 3 + in[far + 1];
        out[0] = (cur * 4 + 8) >> 4;
        out[1] = (cur * 3 + next + 7) >> 4;
        for (int i = 1; i < n - 1; i++) {
            last = cur;
            cur = next;
            next = in[near + i + 1] * 3 + in[far + i + 1];
            out[2 * i] = (cur * 3 + last + 8) >> 4;
            out[2 * i + 1] = (cur * 3 + next + 7) >> 4;
        }
        out[2 * n - 2] = (next * 3 + cur + 8) >> 4;
        out[2 * n - 1] = (next * 4 + 7) >> 4;
    }
}
