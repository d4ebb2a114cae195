package org.mosaicpacs.api.codec;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decodes and encodes single frames of one or more compressed transfer syntaxes.
 *
 * <p>Register as a service with {@link CodecProperties} naming the transfer syntax UIDs; the
 * highest {@code service.ranking} wins for a syntax. The core looks codecs up at the moment of use,
 * so installing, updating or removing a codec bundle changes what the archive accepts and can
 * convert without a restart; an operation already running keeps the codec it started with.
 *
 * <p>Threading: implementations must be safe for concurrent calls from many threads and must not
 * keep per-call state in fields. Calls block the caller for the duration of one frame's work.
 *
 * <p>Failures: a corrupt or unsupported frame raises {@link CodecException} with a message naming
 * the problem; an implementation never lets a {@code RuntimeException} or {@code Error} other than
 * {@code OutOfMemoryError} escape for bad input.
 */
@ConsumerType
public interface TransferSyntaxCodec {

    /** Service property: the transfer syntax UIDs (String or String[]) this codec handles. */
    String TRANSFER_SYNTAX_PROPERTY = "mosaic.codec.transfersyntax";

    /**
     * Whether this codec can decode frames of the given syntax with these image parameters.
     *
     * @param transferSyntaxUid one of the UIDs this codec registered
     * @param image             the parameters as the data set states them
     */
    boolean canDecode(String transferSyntaxUid, ImageDescriptor image);

    /**
     * Whether this codec can encode frames with these image parameters into the given syntax.
     */
    boolean canEncode(String transferSyntaxUid, ImageDescriptor image);

    /**
     * Decodes one frame.
     *
     * @param transferSyntaxUid the syntax the frame is encoded in
     * @param image             the image parameters stated by the data set
     * @param frame             the frame's compressed bytes (all fragments of it concatenated,
     *                          trailing padding allowed)
     * @return the native pixels and the descriptor that applies to them
     * @throws CodecException when the bit stream is corrupt, truncated or unsupported
     */
    DecodedFrame decode(String transferSyntaxUid, ImageDescriptor image, byte[] frame) throws CodecException;

    /**
     * Encodes one native frame.
     *
     * @param transferSyntaxUid the target syntax
     * @param image             the parameters of {@code pixels}
     * @param pixels            one native frame as described by {@code image}
     * @param options           quality settings for lossy syntaxes
     * @return the bit stream and the descriptor the data set must state afterwards
     * @throws CodecException when the parameters are not supported by this syntax or codec
     */
    EncodedFrame encode(String transferSyntaxUid, ImageDescriptor image, byte[] pixels, EncodeOptions options)
            throws CodecException;
}
