package org.mosaicpacs.api.codec;

/**
 * Quality knobs for lossy encoding; lossless transfer syntaxes ignore them.
 *
 * @param quality           JPEG quality 1..100 (JPEG Baseline and Extended)
 * @param nearLossless      maximum absolute error for JPEG-LS near-lossless (NEAR), 0 for lossless
 * @param compressionRatio  target compression ratio for JPEG 2000 lossy (e.g. 10 for 10:1)
 */
public record EncodeOptions(int quality, int nearLossless, double compressionRatio) {

    /** Defaults that keep diagnostic quality: quality 90, NEAR 2, ratio 10:1. */
    public static final EncodeOptions DEFAULT = new EncodeOptions(90, 2, 10.0);

    public EncodeOptions {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1..100, not " + quality);
        }
        if (nearLossless < 0 || nearLossless > 255) {
            throw new IllegalArgumentException("nearLossless must be 0..255, not " + nearLossless);
        }
        if (!(compressionRatio >= 1.0)) {
            throw new IllegalArgumentException("compressionRatio must be at least 1, not " + compressionRatio);
        }
    }
}
