"""Objects in the study of a reference image, for the itests' pydicom scripts (iocm-objects.py,
object-shapes.py), which find this module next to them."""
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import generate_uid

STUDY_KEYWORDS = ("SpecificCharacterSet", "PatientName", "PatientID", "PatientBirthDate", "PatientSex",
                  "StudyInstanceUID", "StudyDate", "StudyTime", "AccessionNumber", "StudyID",
                  "ReferringPhysicianName")


def code(value, scheme, meaning):
    c = Dataset()
    c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = value, scheme, meaning
    return c


def new_object(ref, sop_class, modality):
    """A new instance of SOP_CLASS in a new series of REF's study, with REF's patient and study."""
    ds = Dataset()
    for kw in STUDY_KEYWORDS:
        if kw in ref:
            setattr(ds, kw, getattr(ref, kw))
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = modality
    ds.SeriesNumber = 99
    ds.InstanceNumber = 1
    ds.Manufacturer = "pydicom"
    ds.ContentDate = "20261123"
    ds.ContentTime = "120000"
    return ds


def gsps(ref):
    """A Grayscale Softcopy Presentation State (PS3.3 A.33.1) on REF. Its first element after group
    0020 is a sequence (Displayed Area Selection, type 1), as in every presentation state."""
    ds = new_object(ref, "1.2.840.10008.5.1.4.1.1.11.1", "PR")
    ds.Laterality = ""  # type 2C (General Series): dciodvfy cannot tell whether the body part is paired
    area = Dataset()
    area.PixelOriginInterpretation = "FRAME"
    area.DisplayedAreaTopLeftHandCorner = [1, 1]
    area.DisplayedAreaBottomRightHandCorner = [int(ref.Columns), int(ref.Rows)]
    area.PresentationSizeMode = "SCALE TO FIT"
    area.PresentationPixelSpacing = [1, 1]
    ds.DisplayedAreaSelectionSequence = Sequence([area])
    ds.ContentLabel = "MOSAIC_IT"
    ds.ContentDescription = "window of an itest"
    ds.PresentationCreationDate = "20261123"
    ds.PresentationCreationTime = "120000"
    ds.ContentCreatorName = "Test^Writer"
    image = Dataset()
    image.ReferencedSOPClassUID = ref.SOPClassUID
    image.ReferencedSOPInstanceUID = ref.SOPInstanceUID
    series = Dataset()
    series.SeriesInstanceUID = ref.SeriesInstanceUID
    series.ReferencedImageSequence = Sequence([image])
    ds.ReferencedSeriesSequence = Sequence([series])
    ds.PresentationLUTShape = "IDENTITY"
    voi = Dataset()
    voi.WindowCenter = 40
    voi.WindowWidth = 400
    ds.SoftcopyVOILUTSequence = Sequence([voi])
    return ds
