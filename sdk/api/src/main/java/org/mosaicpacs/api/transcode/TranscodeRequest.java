package org.mosaicpacs.api.transcode;

import java.util.Objects;

import org.mosaicpacs.api.codec.EncodeOptions;

/**
 * What {@link Transcoder#transcode} is asked to do. Immutable; start with {@link #to(String)}.
 *
 * @param targetTransferSyntaxUid the syntax to write
 * @param sourceTransferSyntaxUid null if the source is a Part 10 file (or a file without meta
 *                                information, its syntax then guessed); otherwise the source is a
 *                                bare data set (a DIMSE data set) in this syntax
 * @param part10                  write a Part 10 file (preamble, File Meta Information with Mosaic's
 *                                implementation identity); false writes a bare data set
 * @param encodeOptions           quality settings for lossy syntaxes
 * @param extendedOffsetTable     write an Extended Offset Table (7FE0,0001/0002) with an empty
 *                                Basic Offset Table when encapsulating (PS3.5 A.4)
 * @param lossyPolicy             what to do when the conversion loses information
 */
public record TranscodeRequest(String targetTransferSyntaxUid, String sourceTransferSyntaxUid, boolean part10,
                               EncodeOptions encodeOptions, boolean extendedOffsetTable, LossyPolicy lossyPolicy) {

    public TranscodeRequest {
        Objects.requireNonNull(targetTransferSyntaxUid, "targetTransferSyntaxUid");
        Objects.requireNonNull(encodeOptions, "encodeOptions");
        Objects.requireNonNull(lossyPolicy, "lossyPolicy");
    }

    /**
     * A Part 10 source written as a Part 10 file in {@code targetTransferSyntaxUid}, default
     * encode options, Basic Offset Table only, new SOP Instance UID if lossy.
     */
    public static TranscodeRequest to(String targetTransferSyntaxUid) {
        return new TranscodeRequest(targetTransferSyntaxUid, null, true, EncodeOptions.DEFAULT, false,
                LossyPolicy.NEW_SOP_INSTANCE_UID);
    }

    /** The source is a bare data set in this syntax (null: a Part 10 file). */
    public TranscodeRequest withSourceTransferSyntax(String uid) {
        return new TranscodeRequest(targetTransferSyntaxUid, uid, part10, encodeOptions, extendedOffsetTable,
                lossyPolicy);
    }

    /** Write a Part 10 file (true) or a bare data set (false). */
    public TranscodeRequest withPart10(boolean part10) {
        return new TranscodeRequest(targetTransferSyntaxUid, sourceTransferSyntaxUid, part10, encodeOptions,
                extendedOffsetTable, lossyPolicy);
    }

    public TranscodeRequest withEncodeOptions(EncodeOptions options) {
        return new TranscodeRequest(targetTransferSyntaxUid, sourceTransferSyntaxUid, part10, options,
                extendedOffsetTable, lossyPolicy);
    }

    public TranscodeRequest withExtendedOffsetTable(boolean extended) {
        return new TranscodeRequest(targetTransferSyntaxUid, sourceTransferSyntaxUid, part10, encodeOptions,
                extended, lossyPolicy);
    }

    public TranscodeRequest withLossyPolicy(LossyPolicy policy) {
        return new TranscodeRequest(targetTransferSyntaxUid, sourceTransferSyntaxUid, part10, encodeOptions,
                extendedOffsetTable, policy);
    }
}
