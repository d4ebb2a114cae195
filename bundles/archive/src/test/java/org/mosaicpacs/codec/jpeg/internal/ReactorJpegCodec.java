package org.mosaicpacs.codec.jpeg.internal;

import org.mosaicpacs.api.codec.TransferSyntaxCodec;

/**
 * The reactor's JPEG codec with its default configuration, outside OSGi. Lives in the codec's
 * package on the test classpath only, because the codec's settings record is package-private.
 */
public final class ReactorJpegCodec {

    private ReactorJpegCodec() {
    }

    public static TransferSyntaxCodec withDefaults() {
        return new JpegCodec(JpegCodec.Settings.DEFAULT);
    }
}
