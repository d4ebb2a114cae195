package org.mosaicpacs.codec.jpeg.internal;

import org.mosaicpacs.api.codec.TransferSyntaxCodec;

/**
 * Builds the JPEG codec with its default configuration outside OSGi. Lives in the codec's package
 * on the test classpath only, because the codec's settings record is package-private.
 */
public final class JpegCodecs {

    private JpegCodecs() {
    }

    /** As configured by default: YCbCr decoded to RGB (dcmdjpeg), 4:2:2 encoding, predictor 6. */
    public static TransferSyntaxCodec withDefaults() {
        return new JpegCodec(JpegCodec.Settings.DEFAULT);
    }
}
