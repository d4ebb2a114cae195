package org.mosaicpacs.sample.ai.segmentation.internal;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.mosaicpacs.api.ai.CodedConcept;
import org.mosaicpacs.api.ai.StudyContext;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Sequence;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.UidGenerator;
import org.mosaicpacs.dicom.VR;

/**
 * Writes a BINARY Segmentation instance (PS3.3 A.51) of a {@link CtVolume}: one frame per slice
 * and segment where the segment has voxels, frames packed one bit per pixel without padding
 * between frames (PS3.5 8.1.1), per-frame Plane Position, Derivation Image (the source slice),
 * Frame Content and Segment Identification, shared Pixel Measures and Plane Orientation, and the
 * dimensions (segment number, image position) viewers such as OHIF use to place the frames.
 */
final class SegmentationWriter {

    /** One segment to write. */
    record Segment(int number, String label, CodedConcept category, CodedConcept type, int[] cieLab, BitSet voxels) {
    }

    private static final CodedConcept SEGMENTATION_DERIVATION = CodedConcept.dcm("113076", "Segmentation");
    private static final CodedConcept SOURCE_IMAGE_PURPOSE =
            CodedConcept.dcm("121322", "Source image for image processing operation");
    private static final CodedConcept ALGORITHM_FAMILY = CodedConcept.dcm("123105", "Histogram Analysis");

    private final String manufacturer;
    private final String algorithmName;
    private final String algorithmVersion;

    SegmentationWriter(String manufacturer, String algorithmName, String algorithmVersion) {
        this.manufacturer = manufacturer;
        this.algorithmName = algorithmName;
        this.algorithmVersion = algorithmVersion;
    }

    DataSet write(CtVolume v, List<Segment> segments, String seriesUid, String sopInstanceUid, int seriesNumber,
                  LocalDateTime now) {
        DataSet first = v.slices.get(0).header();
        DataSet ds = new DataSet();
        StudyContext.copy(first, ds);
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SegmentationStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        ds.setDate(Tag.InstanceCreationDate, now.toLocalDate());
        ds.setTime(Tag.InstanceCreationTime, now.toLocalTime().withNano(0));
        // General and Segmentation Series
        ds.setString(Tag.Modality, VR.CS, "SEG");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        ds.setInt(Tag.SeriesNumber, VR.IS, seriesNumber);
        ds.setString(Tag.SeriesDescription, VR.LO, algorithmName);
        // Frame of Reference: the source's, so the segments sit on the CT
        ds.setString(Tag.FrameOfReferenceUID, VR.UI, first.getString(Tag.FrameOfReferenceUID));
        copyOrEmpty(first, ds, Tag.PositionReferenceIndicator, VR.LO);
        // General and Enhanced General Equipment
        ds.setString(Tag.Manufacturer, VR.LO, manufacturer);
        ds.setString(Tag.ManufacturerModelName, VR.LO, algorithmName);
        ds.setString(Tag.DeviceSerialNumber, VR.LO, "1");
        ds.setString(Tag.SoftwareVersions, VR.LO, algorithmVersion);
        // General Image, Segmentation Image (Content Identification)
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        ds.setDate(Tag.ContentDate, now.toLocalDate());
        ds.setTime(Tag.ContentTime, now.toLocalTime().withNano(0));
        ds.setString(Tag.ImageType, VR.CS, "DERIVED", "PRIMARY");
        ds.setString(Tag.ContentLabel, VR.CS, "SEGMENTATION");
        ds.setString(Tag.ContentDescription, VR.LO, algorithmName);
        ds.setNull(Tag.ContentCreatorName, VR.PN);
        ds.setString(Tag.SegmentationType, VR.CS, "BINARY");
        ds.setString(Tag.LossyImageCompression, VR.CS, "00");
        // Image Pixel: 1 bit per pixel
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, v.rows);
        ds.setInt(Tag.Columns, VR.US, v.columns);
        ds.setInt(Tag.BitsAllocated, VR.US, 1);
        ds.setInt(Tag.BitsStored, VR.US, 1);
        ds.setInt(Tag.HighBit, VR.US, 0);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        writeSegmentSequence(ds, segments);
        writeDimensions(ds);
        writeSharedGroups(ds, v, first);

        int plane = v.rows * v.columns;
        List<int[]> frames = new ArrayList<>(); // {segment index, slice index}
        for (int s = 0; s < segments.size(); s++) {
            BitSet voxels = segments.get(s).voxels();
            for (int z = 0; z < v.slices.size(); z++) {
                int next = voxels.nextSetBit(z * plane);
                if (next >= 0 && next < (z + 1) * plane) {
                    frames.add(new int[] {s, z});
                }
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no segment has a voxel: nothing to write");
        }
        ds.setInt(Tag.NumberOfFrames, VR.IS, frames.size());
        Sequence perFrame = ds.newSequence(Tag.PerFrameFunctionalGroupsSequence, frames.size());
        byte[] pixels = new byte[(int) (((long) frames.size() * plane + 7) / 8)];
        long bit = 0;
        for (int[] f : frames) {
            Segment segment = segments.get(f[0]);
            CtVolume.Slice slice = v.slices.get(f[1]);
            writeFrameGroups(perFrame.addNewItem(), segment, slice, f[1] + 1);
            BitSet voxels = segment.voxels();
            int base = f[1] * plane;
            for (int i = voxels.nextSetBit(base); i >= 0 && i < base + plane; i = voxels.nextSetBit(i + 1)) {
                long b = bit + (i - base);
                pixels[(int) (b >>> 3)] |= (byte) (1 << (b & 7)); // first pixel in the least significant bit
            }
            bit += plane;
        }
        writeReferencedSeries(ds, v);
        ds.setBytes(Tag.PixelData, VR.OB, pixels);
        return ds;
    }

    private void writeSegmentSequence(DataSet ds, List<Segment> segments) {
        Sequence seq = ds.newSequence(Tag.SegmentSequence);
        for (Segment s : segments) {
            DataSet item = seq.addNewItem();
            item.setInt(Tag.SegmentNumber, VR.US, s.number());
            item.setString(Tag.SegmentLabel, VR.LO, s.label());
            item.setString(Tag.SegmentAlgorithmType, VR.CS, "AUTOMATIC");
            item.setString(Tag.SegmentAlgorithmName, VR.LO, algorithmName);
            s.category().setAsSequence(item, Tag.SegmentedPropertyCategoryCodeSequence);
            s.type().setAsSequence(item, Tag.SegmentedPropertyTypeCodeSequence);
            item.setInt(Tag.RecommendedDisplayCIELabValue, VR.US, s.cieLab());
            // Algorithm Identification (PS3.3 C.8.20.2: required for AUTOMATIC)
            ALGORITHM_FAMILY.setAsSequence(item, Tag.AlgorithmFamilyCodeSequence);
            item.setString(Tag.AlgorithmName, VR.LO, algorithmName);
            item.setString(Tag.AlgorithmVersion, VR.LO, algorithmVersion);
        }
    }

    /** Dimensions (PS3.3 C.7.6.17): Referenced Segment Number, then Image Position (Patient). */
    private static void writeDimensions(DataSet ds) {
        String organization = UidGenerator.newUid();
        ds.newSequence(Tag.DimensionOrganizationSequence).addNewItem()
                .setString(Tag.DimensionOrganizationUID, VR.UI, organization);
        ds.setString(Tag.DimensionOrganizationType, VR.CS, "3D");
        Sequence index = ds.newSequence(Tag.DimensionIndexSequence);
        DataSet segment = index.addNewItem();
        segment.setString(Tag.DimensionOrganizationUID, VR.UI, organization);
        segment.setInt(Tag.DimensionIndexPointer, VR.AT, Tag.ReferencedSegmentNumber);
        segment.setInt(Tag.FunctionalGroupPointer, VR.AT, Tag.SegmentIdentificationSequence);
        segment.setString(Tag.DimensionDescriptionLabel, VR.LO, "ReferencedSegmentNumber");
        DataSet position = index.addNewItem();
        position.setString(Tag.DimensionOrganizationUID, VR.UI, organization);
        position.setInt(Tag.DimensionIndexPointer, VR.AT, Tag.ImagePositionPatient);
        position.setInt(Tag.FunctionalGroupPointer, VR.AT, Tag.PlanePositionSequence);
        position.setString(Tag.DimensionDescriptionLabel, VR.LO, "ImagePositionPatient");
    }

    private static void writeSharedGroups(DataSet ds, CtVolume v, DataSet first) {
        DataSet shared = ds.newSequence(Tag.SharedFunctionalGroupsSequence).addNewItem();
        DataSet measures = shared.newSequence(Tag.PixelMeasuresSequence).addNewItem();
        measures.setString(Tag.PixelSpacing, VR.DS, first.getStrings(Tag.PixelSpacing));
        measures.setString(Tag.SliceThickness, VR.DS, decimal(first.getDouble(Tag.SliceThickness, v.sliceSpacing)));
        measures.setString(Tag.SpacingBetweenSlices, VR.DS, decimal(v.sliceSpacing));
        shared.newSequence(Tag.PlaneOrientationSequence).addNewItem()
                .setString(Tag.ImageOrientationPatient, VR.DS, first.getStrings(Tag.ImageOrientationPatient));
    }

    private static void writeFrameGroups(DataSet frame, Segment segment, CtVolume.Slice slice, int sliceIndex) {
        DataSet derivation = frame.newSequence(Tag.DerivationImageSequence).addNewItem();
        SEGMENTATION_DERIVATION.setAsSequence(derivation, Tag.DerivationCodeSequence);
        DataSet source = derivation.newSequence(Tag.SourceImageSequence).addNewItem();
        source.setString(Tag.ReferencedSOPClassUID, VR.UI, slice.header().getString(Tag.SOPClassUID));
        source.setString(Tag.ReferencedSOPInstanceUID, VR.UI, slice.header().getString(Tag.SOPInstanceUID));
        SOURCE_IMAGE_PURPOSE.setAsSequence(source, Tag.PurposeOfReferenceCodeSequence);
        frame.newSequence(Tag.FrameContentSequence).addNewItem()
                .setInt(Tag.DimensionIndexValues, VR.UL, segment.number(), sliceIndex);
        frame.newSequence(Tag.PlanePositionSequence).addNewItem()
                .setString(Tag.ImagePositionPatient, VR.DS, slice.header().getStrings(Tag.ImagePositionPatient));
        frame.newSequence(Tag.SegmentIdentificationSequence).addNewItem()
                .setInt(Tag.ReferencedSegmentNumber, VR.US, segment.number());
    }

    /** Referenced Series Sequence (Common Instance Reference, PS3.3 C.12.2): every source slice. */
    private static void writeReferencedSeries(DataSet ds, CtVolume v) {
        DataSet first = v.slices.get(0).header();
        DataSet series = ds.newSequence(Tag.ReferencedSeriesSequence).addNewItem();
        series.setString(Tag.SeriesInstanceUID, VR.UI, first.getString(Tag.SeriesInstanceUID));
        Sequence instances = series.newSequence(Tag.ReferencedInstanceSequence);
        for (CtVolume.Slice s : v.slices) {
            DataSet i = instances.addNewItem();
            i.setString(Tag.ReferencedSOPClassUID, VR.UI, s.header().getString(Tag.SOPClassUID));
            i.setString(Tag.ReferencedSOPInstanceUID, VR.UI, s.header().getString(Tag.SOPInstanceUID));
        }
    }

    private static void copyOrEmpty(DataSet from, DataSet to, int tag, VR vr) {
        String[] values = from.getStrings(tag);
        if (values != null && values.length > 0) {
            to.setString(tag, vr, values);
        } else {
            to.setNull(tag, vr);
        }
    }

    /** A DS value (at most 16 characters). */
    static String decimal(double value) {
        String s = String.format(java.util.Locale.ROOT, "%.6f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.length() <= 16 ? s : String.format(java.util.Locale.ROOT, "%.6g", value);
    }

    /**
     * An sRGB colour as the CIELab value DICOM recommends for display (PS3.3 C.10.7.1.1: L* 0-100
     * and a*, b* -128..127 scaled to 0-65535), via CIE XYZ with the D65 white point.
     */
    static int[] cieLab(int red, int green, int blue) {
        double r = linear(red);
        double g = linear(green);
        double b = linear(blue);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = labF(x);
        double fy = labF(y);
        double fz = labF(z);
        double l = 116 * fy - 16;
        double a = 500 * (fx - fy);
        double bb = 200 * (fy - fz);
        return new int[] {
            (int) Math.round(l * 65535 / 100), (int) Math.round((a + 128) * 65535 / 255),
            (int) Math.round((bb + 128) * 65535 / 255)};
    }

    private static double linear(int c) {
        double v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static double labF(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }
}
