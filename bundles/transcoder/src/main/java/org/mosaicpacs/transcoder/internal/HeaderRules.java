package org.mosaicpacs.transcoder.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/**
 * What a conversion of Pixel Data changes in the rest of the data set: the Image Pixel Module
 * (PS3.3 C.7.6.3), the lossy compression history (PS3.3 C.7.6.1.1.5), the instance's identity
 * after a lossy compression, and the offset tables (PS3.5 A.4).
 */
final class HeaderRules {

    /** ST holds at most 1024 characters (PS3.5 Table 6.2-1). */
    private static final int ST_MAX = 1024;

    private HeaderRules() {
    }

    /**
     * Photometric Interpretation, Planar Configuration (only for more than one sample, C.7.6.3.1.3),
     * Bits Allocated, Bits Stored, High Bit and Pixel Representation as the written frames have them.
     */
    static void setImage(DataSet header, ImageDescriptor image) {
        header.setString(Tag.PhotometricInterpretation, VR.CS, image.photometricInterpretation());
        if (image.samplesPerPixel() > 1) {
            header.setInt(Tag.PlanarConfiguration, VR.US, image.planarConfiguration());
        }
        header.setInt(Tag.BitsAllocated, VR.US, image.bitsAllocated());
        header.setInt(Tag.BitsStored, VR.US, image.bitsStored());
        header.setInt(Tag.HighBit, VR.US, image.highBit());
        header.setInt(Tag.PixelRepresentation, VR.US, image.signed() ? 1 : 0);
    }

    /** True if Lossy Image Compression (0028,2110) says 01. */
    static boolean isMarkedLossy(DataSet header) {
        return "01".equals(header.getString(Tag.LossyImageCompression));
    }

    /**
     * Records that the stored pixels were lossy compressed when they are decoded from a lossy
     * syntax whose data set did not say so: Lossy Image Compression 01, and the method and ratio
     * of that compression if the data set has none (as GDCM does). Once 01 it is never reset.
     */
    static void recordSourceLossy(DataSet header, String method, double ratio) {
        if (isMarkedLossy(header)) {
            if (method != null && header.getStrings(Tag.LossyImageCompressionMethod).length == 0
                    && header.getStrings(Tag.LossyImageCompressionRatio).length <= 1) {
                header.setString(Tag.LossyImageCompressionMethod, VR.CS, method);
            }
            return;
        }
        header.setString(Tag.LossyImageCompression, VR.CS, "01");
        if (header.getStrings(Tag.LossyImageCompressionRatio).length == 0 && ratio > 0) {
            header.setString(Tag.LossyImageCompressionRatio, VR.DS, formatRatio(ratio));
        }
        if (method != null && header.getStrings(Tag.LossyImageCompressionMethod).length == 0) {
            header.setString(Tag.LossyImageCompressionMethod, VR.CS, method);
        }
    }

    /**
     * A lossy compression applied now (PS3.3 C.7.6.1.1.5): Lossy Image Compression 01, the ratio and
     * method appended to those of earlier compressions (values in the order applied), Image Type
     * value 1 DERIVED, a sentence in Derivation Description and 113040 "Lossy Compression" in
     * Derivation Code Sequence.
     *
     * @param method the (0028,2114) defined term, or null if the syntax has none
     */
    static void recordLossyCompression(DataSet header, String method, double ratio, String syntaxName) {
        String[] ratios = header.getStrings(Tag.LossyImageCompressionRatio);
        String[] methods = header.getStrings(Tag.LossyImageCompressionMethod);
        header.setString(Tag.LossyImageCompression, VR.CS, "01");
        header.setString(Tag.LossyImageCompressionRatio, VR.DS, append(ratios, formatRatio(ratio)));
        if (method != null) {
            // keep the two lists aligned when earlier compressions recorded a ratio but no method
            header.setString(Tag.LossyImageCompressionMethod, VR.CS,
                    methods.length == ratios.length ? append(methods, method) : new String[] {method});
        }
        String[] imageType = header.getStrings(Tag.ImageType);
        if (imageType.length > 0 && !"DERIVED".equals(imageType[0])) {
            imageType[0] = "DERIVED";
            header.setString(Tag.ImageType, VR.CS, imageType);
        }
        String sentence = "Lossy compression with " + syntaxName + ", compression ratio " + formatRatio(ratio);
        String description = header.getString(Tag.DerivationDescription);
        String combined = description == null ? sentence : description + "; " + sentence;
        header.setString(Tag.DerivationDescription, VR.ST,
                combined.length() <= ST_MAX ? combined : combined.substring(combined.length() - ST_MAX));
        Sequence codes = header.getSequence(Tag.DerivationCodeSequence);
        addCode((codes != null ? codes : header.newSequence(Tag.DerivationCodeSequence)).addNewItem(),
                "113040", "Lossy Compression");
    }

    /**
     * A new SOP Instance UID for a lossy compressed version (PS3.3 C.7.6.1.1.5), referencing the
     * predecessor in Source Image Sequence with purpose 121320 "Uncompressed predecessor", or
     * 121322 "Source image for image processing operation" if the predecessor was itself lossy.
     *
     * @param predecessorLossy the source had Lossy Image Compression 01 before this conversion
     */
    static void newInstance(DataSet header, String newUid, boolean predecessorLossy) {
        String sopClass = header.getString(Tag.SOPClassUID);
        String sopInstance = header.getString(Tag.SOPInstanceUID);
        if (sopClass != null && sopInstance != null) {
            Sequence sources = header.getSequence(Tag.SourceImageSequence);
            DataSet item = (sources != null ? sources : header.newSequence(Tag.SourceImageSequence)).addNewItem();
            item.setString(Tag.ReferencedSOPClassUID, VR.UI, sopClass);
            item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, sopInstance);
            addCode(item.newSequence(Tag.PurposeOfReferenceCodeSequence).addNewItem(),
                    predecessorLossy ? "121322" : "121320",
                    predecessorLossy ? "Source image for image processing operation" : "Uncompressed predecessor");
        }
        header.setString(Tag.SOPInstanceUID, VR.UI, newUid);
    }

    /** Extended Offset Table and its lengths (PS3.5 A.4, PS3.3 C.7.6.3.1.8), as 64-bit values. */
    static void setExtendedOffsetTable(DataSet header, long[] offsets, long[] lengths) {
        header.setBytes(Tag.ExtendedOffsetTable, VR.OV, longs(offsets));
        header.setBytes(Tag.ExtendedOffsetTableLengths, VR.OV, longs(lengths));
    }

    static void removeExtendedOffsetTable(DataSet header) {
        header.remove(Tag.ExtendedOffsetTable);
        header.remove(Tag.ExtendedOffsetTableLengths);
    }

    /** A ratio as a DS of at most 16 characters: up to 4 decimals, no trailing zeros (e.g. "10.0444"). */
    static String formatRatio(double ratio) {
        String s = BigDecimal.valueOf(ratio).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        return s.length() <= 16 ? s : String.valueOf(Math.round(ratio));
    }

    private static void addCode(DataSet item, String value, String meaning) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    private static String[] append(String[] values, String value) {
        String[] all = Arrays.copyOf(values, values.length + 1);
        all[values.length] = value;
        return all;
    }

    private static byte[] longs(long[] values) {
        byte[] b = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            for (int k = 0; k < 8; k++) {
                b[8 * i + k] = (byte) (values[i] >>> 8 * k);
            }
        }
        return b;
    }
}
