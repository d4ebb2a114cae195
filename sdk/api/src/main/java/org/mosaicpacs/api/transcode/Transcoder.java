package org.mosaicpacs.api.transcode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Converts DICOM instances and single frames from one transfer syntax to another. Implemented by
 * the core; retrieve services, DICOMweb and plugins use it.
 *
 * <p>What can be converted is decided at the moment of each call from the codecs registered then
 * ({@link org.mosaicpacs.api.codec.CodecRegistry}): installing, updating or removing a codec
 * bundle changes the answers without a restart. An operation picks its codecs when it starts and
 * finishes with them even if their bundle goes away meanwhile.
 *
 * <p>Uncompressed syntaxes (Implicit and Explicit VR Little Endian, Explicit VR Big Endian,
 * Deflated Explicit VR Little Endian) need no codec. Between compressed syntaxes a frame is
 * decoded and encoded again; an instance already in the target syntax is copied unchanged.
 *
 * <p>What a conversion does to the data set (Photometric Interpretation, Planar Configuration,
 * Pixel Representation, Lossy Image Compression, SOP Instance UID, offset tables) is described on
 * {@link #transcode}.
 *
 * <p>Threading: safe for concurrent calls from many threads; every call blocks for its I/O and
 * codec work. Memory: about one native frame and its encoded form per call, plus the compressed
 * fragments of the frame being read; converted pixel data beyond a configured size is spooled to
 * a temporary file that is deleted before the call returns.
 *
 * <p>Failures: problems with the instance (no codec, corrupt frame, malformed data set, lossy
 * conversion refused) are {@link TranscodeException}s naming the frame where there is one; they
 * never affect other calls. {@link IOException} is left for the streams and channels given.
 */
@ProviderType
public interface Transcoder {

    /**
     * Whether an image in {@code sourceTransferSyntaxUid} can be converted into
     * {@code targetTransferSyntaxUid} with the codecs registered now. Policy (whether a lossy
     * conversion is acceptable) is not considered: see {@link Transcoding#isLossy(String, String)}.
     *
     * @param image the image as its data set states it ({@link Transcoding#imageDescriptor}), or
     *              null for an instance without Pixel Data (always convertible between any two
     *              syntaxes)
     */
    boolean canTranscode(String sourceTransferSyntaxUid, String targetTransferSyntaxUid, ImageDescriptor image);

    /**
     * Chooses the transfer syntax to send an image in, from those a peer accepts: the stored
     * syntax if acceptable; otherwise the first acceptable syntax the image can be converted to
     * without loss (decompressing a lossy image loses nothing more; an instance without Pixel
     * Data loses nothing in any syntax); otherwise, if {@code allowLossy}, the first one it can be
     * converted to at all. This is what a C-STORE sub-operation or a WADO-RS response needs when
     * the peer did not accept the stored syntax.
     *
     * @param acceptable transfer syntax UIDs in the peer's order of preference
     * @param image      as for {@link #canTranscode}; null for an instance without Pixel Data
     * @return the syntax to use, or empty if none of them can be produced now
     */
    Optional<String> selectTransferSyntax(String sourceTransferSyntaxUid, ImageDescriptor image,
                                          List<String> acceptable, boolean allowLossy);

    /**
     * Converts one instance, streaming. Reads the source (a Part 10 file, or a bare data set in
     * {@link TranscodeRequest#sourceTransferSyntaxUid()}) to the end of its data set and writes
     * the converted instance (Part 10 or a bare data set, {@link TranscodeRequest#part10()}).
     * Neither stream is closed.
     *
     * <p>Rules applied to the data set when Pixel Data is converted:
     * <ul>
     * <li>Photometric Interpretation, Planar Configuration (only where Samples per Pixel &gt; 1),
     *     Bits Allocated, Bits Stored, High Bit and Pixel Representation become what the codec
     *     reports for the converted frames (e.g. YBR_FULL_422 after JPEG Baseline of RGB, Planar
     *     Configuration 1 after RLE of colour, RGB after decoding JPEG YBR_FULL_422).</li>
     * <li>Encapsulated Pixel Data (PS3.5 A.4) is OB with one fragment per frame and a Basic Offset
     *     Table; with {@link TranscodeRequest#extendedOffsetTable()}, or when offsets do not fit 32
     *     bits, an Extended Offset Table (7FE0,0001/0002) and an empty Basic Offset Table instead.
     *     Native Pixel Data is OB for Bits Allocated up to 8 and OW above (PS3.5 A.2).</li>
     * <li>A lossy conversion (PS3.3 C.7.6.1.1.5) sets Lossy Image Compression (0028,2110) to 01,
     *     appends the compression ratio (0028,2112) and method (0028,2114) to the values already
     *     there, sets Image Type value 1 to DERIVED, appends to Derivation Description and
     *     Derivation Code Sequence (113040 Lossy Compression) and, with
     *     {@link LossyPolicy#NEW_SOP_INSTANCE_UID}, gives the instance a new SOP Instance UID and
     *     references its predecessor in Source Image Sequence (121320 Uncompressed predecessor).
     *     Decompressing a lossy syntax keeps the UID and never resets Lossy Image Compression.</li>
     * <li>Existing offset tables that no longer apply are removed.</li>
     * </ul>
     *
     * <p>Output is all or nothing for problems with the instance: every frame is converted (and
     * spooled) before the first byte is written, so a {@link TranscodeException} means nothing
     * was written and a C-STORE sub-operation can fail alone without aborting the association.
     * Only an {@link IOException} of the streams themselves, or a source that ends early while
     * it is copied unchanged, can leave partial output.
     *
     * @return what was done
     * @throws TranscodeException the instance cannot be converted (see {@link TranscodeException.Reason})
     * @throws IOException        reading the source or writing the target failed
     */
    TranscodeResult transcode(InputStream source, OutputStream target, TranscodeRequest request)
            throws TranscodeException, IOException;

    /**
     * Opens a stored instance for reading single frames by random access: only the data set
     * before Pixel Data and the item headers of encapsulated Pixel Data are read at open; each
     * frame is then read at its offset, so memory stays at one frame whatever the instance size.
     *
     * @param instance a Part 10 file (or a data set without meta information, its syntax guessed)
     *                 from position 0; not closed by the reader
     * @throws TranscodeException {@link TranscodeException.Reason#NOT_AN_IMAGE} without Pixel Data,
     *                            {@link TranscodeException.Reason#MALFORMED} if the data set or
     *                            its frames cannot be located
     */
    FrameReader openFrames(SeekableByteChannel instance) throws TranscodeException, IOException;
}
