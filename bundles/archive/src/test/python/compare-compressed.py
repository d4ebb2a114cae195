#!/usr/bin/python3
"""Oracle for compression on ingest: pydicom checks that a stored compressed object is the received
object with only its Pixel Data encoding changed, and that DCMTK's decoding of it gives exactly the
received pixels.

Input on stdin: JSON list of {"original": path, "stored": path, "decoded": path, "ts": uid}, where
"decoded" is the stored file decompressed by DCMTK (dcmdjpls, dcmdrle) to a native syntax.
Output on stdout: JSON list of {"stored": path, "ok": bool, "problems": [...]}, one per pair.
For each pair: the stored file is proper Part 10 in transfer syntax "ts" (encapsulated), with the
original's SOP Class and Instance UIDs; every other data element equals the original's (pydicom
equality), except Planar Configuration of colour images, which a codec may change, and retired
Group Length elements; nothing marks it
lossy; the decoded pixels equal the original's sample for sample (numpy, any planar configuration),
and byte for byte where the byte order and planar configuration are the same.
"""
import warnings

warnings.filterwarnings("ignore")
import numpy  # noqa: E402
import pydicom  # noqa: E402

from stored_pairs import element_problems, meta_problems, run  # noqa: E402

# May differ between a native and an encapsulated encoding of the same pixels (PS3.5 8.2, A.4).
ENCODING_ONLY = {"PixelData", "PlanarConfiguration", "ExtendedOffsetTable", "ExtendedOffsetTableLengths",
                 "DataSetTrailingPadding"}


def check(pair):
    problems = []
    try:
        orig = pydicom.dcmread(pair["original"], force=True)
        stored = pydicom.dcmread(pair["stored"])  # must be proper Part 10: no force
        decoded = pydicom.dcmread(pair["decoded"])
    except Exception as e:  # noqa: BLE001
        return [f"cannot read: {e}"]
    meta = stored.file_meta
    if str(meta.TransferSyntaxUID) != pair["ts"]:
        problems.append(f"transfer syntax {meta.TransferSyntaxUID} != {pair['ts']}")
    if not meta.TransferSyntaxUID.is_compressed:
        problems.append("stored Pixel Data is not encapsulated")
    if str(stored.SOPInstanceUID) != str(orig.SOPInstanceUID):
        problems.append("SOP Instance UID changed")
    problems += meta_problems(stored)
    if str(stored.get("LossyImageCompression", "")) != str(orig.get("LossyImageCompression", "")):
        problems.append("Lossy Image Compression changed")
    problems += element_problems(orig, stored, ENCODING_ONLY)
    a = orig.pixel_array
    b = decoded.pixel_array
    same_type = a.dtype.kind == b.dtype.kind and a.dtype.itemsize == b.dtype.itemsize  # any byte order
    if a.shape != b.shape or not same_type or not numpy.array_equal(a, b):
        problems.append(f"decoded pixels differ: {b.shape} {b.dtype} vs {a.shape} {a.dtype}")
    same_layout = orig.get("PlanarConfiguration", 0) == decoded.get("PlanarConfiguration", 0)
    if same_layout and orig.is_little_endian:
        n = len(orig.PixelData)
        if bytes(decoded.PixelData[:n]) != bytes(orig.PixelData) or len(decoded.PixelData) - n > 1:
            problems.append("decoded Pixel Data bytes differ")
    return problems


if __name__ == "__main__":
    run(check)
