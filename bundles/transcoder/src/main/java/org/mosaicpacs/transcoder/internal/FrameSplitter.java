package org.mosaicpacs.transcoder.internal;

import org.mosaicpacs.api.transcode.TranscodeException;

/**
 * Tells which fragments of encapsulated Pixel Data begin a frame (PS3.5 A.4), one fragment at a
 * time in stream order, so a frame can be decoded as soon as the next one begins:
 * <ol>
 * <li>by the Extended Offset Table, or else the Basic Offset Table, if it has one offset per frame
 *     (offsets of item headers counted from the first item after the Basic Offset Table);</li>
 * <li>with one frame, every fragment belongs to it;</li>
 * <li>if the first fragment starts a JPEG, JPEG-LS or JPEG 2000 code stream, a frame begins at
 *     every fragment starting one (what DCMTK and GDCM do without an offset table);</li>
 * <li>otherwise one fragment per frame (RLE requires it, PS3.5 G.1).</li>
 * </ol>
 */
final class FrameSplitter {

    private final int numberOfFrames;
    private final long[] offsets;
    private boolean byMarker;
    private int frames;
    private int fragments;

    /**
     * @param offsets the Extended or Basic Offset Table, empty if absent; ignored unless it has
     *                one entry per frame, starting at 0 and increasing
     */
    FrameSplitter(int numberOfFrames, long[] offsets) {
        this.numberOfFrames = numberOfFrames;
        this.offsets = usable(offsets, numberOfFrames) ? offsets : null;
    }

    private static boolean usable(long[] offsets, int frames) {
        if (offsets.length != frames || frames == 0 || offsets[0] != 0) {
            return false;
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] <= offsets[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the next fragment (after the Basic Offset Table) begins a frame.
     *
     * @param offset the position of its item header, counted from the first such item
     * @param head   its first bytes (up to 12), to recognise a code stream
     * @throws TranscodeException {@link TranscodeException.Reason#MALFORMED} if an offset table
     *                            entry points into the middle of an item, or more frames than
     *                            Number of Frames begin
     */
    boolean startsFrame(long offset, byte[] head, int headLength) throws TranscodeException {
        boolean starts;
        if (offsets != null) {
            if (frames < offsets.length && offset > offsets[frames]) {
                throw malformed("offset table entry " + (frames + 1) + " (" + offsets[frames]
                        + ") does not point at an item of the Pixel Data");
            }
            starts = frames < offsets.length && offset == offsets[frames];
        } else if (numberOfFrames == 1) {
            starts = fragments == 0;
        } else {
            boolean codeStream = isCodeStreamStart(head, headLength);
            if (fragments == 0) {
                byMarker = codeStream;
            }
            starts = !byMarker || codeStream || fragments == 0;
        }
        fragments++;
        if (starts) {
            frames++;
            if (frames > numberOfFrames) {
                throw malformed("the Pixel Data holds more than Number of Frames (" + numberOfFrames + ") frames");
            }
        } else if (frames == 0) {
            throw malformed("the first fragment does not begin a frame");
        }
        return starts;
    }

    /** Checks at the end of the Pixel Data that every frame was there. */
    void finish() throws TranscodeException {
        if (frames != numberOfFrames) {
            throw malformed("the Pixel Data holds " + frames + " frame(s) in " + fragments
                    + " fragment(s), but Number of Frames is " + numberOfFrames);
        }
    }

    /** JPEG or JPEG-LS SOI, JPEG 2000 SOC+SIZ, or the JP2 signature box. */
    static boolean isCodeStreamStart(byte[] b, int n) {
        if (n >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return true;
        }
        if (n >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0x4F && (b[2] & 0xFF) == 0xFF
                && (b[3] & 0xFF) == 0x51) {
            return true;
        }
        return n >= 8 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0x0C && b[4] == 'j' && b[5] == 'P'
                && b[6] == ' ' && b[7] == ' ';
    }

    private static TranscodeException malformed(String message) {
        return new TranscodeException(TranscodeException.Reason.MALFORMED, message);
    }
}
