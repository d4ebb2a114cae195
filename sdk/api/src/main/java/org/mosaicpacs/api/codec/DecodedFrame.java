package org.mosaicpacs.api.codec;

import java.util.Objects;

/**
 * One frame as a codec decoded it.
 *
 * @param pixels native pixel data in the layout {@link ImageDescriptor} describes
 * @param image  the descriptor that now applies: a decoder may change the photometric
 *               interpretation (JPEG Baseline YBR_FULL_422 decodes to YBR_FULL or RGB) or the
 *               planar configuration (RLE yields planes: PS3.5 G.2)
 */
public record DecodedFrame(byte[] pixels, ImageDescriptor image) {

    public DecodedFrame {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(image, "image");
    }
}
