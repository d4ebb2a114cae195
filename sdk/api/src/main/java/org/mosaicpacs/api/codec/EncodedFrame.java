package org.mosaicpacs.api.codec;

import java.util.Objects;

/**
 * One frame as a codec encoded it.
 *
 * @param data  the compressed bit stream of the frame (one or more fragments' worth, unpadded)
 * @param image the descriptor the data set must carry for this frame after encoding (for
 *              example YBR_FULL_422 after JPEG Baseline with subsampling, or
 *              YBR_RCT/YBR_ICT after JPEG 2000 with a colour transform)
 * @param lossy true when decoding does not give back the original pixels
 */
public record EncodedFrame(byte[] data, ImageDescriptor image, boolean lossy) {

    public EncodedFrame {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(image, "image");
    }
}
