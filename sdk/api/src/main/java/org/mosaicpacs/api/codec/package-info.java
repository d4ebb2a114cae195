/**
 * Transfer-syntax codecs: the SPI a codec bundle implements and the registry the core offers.
 *
 * <p>A codec is a {@link org.mosaicpacs.api.codec.TransferSyntaxCodec} service carrying the
 * transfer syntax UIDs it handles in {@value org.mosaicpacs.api.codec.TransferSyntaxCodec#TRANSFER_SYNTAX_PROPERTY}
 * (use {@link org.mosaicpacs.api.codec.CodecProperties}) and, optionally, a {@code service.ranking}.
 * Codecs work on one frame at a time and know nothing of data sets: the transcoder in the core
 * takes frames out of and back into the encapsulated Pixel Data and fixes the data set.
 */
@Export
@Version("1.0.0")
package org.mosaicpacs.api.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
