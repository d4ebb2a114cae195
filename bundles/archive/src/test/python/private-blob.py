#!/usr/bin/python3
"""private-blob.py SOURCE OUT SIZE: SOURCE with a private OB value of SIZE bytes at (0009,1010)
(creator "MOSAIC TEST"), a new SOP Instance UID, written Explicit VR Little Endian: a large vendor
value that comes before the study and series UIDs of group 0020."""
import sys
import warnings

warnings.filterwarnings("ignore")
import pydicom  # noqa: E402
from pydicom.uid import ExplicitVRLittleEndian, generate_uid  # noqa: E402

source, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
ds = pydicom.dcmread(source)
ds.SOPInstanceUID = generate_uid()
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.private_block(0x0009, "MOSAIC TEST", create=True).add_new(0x10, "OB", bytes(range(256)) * (size // 256) + bytes(size % 256))
ds.save_as(out, write_like_original=False)
