package org.mosaicpacs.codec.rle.internal;

import java.util.List;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.CodecVectors;

/**
 * RLE's test vectors: the RLE frames of pydicom's real files and of the corpus (DCMTK- and
 * GDCM-encoded), and native frames to encode.
 */
final class RleVectors {

    static final CodecVectors<ImageDescriptor> VECTORS = new CodecVectors<>(ImageDescriptor::new,
            List.of(RleCodec.RLE_LOSSLESS), List.of("rle-dcmtk", "rle-gdcm", "implicit-le"));

    private RleVectors() {
    }
}
