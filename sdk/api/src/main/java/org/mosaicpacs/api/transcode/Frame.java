package org.mosaicpacs.api.transcode;

import java.util.Objects;

import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * One frame read by a {@link FrameReader}.
 *
 * @param frameNumber       the frame, counted from 1
 * @param data              native pixels (for an uncompressed {@code transferSyntaxUid}) or the
 *                          frame's compressed bit stream
 * @param transferSyntaxUid the syntax {@code data} is in: Explicit VR Little Endian for native
 *                          pixels, otherwise the encapsulated syntax
 * @param image             the Image Pixel attributes that apply to {@code data}
 * @param lossy             producing {@code data} from the stored frame lost information (a lossy
 *                          encoding was applied now); false if the stored frame was only decoded or
 *                          copied
 */
public record Frame(int frameNumber, byte[] data, String transferSyntaxUid, ImageDescriptor image, boolean lossy) {

    public Frame {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(transferSyntaxUid, "transferSyntaxUid");
        Objects.requireNonNull(image, "image");
    }
}
