package org.mosaicpacs.dicomweb.internal;

/**
 * A frame ready to be shown: 8-bit samples, one (grey) or three (RGB) per pixel, interleaved,
 * rows top to bottom.
 */
record RenderedImage(int width, int height, int samples, byte[] pixels) {

    RenderedImage {
        if (pixels.length != width * height * samples) {
            throw new IllegalArgumentException("pixel buffer of " + pixels.length + " bytes for " + width + "x" + height
                    + "x" + samples);
        }
    }

    /**
     * Scaled to fit in {@code maxWidth} x {@code maxHeight} keeping the aspect ratio (PS3.18
     * 8.3.5.1.2 viewport): area averaging when shrinking, bilinear interpolation when enlarging.
     */
    RenderedImage fitInto(int maxWidth, int maxHeight) {
        double scale = Math.min((double) maxWidth / width, (double) maxHeight / height);
        int w = Math.max(1, (int) Math.round(width * scale));
        int h = Math.max(1, (int) Math.round(height * scale));
        if (w == width && h == height) {
            return this;
        }
        return scale < 1 ? shrink(w, h) : enlarge(w, h);
    }

    private RenderedImage shrink(int w, int h) {
        byte[] out = new byte[w * h * samples];
        double sx = (double) width / w;
        double sy = (double) height / h;
        for (int y = 0; y < h; y++) {
            int y0 = (int) (y * sy);
            int y1 = Math.max(y0 + 1, Math.min(height, (int) ((y + 1) * sy)));
            for (int x = 0; x < w; x++) {
                int x0 = (int) (x * sx);
                int x1 = Math.max(x0 + 1, Math.min(width, (int) ((x + 1) * sx)));
                int n = (y1 - y0) * (x1 - x0);
                for (int s = 0; s < samples; s++) {
                    long sum = 0;
                    for (int yy = y0; yy < y1; yy++) {
                        int row = yy * width;
                        for (int xx = x0; xx < x1; xx++) {
                            sum += pixels[(row + xx) * samples + s] & 0xFF;
                        }
                    }
                    out[(y * w + x) * samples + s] = (byte) ((sum + n / 2) / n);
                }
            }
        }
        return new RenderedImage(w, h, samples, out);
    }

    private RenderedImage enlarge(int w, int h) {
        byte[] out = new byte[w * h * samples];
        for (int y = 0; y < h; y++) {
            double fy = Math.max(0, (y + 0.5) * height / h - 0.5);
            int y0 = Math.min(height - 1, (int) fy);
            int y1 = Math.min(height - 1, y0 + 1);
            double dy = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = Math.max(0, (x + 0.5) * width / w - 0.5);
                int x0 = Math.min(width - 1, (int) fx);
                int x1 = Math.min(width - 1, x0 + 1);
                double dx = fx - x0;
                for (int s = 0; s < samples; s++) {
                    double top = sample(x0, y0, s) * (1 - dx) + sample(x1, y0, s) * dx;
                    double bottom = sample(x0, y1, s) * (1 - dx) + sample(x1, y1, s) * dx;
                    out[(y * w + x) * samples + s] = (byte) Math.round(top * (1 - dy) + bottom * dy);
                }
            }
        }
        return new RenderedImage(w, h, samples, out);
    }

    private int sample(int x, int y, int s) {
        return pixels[(y * width + x) * samples + s] & 0xFF;
    }
}
