package org.mosaicpacs.api.codec;

import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The codecs registered right now, as the core sees them. Implemented by the core; plugins use it.
 *
 * <p>Lookups reflect the service registry at the moment of the call. A returned codec stays
 * usable for the operation in hand even if its bundle is stopped meanwhile (the call in flight
 * completes); the next lookup no longer returns it.
 */
@ProviderType
public interface CodecRegistry {

    /** The highest-ranked codec able to decode this syntax and image, if any. */
    Optional<TransferSyntaxCodec> decoderFor(String transferSyntaxUid, ImageDescriptor image);

    /** The highest-ranked codec able to encode this image into this syntax, if any. */
    Optional<TransferSyntaxCodec> encoderFor(String transferSyntaxUid, ImageDescriptor image);

    /** Every compressed transfer syntax some registered codec handles. */
    Set<String> transferSyntaxes();
}
