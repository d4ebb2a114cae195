#!/usr/bin/python3
"""Pixel oracle of CodecHotSwapIT (org.mosaicpacs.itests.hotswap), independent of Mosaic's codecs.

The expected pixels of a compressed source file come from pydicom's own RLE decoder, or for the
JPEG family from DCMTK (dcmdjpls / dcmdjpeg to a native file that pydicom then reads): never
from our code.

  hotswap-pixels.py expect OUT_DIR SOURCE...
      writes OUT_DIR/<n>.raw (every frame, interleaved samples, little endian: what WADO-RS
      answers for application/octet-stream) and prints one JSON object per source on stdout:
      file, study, series, sop, sopClass, transferSyntax, frames, frameBytes, raw.
  hotswap-pixels.py check RECEIVED_DIR SOURCE...
      every file below RECEIVED_DIR (what getscu received) must be Explicit VR Little Endian and
      hold exactly the pixels of the source with its SOP Instance UID. Prints "OK <count>" or one
      "FAIL <file>: <reason>" line per bad file.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom

RLE = "1.2.840.10008.1.2.5"
EXPLICIT_LE = "1.2.840.10008.1.2.1"
JPEG_LS = {"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"}


def expected_array(path):
    """Frames x rows x columns (x samples), decoded by pydicom (RLE) or DCMTK (JPEG family)."""
    ds = pydicom.dcmread(path)
    ts = ds.file_meta.TransferSyntaxUID
    if ts != RLE:
        tool = "dcmdjpls" if ts in JPEG_LS else "dcmdjpeg"
        with tempfile.TemporaryDirectory() as tmp:
            native = os.path.join(tmp, "native.dcm")
            subprocess.run([tool, path, native], check=True, capture_output=True)
            ds = pydicom.dcmread(native)
            arr = ds.pixel_array
    else:
        arr = ds.pixel_array
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if frames == 1:
        arr = arr[np.newaxis, ...]
    return arr.astype(arr.dtype.newbyteorder("<"))


def expect(out_dir, sources):
    os.makedirs(out_dir, exist_ok=True)
    for n, path in enumerate(sources):
        ds = pydicom.dcmread(path, stop_before_pixels=True)
        arr = expected_array(path)
        raw = os.path.join(out_dir, "%d.raw" % n)
        with open(raw, "wb") as f:
            f.write(arr.tobytes())
        print(json.dumps({
            "file": path, "study": ds.StudyInstanceUID, "series": ds.SeriesInstanceUID,
            "sop": ds.SOPInstanceUID, "sopClass": ds.SOPClassUID,
            "transferSyntax": ds.file_meta.TransferSyntaxUID, "frames": arr.shape[0],
            "frameBytes": arr[0].nbytes, "raw": raw}))


def check(received_dir, sources):
    expected = {}
    for path in sources:
        expected[pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID] = path
    arrays = {}
    count, failures = 0, []
    for root, _, names in os.walk(received_dir):
        for name in sorted(names):
            f = os.path.join(root, name)
            count += 1
            ds = pydicom.dcmread(f)
            ts = ds.file_meta.TransferSyntaxUID
            if ts != EXPLICIT_LE:
                failures.append("FAIL %s: received in %s, not Explicit VR Little Endian" % (f, ts))
                continue
            source = expected.get(ds.SOPInstanceUID)
            if source is None:
                failures.append("FAIL %s: SOP Instance UID %s is none of the sources" % (f, ds.SOPInstanceUID))
                continue
            if source not in arrays:
                arrays[source] = expected_array(source)
            got = ds.pixel_array
            if int(ds.get("NumberOfFrames", 1) or 1) == 1:
                got = got[np.newaxis, ...]
            if not np.array_equal(got, arrays[source]):
                failures.append("FAIL %s: pixels differ from %s" % (f, source))
    for line in failures:
        print(line)
    if not failures:
        print("OK %d" % count)


if __name__ == "__main__":
    mode, target, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    {"expect": expect, "check": check}[mode](target, files)
