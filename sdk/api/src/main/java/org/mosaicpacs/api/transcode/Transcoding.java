package org.mosaicpacs.api.transcode;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;

/**
 * Facts about transfer syntaxes and images that callers of {@link Transcoder} need before they
 * call it: which syntaxes are lossy, and the image a data set describes.
 */
public final class Transcoding {

    /**
     * Lossy transfer syntaxes (PS3.5 Section 10 and Annex A.4) and the Lossy Image Compression
     * Method (0028,2114) defined term of each (PS3.3 C.7.6.1.1.5).
     */
    private static final Map<String, String> LOSSY_METHODS = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.4.50", "ISO_10918_1"),   // JPEG Baseline (Process 1)
            Map.entry("1.2.840.10008.1.2.4.51", "ISO_10918_1"),   // JPEG Extended (Process 2 & 4)
            Map.entry("1.2.840.10008.1.2.4.52", "ISO_10918_1"),   // retired lossy JPEG processes
            Map.entry("1.2.840.10008.1.2.4.53", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.54", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.55", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.56", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.59", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.60", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.61", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.62", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.63", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.64", "ISO_10918_1"),
            Map.entry("1.2.840.10008.1.2.4.81", "ISO_14495_1"),   // JPEG-LS Lossy (Near-Lossless)
            Map.entry("1.2.840.10008.1.2.4.91", "ISO_15444_1"),   // JPEG 2000
            Map.entry("1.2.840.10008.1.2.4.93", "ISO_15444_2"),   // JPEG 2000 Part 2 Multi-component
            Map.entry("1.2.840.10008.1.2.4.203", "ISO_15444_15"), // High-Throughput JPEG 2000
            Map.entry("1.2.840.10008.1.2.4.100", "ISO_13818_2"),  // MPEG2
            Map.entry("1.2.840.10008.1.2.4.100.1", "ISO_13818_2"),
            Map.entry("1.2.840.10008.1.2.4.101", "ISO_13818_2"),
            Map.entry("1.2.840.10008.1.2.4.101.1", "ISO_13818_2"),
            Map.entry("1.2.840.10008.1.2.4.102", "ISO_14496_10"), // MPEG-4 AVC/H.264
            Map.entry("1.2.840.10008.1.2.4.102.1", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.103", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.103.1", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.104", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.104.1", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.105", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.105.1", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.106", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.106.1", "ISO_14496_10"),
            Map.entry("1.2.840.10008.1.2.4.107", "ISO_23008_2"),  // HEVC/H.265
            Map.entry("1.2.840.10008.1.2.4.108", "ISO_23008_2"),
            Map.entry("1.2.840.10008.1.2.4.112", "ISO_18181_1")); // JPEG XL

    private Transcoding() {
    }

    /** True for a transfer syntax whose encoding may lose information (PS3.5 Section 10). */
    public static boolean isLossy(String transferSyntaxUid) {
        return LOSSY_METHODS.containsKey(strip(transferSyntaxUid));
    }

    /**
     * True if converting from {@code source} to {@code target} may lose information: the target
     * is lossy and not the syntax the pixels are already in (an instance already in the target
     * syntax is copied unchanged).
     */
    public static boolean isLossy(String sourceTransferSyntaxUid, String targetTransferSyntaxUid) {
        return isLossy(targetTransferSyntaxUid)
                && !strip(targetTransferSyntaxUid).equals(strip(sourceTransferSyntaxUid));
    }

    /**
     * The Lossy Image Compression Method (0028,2114) defined term of a lossy syntax, e.g.
     * {@code ISO_10918_1} for JPEG Baseline; empty for a lossless syntax.
     */
    public static Optional<String> lossyCompressionMethod(String transferSyntaxUid) {
        return Optional.ofNullable(LOSSY_METHODS.get(strip(transferSyntaxUid)));
    }

    /**
     * The image a data set describes, from its Image Pixel Module (PS3.3 C.7.6.3): empty if Rows,
     * Columns or Bits Allocated are absent (no image). Absent optional attributes take their
     * usual meaning: Samples per Pixel 1, Bits Stored = Bits Allocated, High Bit = Bits Stored - 1,
     * Pixel Representation 0, Planar Configuration 0, Photometric Interpretation MONOCHROME2 for
     * one sample and RGB for three.
     *
     * @throws IllegalArgumentException if the values present cannot describe an image (e.g. Bits
     *                                  Stored above Bits Allocated); the message names them
     */
    public static Optional<ImageDescriptor> imageDescriptor(DataSet dataSet) {
        int rows = dataSet.getInt(Tag.Rows, -1);
        int columns = dataSet.getInt(Tag.Columns, -1);
        int bitsAllocated = dataSet.getInt(Tag.BitsAllocated, -1);
        if (rows < 0 || columns < 0 || bitsAllocated < 0) {
            return Optional.empty();
        }
        int samples = dataSet.getInt(Tag.SamplesPerPixel, 1);
        int bitsStored = dataSet.getInt(Tag.BitsStored, bitsAllocated);
        int highBit = dataSet.getInt(Tag.HighBit, bitsStored - 1);
        String pi = dataSet.getString(Tag.PhotometricInterpretation);
        if (pi == null || pi.isBlank()) {
            pi = samples == 1 ? "MONOCHROME2" : "RGB";
        }
        return Optional.of(new ImageDescriptor(rows, columns, samples, bitsAllocated, bitsStored, highBit,
                dataSet.getInt(Tag.PixelRepresentation, 0) == 1, pi.strip(),
                dataSet.getInt(Tag.PlanarConfiguration, 0)));
    }

    private static String strip(String uid) {
        return Objects.requireNonNull(uid, "transferSyntaxUid").strip();
    }
}
