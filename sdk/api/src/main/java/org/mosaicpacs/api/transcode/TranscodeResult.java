package org.mosaicpacs.api.transcode;

import java.util.Objects;

import org.mosaicpacs.api.codec.ImageDescriptor;

/**
 * What {@link Transcoder#transcode} did.
 *
 * @param sourceTransferSyntaxUid  the syntax the source was in
 * @param targetTransferSyntaxUid  the syntax written
 * @param sourceSopInstanceUid     the SOP Instance UID of the source (null if it had none)
 * @param sopInstanceUid           the SOP Instance UID written: a new one after a lossy conversion
 *                                 under {@link LossyPolicy#NEW_SOP_INSTANCE_UID}
 * @param numberOfFrames           frames in the Pixel Data, 0 without Pixel Data
 * @param pixelDataConverted       false if Pixel Data was copied as it was (same or only
 *                                 differently ordered uncompressed syntax, or no Pixel Data)
 * @param lossy                    this conversion lost information (at least one frame was
 *                                 encoded lossily)
 * @param compressionRatio         native size / encapsulated size of the written Pixel Data when it
 *                                 was encoded; 0 otherwise
 * @param image                    the Image Pixel attributes written; null without Pixel Data
 */
public record TranscodeResult(String sourceTransferSyntaxUid, String targetTransferSyntaxUid,
                              String sourceSopInstanceUid, String sopInstanceUid, int numberOfFrames,
                              boolean pixelDataConverted, boolean lossy, double compressionRatio,
                              ImageDescriptor image) {

    public TranscodeResult {
        Objects.requireNonNull(sourceTransferSyntaxUid, "sourceTransferSyntaxUid");
        Objects.requireNonNull(targetTransferSyntaxUid, "targetTransferSyntaxUid");
    }

    /** True if the written instance has another SOP Instance UID than the source. */
    public boolean sopInstanceUidChanged() {
        return !Objects.equals(sourceSopInstanceUid, sopInstanceUid);
    }
}
