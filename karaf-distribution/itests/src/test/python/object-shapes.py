#!/usr/bin/python3
"""object-shapes.py OUT_DIR REFERENCE_IMAGE: objects whose layout the CT/MR corpus never has, each in
Explicit and Implicit VR Little Endian, in new series of REFERENCE_IMAGE's study (same patient):

  pdf       Encapsulated PDF, a 200 KB Encapsulated Document after group 0020
  seg       Segmentation, 1-bit multi-frame pixels, Segment Sequence
  rtstruct  RT Structure Set, a large ROI Contour Sequence, no pixels
  gsps      Grayscale Softcopy Presentation State: a sequence first after group 0020
  privob    the reference image with a 40 KB private OB in group 0009, before the study UID
  privsq    the reference image with a private sequence in group 0019 holding a 40 KB OB

Prints one file name per line. pydicom writes them, so our reader does not judge our own writer.
"""
import os
import sys
import warnings

warnings.filterwarnings("ignore")
import pydicom  # noqa: E402
from pydicom.dataset import Dataset, FileMetaDataset  # noqa: E402
from pydicom.sequence import Sequence  # noqa: E402
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid  # noqa: E402
from study_objects import code, gsps, new_object  # noqa: E402


def shapes(ref_path):
    ref = pydicom.dcmread(ref_path, stop_before_pixels=True)
    pattern = bytes(range(256))
    out = {}

    pdf = new_object(ref, "1.2.840.10008.5.1.4.1.1.104.1", "DOC")
    pdf.BurnedInAnnotation = "YES"
    pdf.DocumentTitle = "report"
    pdf.ConceptNameCodeSequence = Sequence([code("18748-4", "LN", "Diagnostic Imaging Report")])
    pdf.MIMETypeOfEncapsulatedDocument = "application/pdf"
    pdf.EncapsulatedDocument = b"%PDF-1.4\n" + pattern * 800 + b"\n%%EOF\n"
    out["pdf"] = pdf

    seg = new_object(ref, "1.2.840.10008.5.1.4.1.1.66.4", "SEG")
    seg.SamplesPerPixel, seg.PhotometricInterpretation = 1, "MONOCHROME2"
    seg.Rows, seg.Columns, seg.NumberOfFrames = 64, 64, 4
    seg.BitsAllocated, seg.BitsStored, seg.HighBit, seg.PixelRepresentation = 1, 1, 0, 0
    seg.SegmentationType = "BINARY"
    segment = Dataset()
    segment.SegmentNumber, segment.SegmentLabel, segment.SegmentAlgorithmType = 1, "lesion", "MANUAL"
    segment.SegmentedPropertyCategoryCodeSequence = Sequence([code("49755003", "SCT", "Morphologically Altered Structure")])
    segment.SegmentedPropertyTypeCodeSequence = Sequence([code("108369006", "SCT", "Neoplasm")])
    seg.SegmentSequence = Sequence([segment])
    seg.PixelData = pattern * 8  # 64 x 64 x 4 bits
    out["seg"] = seg

    rt = new_object(ref, "1.2.840.10008.5.1.4.1.1.481.3", "RTSTRUCT")
    rt.StructureSetLabel, rt.StructureSetDate = "S", "20261123"
    roi = Dataset()
    roi.ROINumber, roi.ROIName, roi.ROIGenerationAlgorithm = 1, "GTV", "MANUAL"
    roi.ReferencedFrameOfReferenceUID = generate_uid()
    rt.StructureSetROISequence = Sequence([roi])
    contours = []
    for z in range(50):
        c = Dataset()
        c.ContourGeometricType, c.NumberOfContourPoints = "CLOSED_PLANAR", 200
        c.ContourData = [float(i % 97) + z for i in range(600)]
        contours.append(c)
    roi_contour = Dataset()
    roi_contour.ReferencedROINumber = 1
    roi_contour.ContourSequence = Sequence(contours)
    rt.ROIContourSequence = Sequence([roi_contour])
    out["rtstruct"] = rt

    out["gsps"] = gsps(ref)

    image = pydicom.dcmread(ref_path)
    privob = image.copy()
    privob.private_block(0x0009, "MOSAIC SHAPES", create=True).add_new(0x10, "OB", pattern * 160)
    out["privob"] = privob

    privsq = image.copy()
    item = Dataset()
    item.add_new(0x00190010, "LO", "MOSAIC SHAPES")
    item.add_new(0x00191001, "OB", pattern * 160)
    privsq.private_block(0x0019, "MOSAIC SHAPES", create=True).add_new(0x10, "SQ", Sequence([item]))
    out["privsq"] = privsq
    return out


def main():
    out_dir, ref_path = sys.argv[1], sys.argv[2]
    for name, ds in shapes(ref_path).items():
        for ts, suffix in ((ExplicitVRLittleEndian, "ele"), (ImplicitVRLittleEndian, "ile")):
            copy = ds.copy()
            copy.SOPInstanceUID = generate_uid()
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID = copy.SOPClassUID
            meta.MediaStorageSOPInstanceUID = copy.SOPInstanceUID
            meta.TransferSyntaxUID = ts
            copy.file_meta = meta
            copy.is_little_endian, copy.is_implicit_VR = True, ts == ImplicitVRLittleEndian
            path = os.path.join(out_dir, "%s-%s.dcm" % (name, suffix))
            copy.save_as(path, write_like_original=False)
            print(path)


if __name__ == "__main__":
    main()
