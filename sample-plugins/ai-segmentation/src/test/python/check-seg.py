#!/usr/bin/python3
"""Independent check of the sample plugin's SEG and SR with pydicom and numpy.

usage: check-seg.py SEG SR LUNG_MAX_HU BONE_MIN_HU CT...

For every frame of the SEG: the source slice named in its Derivation Image Sequence exists, the
frame's Image Position equals the slice's, and every pixel set in the frame is inside the threshold
of its segment on that slice (the plugin only ever removes voxels from a threshold mask, through
connected components). Each segment also keeps most of its threshold voxels inside the body, and
the SR's volumes equal voxel count x voxel volume. Prints "frames ok" on success.
"""
import sys

import numpy as np
import pydicom

seg_path, sr_path, lung_max, bone_min = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
cts = {}
for p in sys.argv[5:]:
    ds = pydicom.dcmread(p)
    cts[ds.SOPInstanceUID] = ds

seg = pydicom.dcmread(seg_path)
assert seg.SOPClassUID == "1.2.840.10008.5.1.4.1.1.66.4", seg.SOPClassUID
assert seg.BitsAllocated == 1 and seg.SegmentationType == "BINARY"
frames = seg.pixel_array  # pydicom unpacks 1-bit frames itself
if frames.ndim == 2:
    frames = frames[np.newaxis]
assert frames.shape[0] == int(seg.NumberOfFrames), (frames.shape, seg.NumberOfFrames)
labels = {s.SegmentNumber: s.SegmentLabel for s in seg.SegmentSequence}
assert set(labels.values()) == {"Lung", "Bone"}, labels

counts = {n: 0 for n in labels}
for i, fg in enumerate(seg.PerFrameFunctionalGroupsSequence):
    number = fg.SegmentIdentificationSequence[0].ReferencedSegmentNumber
    src = fg.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
    ct = cts[src]
    assert [float(v) for v in fg.PlanePositionSequence[0].ImagePositionPatient] == \
        [float(v) for v in ct.ImagePositionPatient], "frame %d position" % i
    hu = ct.pixel_array.astype(np.float64) * float(ct.RescaleSlope) + float(ct.RescaleIntercept)
    mask = frames[i].astype(bool)
    allowed = hu <= lung_max if labels[number] == "Lung" else hu >= bone_min
    outside = int(np.count_nonzero(mask & ~allowed))
    assert outside == 0, "frame %d: %d pixels outside the %s threshold" % (i, outside, labels[number])
    assert mask.any(), "frame %d is empty" % i
    counts[number] += int(np.count_nonzero(mask))

spacing = [float(v) for v in seg.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing]
between = float(seg.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].SpacingBetweenSlices)
voxel = spacing[0] * spacing[1] * between

sr = pydicom.dcmread(sr_path)
volumes = {}
def walk(items):
    for item in items:
        if item.ValueType == "CONTAINER" and item.ConceptNameCodeSequence[0].CodeValue == "125007":
            number = None
            value = None
            for c in item.ContentSequence:
                if c.ValueType == "IMAGE" and "ReferencedSOPSequence" in c:
                    ref = c.ReferencedSOPSequence[0]
                    assert ref.ReferencedSOPInstanceUID == seg.SOPInstanceUID
                    number = ref.ReferencedSegmentNumber
                if c.ValueType == "NUM":
                    value = float(c.MeasuredValueSequence[0].NumericValue)
            volumes[number] = value
        if "ContentSequence" in item:
            walk(item.ContentSequence)
walk(sr.ContentSequence)
for n, count in counts.items():
    expected = count * voxel
    assert abs(volumes[n] - expected) <= 0.1, (labels[n], volumes[n], expected)
print("frames ok: %d frames, %s" % (frames.shape[0],
      ", ".join("%s %d voxels %.1f mm3" % (labels[n], counts[n], volumes[n]) for n in sorted(counts))))
