package org.mosaicpacs.api.codec;

import java.util.Objects;

/**
 * The Image Pixel Module attributes (PS3.3 C.7.6.3) a codec needs to read or write one frame.
 *
 * <p>Native (uncompressed) frames exchanged with a codec are laid out as in an Explicit VR Little
 * Endian data set: samples of {@code bitsAllocated} bits (8 or 16; 32 where a codec says so),
 * little endian, interleaved ({@code planarConfiguration} 0) or by plane (1), rows top to bottom.
 *
 * @param rows                      Rows (0028,0010)
 * @param columns                   Columns (0028,0011)
 * @param samplesPerPixel           Samples per Pixel (0028,0002): 1 or 3
 * @param bitsAllocated             Bits Allocated (0028,0100)
 * @param bitsStored                Bits Stored (0028,0101)
 * @param highBit                   High Bit (0028,0102)
 * @param signed                    Pixel Representation (0028,0103) is 1
 * @param photometricInterpretation Photometric Interpretation (0028,0004), e.g. MONOCHROME2, RGB, YBR_FULL_422
 * @param planarConfiguration       Planar Configuration (0028,0006): 0 interleaved, 1 planes
 */
public record ImageDescriptor(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                              int highBit, boolean signed, String photometricInterpretation,
                              int planarConfiguration) {

    public ImageDescriptor {
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException("rows and columns must be positive: " + rows + "x" + columns);
        }
        if (samplesPerPixel != 1 && samplesPerPixel != 3 && samplesPerPixel != 4) {
            throw new IllegalArgumentException("unsupported Samples per Pixel " + samplesPerPixel);
        }
        if (bitsAllocated <= 0 || bitsAllocated % 8 != 0 && bitsAllocated != 1) {
            throw new IllegalArgumentException("unsupported Bits Allocated " + bitsAllocated);
        }
        if (bitsStored <= 0 || bitsStored > bitsAllocated) {
            throw new IllegalArgumentException("Bits Stored " + bitsStored + " not in 1.." + bitsAllocated);
        }
        Objects.requireNonNull(photometricInterpretation, "photometricInterpretation");
    }

    /** Bytes of one native frame in the layout described above. */
    public long frameLength() {
        long pixels = (long) rows * columns * samplesPerPixel;
        return bitsAllocated == 1 ? (pixels + 7) / 8 : pixels * (bitsAllocated / 8);
    }

    /** A copy with another photometric interpretation (what a decoder or encoder changed). */
    public ImageDescriptor withPhotometricInterpretation(String pi) {
        return new ImageDescriptor(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
                pi, planarConfiguration);
    }

    /** A copy with another planar configuration. */
    public ImageDescriptor withPlanarConfiguration(int pc) {
        return new ImageDescriptor(rows, columns, samplesPerPixel, bitsAllocated, bitsStored, highBit, signed,
                photometricInterpretation, pc);
    }
}
