package org.mosaicpacs.sample.ai.segmentation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.mosaicpacs.api.ai.AiException;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.TransferSyntax;
import org.mosaicpacs.dicom.io.DicomReader;
import org.mosaicpacs.dicom.io.ReadOptions;
import org.mosaicpacs.dicom.io.StopCondition;

/**
 * A CT series as a volume of Hounsfield units: the slices' headers sorted along the slice normal
 * and their pixels rescaled (PS3.3 C.11.1.1.2: HU = stored value x Rescale Slope + Rescale Intercept).
 * Holds {@code rows x columns x slices} shorts (a 512 x 512 x 300 series: 150 MiB).
 */
final class CtVolume {

    /** One slice: its header (without Pixel Data), position along the normal, and its HU. */
    record Slice(DataSet header, double position, short[] hu) {
    }

    final int rows;
    final int columns;
    final List<Slice> slices;
    /** Row and column spacing (mm), PS3.3 C.7.6.2.1.1: row spacing first. */
    final double rowSpacing;
    final double columnSpacing;
    /** Distance between slice centres (mm). */
    final double sliceSpacing;

    private CtVolume(int rows, int columns, List<Slice> slices, double rowSpacing, double columnSpacing,
                     double sliceSpacing) {
        this.rows = rows;
        this.columns = columns;
        this.slices = slices;
        this.rowSpacing = rowSpacing;
        this.columnSpacing = columnSpacing;
        this.sliceSpacing = sliceSpacing;
    }

    /** Where the slices' Part 10 bytes come from. */
    interface SliceSource {
        InputStream open(String sopInstanceUid) throws IOException, AiException;
    }

    /**
     * Reads the slices.
     *
     * @throws AiException (permanent) if the slices do not form one volume: different sizes or
     *                     orientations, missing geometry, compressed or non-16-bit pixels
     */
    static CtVolume read(List<String> sopInstanceUids, SliceSource source) throws AiException, IOException,
            InterruptedException {
        List<Slice> slices = new ArrayList<>();
        double[] orientation = null;
        int rows = -1;
        int columns = -1;
        for (String uid : sopInstanceUids) {
            if (Thread.interrupted()) {
                throw new InterruptedException("reading the CT series");
            }
            try (InputStream in = source.open(uid); DicomReader reader = DicomReader.open(in, ReadOptions.defaults())) {
                DataSet header = reader.readDataSet(StopCondition.beforeTag(Tag.PixelData));
                TransferSyntax ts = reader.transferSyntax();
                if (reader.tag() != Tag.PixelData || ts.encapsulated() || reader.length() < 0) {
                    throw AiException.permanentFailure("slice " + header.getInt(Tag.InstanceNumber, 0)
                            + " has no uncompressed Pixel Data (transfer syntax " + ts.uid()
                            + "); the sample reads native CT only");
                }
                int r = header.getInt(Tag.Rows, -1);
                int c = header.getInt(Tag.Columns, -1);
                double[] iop = header.getDoubles(Tag.ImageOrientationPatient);
                double[] ipp = header.getDoubles(Tag.ImagePositionPatient);
                if (header.getInt(Tag.BitsAllocated, -1) != 16 || header.getInt(Tag.SamplesPerPixel, 1) != 1) {
                    throw AiException.permanentFailure("CT slices must be 16-bit greyscale");
                }
                if (iop == null || iop.length != 6 || ipp == null || ipp.length != 3
                        || header.getDoubles(Tag.PixelSpacing) == null) {
                    throw AiException.permanentFailure("a CT slice lacks Image Position, Image Orientation or Pixel Spacing");
                }
                if (orientation == null) {
                    orientation = iop;
                    rows = r;
                    columns = c;
                } else if (r != rows || c != columns || !sameOrientation(orientation, iop)) {
                    throw AiException.permanentFailure("the series mixes slice sizes or orientations: not one volume");
                }
                byte[] pixels = reader.valueStream().readNBytes((int) reader.length());
                if (pixels.length < 2L * rows * columns) {
                    throw AiException.permanentFailure("a slice's Pixel Data is shorter than Rows x Columns");
                }
                slices.add(new Slice(header, dot(normal(iop), ipp), hounsfield(header, pixels, rows * columns, ts.bigEndian())));
            }
        }
        slices.sort(Comparator.comparingDouble(Slice::position));
        double[] spacing = slices.get(0).header().getDoubles(Tag.PixelSpacing);
        return new CtVolume(rows, columns, List.copyOf(slices), spacing[0], spacing[1], sliceSpacing(slices));
    }

    /** Median distance between neighbouring slices; Slice Thickness for a single slice. */
    private static double sliceSpacing(List<Slice> slices) {
        if (slices.size() < 2) {
            double thickness = slices.get(0).header().getDouble(Tag.SliceThickness, 1.0);
            return thickness > 0 ? thickness : 1.0;
        }
        double[] gaps = new double[slices.size() - 1];
        for (int i = 1; i < slices.size(); i++) {
            gaps[i - 1] = Math.abs(slices.get(i).position() - slices.get(i - 1).position());
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }

    private static short[] hounsfield(DataSet header, byte[] pixels, int count, boolean bigEndian) {
        double slope = header.getDouble(Tag.RescaleSlope, 1.0);
        double intercept = header.getDouble(Tag.RescaleIntercept, 0.0);
        boolean signed = header.getInt(Tag.PixelRepresentation, 0) == 1;
        int bitsStored = header.getInt(Tag.BitsStored, 16);
        short[] hu = new short[count];
        for (int i = 0; i < count; i++) {
            int first = pixels[2 * i] & 0xFF;
            int second = pixels[2 * i + 1] & 0xFF;
            int word = bigEndian ? first << 8 | second : second << 8 | first;
            int stored = word & ((1 << bitsStored) - 1);
            if (signed && (stored & (1 << (bitsStored - 1))) != 0) {
                stored -= 1 << bitsStored; // sign-extend from High Bit (PS3.5 8.1.1)
            }
            double value = stored * slope + intercept;
            hu[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
        }
        return hu;
    }

    static double[] normal(double[] iop) {
        return new double[] {
            iop[1] * iop[5] - iop[2] * iop[4],
            iop[2] * iop[3] - iop[0] * iop[5],
            iop[0] * iop[4] - iop[1] * iop[3]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static boolean sameOrientation(double[] a, double[] b) {
        for (int i = 0; i < 6; i++) {
            if (Math.abs(a[i] - b[i]) > 1e-3) {
                return false;
            }
        }
        return true;
    }

    int voxels() {
        return rows * columns * slices.size();
    }

    double voxelVolumeMm3() {
        return rowSpacing * columnSpacing * sliceSpacing;
    }
}
