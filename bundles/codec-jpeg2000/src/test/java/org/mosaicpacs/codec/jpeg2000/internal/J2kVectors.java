package org.mosaicpacs.codec.jpeg2000.internal;

import java.util.List;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.testing.codec.CodecVectors;

/**
 * JPEG 2000's test vectors: the lossless and lossy frames of pydicom's real files and of the corpus
 * with GDCM's decodes (the only other JPEG 2000 decoder here), and native frames to encode.
 */
final class J2kVectors {

    static final CodecVectors<ImageDescriptor> VECTORS = new CodecVectors<>(ImageDescriptor::new,
            List.of(Jpeg2000Codec.LOSSLESS, Jpeg2000Codec.LOSSY), List.of("j2k-lossless", "j2k-lossy", "implicit-le"));

    private J2kVectors() {
    }
}
