#!/usr/bin/python3
"""pydicom writes the objects of RejectionNoteIT, so that our reader is not judging our own writer.

  iocm-objects.py gsps OUT REFERENCED_IMAGE
      A Grayscale Softcopy Presentation State (PS3.3 A.33.1) on REFERENCED_IMAGE, in a new series of
      its study. Its first element after group 0020 is a sequence (Displayed Area Selection), as in
      every presentation state.
  iocm-objects.py rejection OUT CODE IMAGE...
      An IHE IOCM rejection note (PS3.3 A.35.4 Key Object Selection, TID 2010) titled (CODE, DCM)
      that rejects the IMAGE files (one study, one series), in a new series of their study.
Prints the new object's SOP Instance UID.
"""
import sys
import warnings

warnings.filterwarnings("ignore")
from pydicom.dataset import Dataset, FileMetaDataset  # noqa: E402
from pydicom.sequence import Sequence  # noqa: E402
from pydicom.uid import ExplicitVRLittleEndian  # noqa: E402
import pydicom  # noqa: E402
from study_objects import code, gsps, new_object  # noqa: E402

MEANINGS = {"113001": "Rejected for Quality Reasons", "113037": "Rejected for Patient Safety Reasons",
            "113038": "Incorrect Modality Worklist Entry", "113039": "Data Retention Policy Expired",
            "113000": "Of Interest"}


def rejection(refs, value):
    first = refs[0]
    ds = new_object(first, "1.2.840.10008.5.1.4.1.1.88.59", "KO")
    ds.ReferencedPerformedProcedureStepSequence = Sequence([])  # type 2 (Key Object Document Series)
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([code(value, "DCM", MEANINGS[value])])
    template = Dataset()
    template.MappingResource = "DCMR"
    template.TemplateIdentifier = "2010"
    ds.ContentTemplateSequence = Sequence([template])
    ds.ContinuityOfContent = "SEPARATE"
    sops, content = [], []
    for r in refs:
        sop = Dataset()
        sop.ReferencedSOPClassUID = r.SOPClassUID
        sop.ReferencedSOPInstanceUID = r.SOPInstanceUID
        sops.append(sop)
        item = Dataset()
        item.RelationshipType = "CONTAINS"
        item.ValueType = "IMAGE"
        ref_sop = Dataset()
        ref_sop.ReferencedSOPClassUID = r.SOPClassUID
        ref_sop.ReferencedSOPInstanceUID = r.SOPInstanceUID
        item.ReferencedSOPSequence = Sequence([ref_sop])
        content.append(item)
    series = Dataset()
    series.SeriesInstanceUID = first.SeriesInstanceUID
    series.ReferencedSOPSequence = Sequence(sops)
    study = Dataset()
    study.StudyInstanceUID = first.StudyInstanceUID
    study.ReferencedSeriesSequence = Sequence([series])
    ds.CurrentRequestedProcedureEvidenceSequence = Sequence([study])
    ds.ContentSequence = Sequence(content)
    return ds


def write(ds, out):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(out, write_like_original=False)
    print(ds.SOPInstanceUID)


def main():
    kind, out = sys.argv[1], sys.argv[2]
    if kind == "gsps":
        write(gsps(pydicom.dcmread(sys.argv[3], stop_before_pixels=True)), out)
    elif kind == "rejection":
        refs = [pydicom.dcmread(p, stop_before_pixels=True) for p in sys.argv[4:]]
        write(rejection(refs, sys.argv[3]), out)
    else:
        sys.exit("unknown kind " + kind)


if __name__ == "__main__":
    main()
