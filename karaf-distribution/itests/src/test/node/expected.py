#!/usr/bin/python3
"""Expected values for dicomweb-client.test.mjs, read with pydicom (an independent DICOM reader).

Usage: expected.py OUT.json FILE...  (Debian's /usr/bin/python3 with python3-pydicom)
One entry per file: UIDs, the person name groups as pydicom decodes them, image attributes, and
the MD5 of the native Pixel Data (uncompressed files only) and of the whole file.
"""
import hashlib
import json
import os
import sys

import pydicom


def groups(pn):
    if pn is None:
        return None
    parts = list(pn.components) + ["", "", ""]
    return {k: v for k, v in zip(("Alphabetic", "Ideographic", "Phonetic"), parts[:3]) if v}


out = []
for path in sys.argv[2:]:
    raw = open(path, "rb").read()
    ds = pydicom.dcmread(path)
    ts = str(ds.file_meta.TransferSyntaxUID)
    entry = {
        "path": os.path.abspath(path),
        "md5": hashlib.md5(raw).hexdigest(),
        # the archive may rewrite the File Meta Information (group 0002); the data set is kept as sent
        "dataSetMd5": hashlib.md5(raw[144 + int.from_bytes(raw[140:144], "little"):]).hexdigest(),
        "size": len(raw),
        "transferSyntax": ts,
        "study": ds.StudyInstanceUID,
        "series": ds.SeriesInstanceUID,
        "sop": ds.SOPInstanceUID,
        "sopClass": ds.SOPClassUID,
        "patientId": ds.get("PatientID", ""),
        "patientName": groups(ds.get("PatientName")),
        "modality": ds.get("Modality", ""),
        "rows": int(ds.Rows) if "Rows" in ds else None,
        "columns": int(ds.Columns) if "Columns" in ds else None,
        "frames": int(ds.get("NumberOfFrames", 1) or 1) if "PixelData" in ds else 0,
        "samples": int(ds.get("SamplesPerPixel", 1)) if "PixelData" in ds else None,
        "bitsAllocated": int(ds.BitsAllocated) if "PixelData" in ds else None,
    }
    if "PixelData" in ds and not ds.file_meta.TransferSyntaxUID.is_compressed and ts != "1.2.840.10008.1.2.2":
        frame_len = entry["rows"] * entry["columns"] * entry["samples"] * entry["bitsAllocated"] // 8
        entry["frame1Md5"] = hashlib.md5(ds.PixelData[:frame_len]).hexdigest()
    out.append(entry)
json.dump(out, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
