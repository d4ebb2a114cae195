#!/usr/bin/python3
"""The pydicom oracle for mosaic-dicom's DICOM JSON tests: Dataset.to_json_dict() of many files.

    /usr/bin/python3 to-json.py LIST OUT THRESHOLD

LIST holds one path per line; OUT receives {"path": {"json": {...}, "errors": {"ggggeeee": "..."}}} or
{"path": {"error": "..."}}. Values longer than THRESHOLD bytes (base64: 4 * THRESHOLD / 3 characters, so
THRESHOLD should be a multiple of 3) get the BulkDataURI "bulk:ggggeeee:<value offset in the file>", which
mosaic's test policy gives too. Deflated files have no usable offsets: everything is inline there.
Two changes to pydicom's output, both documented differences of pydicom's, not of the JSON model:
- InlineBinary of a file in Explicit VR Big Endian is swapped to little endian (pydicom encodes the bytes
  as read; PS3.18 F.2.7 values are little endian);
- an attribute pydicom cannot encode is listed under "errors" instead of failing the whole file.
One process for all files: pydicom's start-up is slow.
"""
import array
import base64
import json
import sys
import warnings

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import pydicom  # noqa: E402
from pydicom.uid import DeflatedExplicitVRLittleEndian  # noqa: E402

warnings.simplefilter("ignore")
SWAP = {"OW": "H", "OF": "I", "OL": "I", "OD": "Q", "OV": "Q"}


def handler(elem):
    return "bulk:%08X:%d" % (elem.tag, elem.file_tell)


def swap_inline(obj):
    """Recursively swaps InlineBinary of OW/OF/OL/OD/OV from big to little endian."""
    for attr in obj.values():
        if attr.get("vr") == "SQ":
            for item in attr.get("Value", []):
                swap_inline(item)
        elif attr.get("vr") in SWAP and "InlineBinary" in attr:
            b = base64.b64decode(attr["InlineBinary"])
            words = array.array(SWAP[attr["vr"]])
            if len(b) % words.itemsize == 0:
                words.frombytes(b)
                words.byteswap()
                attr["InlineBinary"] = base64.b64encode(words.tobytes()).decode("ascii")


def main():
    paths = [p for p in open(sys.argv[1], encoding="utf-8").read().splitlines() if p]
    threshold = int(sys.argv[3])
    result = {}
    for path in paths:
        try:
            ds = pydicom.dcmread(path, force=True)
            meta = getattr(ds, "file_meta", None)
            deflated = meta is not None and meta.get("TransferSyntaxUID") == DeflatedExplicitVRLittleEndian
            bulk = None if deflated else handler
            out, errors = {}, {}
            for tag in ds.keys():
                key = "%08X" % tag
                try:
                    out[key] = ds[tag].to_json_dict(bulk, 4 * threshold // 3)
                except Exception as e:  # noqa: BLE001 - the oracle reports, the test decides
                    errors[key] = f"{type(e).__name__}: {e}"
            if ds.is_little_endian is False:
                swap_inline(out)
            result[path] = {"json": out, "errors": errors}
        except Exception as e:  # noqa: BLE001
            result[path] = {"error": f"{type(e).__name__}: {e}"}
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
