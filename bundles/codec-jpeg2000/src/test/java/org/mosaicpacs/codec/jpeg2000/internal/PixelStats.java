package org.mosaicpacs.codec.jpeg2000.internal;

import org.mosaicpacs.api.codec.ImageDescriptor;

/** Differences between two native frames of the same layout, per sample. */
record PixelStats(long samples, long differing, long maxError, double psnr) {

    static PixelStats compare(ImageDescriptor image, byte[] a, byte[] b) {
        int bytes = image.bitsAllocated() / 8;
        long n = image.frameLength() / bytes;
        long differing = 0;
        long maxError = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            long d = Math.abs(sample(image, a, i, bytes) - sample(image, b, i, bytes));
            if (d != 0) {
                differing++;
                maxError = Math.max(maxError, d);
                squares += (double) d * d;
            }
        }
        double peak = (1L << image.bitsStored()) - 1;
        double psnr = squares == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak / (squares / n));
        return new PixelStats(n, differing, maxError, psnr);
    }

    /** Sample {@code i} as a number: signed samples sign-extended from Bits Allocated. */
    static long sample(ImageDescriptor image, byte[] data, int i, int bytes) {
        int at = i * bytes;
        if (bytes == 1) {
            return image.signed() ? data[at] : data[at] & 0xFF;
        }
        int v = (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8;
        return image.signed() ? (short) v : v;
    }

    @Override
    public String toString() {
        return differing + " of " + samples + " samples differ, max error " + maxError + ", PSNR "
                + (Double.isInfinite(psnr) ? "inf" : String.format("%.1f dB", psnr));
    }
}
