package org.mosaicpacs.api.transcode;

import java.io.IOException;

import org.mosaicpacs.api.codec.EncodeOptions;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.dicom.DataSet;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Single frames of one stored instance, read by random access ({@link Transcoder#openFrames}):
 * what WADO-RS {@code /frames}, rendering and thumbnails need. Frames are numbered from 1, as in
 * DICOM and PS3.18.
 *
 * <p>The decoder is chosen at the first frame that needs one and kept for the life of the reader,
 * so a codec update in the middle of a multi-frame response does not mix codecs.
 *
 * <p>Not thread-safe: one reader per request. Closing it releases the codecs; the channel it
 * reads stays open (it belongs to the caller).
 */
@ProviderType
public interface FrameReader extends AutoCloseable {

    /**
     * The data set without Pixel Data, read-only. Values longer than 64 KiB (other than Pixel
     * Data) are {@link org.mosaicpacs.dicom.BulkData} references whose offset and length locate
     * them in the instance's channel (loaded instead for a Deflated instance).
     */
    DataSet header();

    /** The syntax the instance is stored in. */
    String transferSyntaxUid();

    /** The Image Pixel attributes as the data set states them. */
    ImageDescriptor image();

    /** Number of Frames (1 if absent). */
    int numberOfFrames();

    /**
     * One frame as native pixels: the bytes that frame would have in Explicit VR Little Endian
     * after {@link Transcoder#transcode} (little-endian samples; a 1-bit frame starts on a byte
     * boundary), with the descriptor that applies to them after decoding (e.g. RGB and Planar
     * Configuration 0 after JPEG Baseline YBR_FULL_422). This is the
     * {@code application/octet-stream} frame of WADO-RS and the input of rendering.
     *
     * @param frameNumber 1..{@link #numberOfFrames()}
     * @throws TranscodeException {@link TranscodeException.Reason#NOT_AN_IMAGE} for a frame number
     *                            out of range, {@link TranscodeException.Reason#UNSUPPORTED} if no
     *                            codec can decode it now, {@link TranscodeException.Reason#CORRUPT_FRAME}
     *                            if its bit stream is corrupt
     */
    Frame decode(int frameNumber) throws TranscodeException, IOException;

    /**
     * One frame in a transfer syntax: the compressed bit stream for an encapsulated syntax
     * (WADO-RS {@code image/jpeg}, {@code image/jls}, {@code image/jp2}, ...), or the native
     * pixels of {@link #decode} for an uncompressed one. A frame already stored in the target
     * syntax is returned as stored (its fragments concatenated, without item padding beyond the
     * codec's own), never re-encoded. Any uncompressed syntax gives the little-endian pixels of
     * {@link #decode}, reported as Explicit VR Little Endian.
     *
     * @param transferSyntaxUid the syntax wanted
     * @param options           quality settings when the frame must be encoded lossily
     * @throws TranscodeException as for {@link #decode}, and {@link TranscodeException.Reason#UNSUPPORTED}
     *                            if no codec can encode the frame into that syntax now
     */
    Frame frame(int frameNumber, String transferSyntaxUid, EncodeOptions options) throws TranscodeException, IOException;

    /** Releases what the reader holds; the instance's channel is not closed. */
    @Override
    void close();
}
