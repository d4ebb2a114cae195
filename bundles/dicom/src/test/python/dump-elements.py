#!/usr/bin/python3
"""The pydicom oracle for mosaic-dicom's tests: reads DICOM files and prints their element lists as JSON.

    /usr/bin/python3 dump-elements.py LIST OUT

LIST holds one path per line; OUT receives {"path": {"meta": [...], "elements": [...]} or {"error": "..."}}.
An element is [tag, VR, value]: text as a list of values with surrounding spaces and NULs removed, PN as
the decoded string form, binary numbers as a list of numbers (floats as repr strings), OB/OW/OF/OD/OL/OV/UN
as the SHA-1 of the bytes in little endian order (encapsulated Pixel Data: of its items as encoded), SQ as a
list of items (each an element list). Values pydicom cannot decode become {"error": "..."}.
One process for all files: pydicom's start-up is slow.
"""
import array
import hashlib
import json
import sys
import warnings

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import pydicom  # noqa: E402
from pydicom.multival import MultiValue  # noqa: E402

warnings.simplefilter("ignore")
SWAP_UNIT = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
BYTES_VRS = {"OB", "OW", "OF", "OD", "OL", "OV", "UN", "OB or OW", "US or OW", "US or SS or OW"}
NUMBER_VRS = {"US", "SS", "UL", "SL", "SV", "UV", "FL", "FD", "AT", "US or SS"}


def text(v):
    return str(v).strip(" \0")


def value_of(elem, little_endian):
    vr = elem.VR
    v = elem.value
    if vr == "SQ":
        return [elements(item, little_endian) for item in v]
    if v is None or (isinstance(v, (bytes, str, list, MultiValue)) and len(v) == 0):
        return []
    if vr in BYTES_VRS or isinstance(v, bytes):
        b = bytes(v)
        unit = SWAP_UNIT.get(vr, 1)
        if not little_endian and unit > 1 and not elem.is_undefined_length and len(b) % unit == 0:
            words = array.array({2: "H", 4: "I", 8: "Q"}[unit], b)
            words.byteswap()
            b = words.tobytes()
        return {"sha1": hashlib.sha1(b).hexdigest(), "length": len(b)}
    values = list(v) if isinstance(v, (list, MultiValue)) else [v]
    if vr in NUMBER_VRS:
        return [repr(float(x)) if vr in ("FL", "FD") else int(x) for x in values]
    out = [text(x) for x in values]
    return [] if out == [""] else out


def elements(ds, little_endian):
    out = []
    for tag in sorted(ds.keys()):
        try:
            elem = ds[tag]
            vr = elem.VR
        except Exception as e:  # noqa: BLE001 - the oracle reports, the test decides
            out.append([int(tag), "??", {"error": f"{type(e).__name__}: {e}"}])
            continue
        try:
            value = value_of(elem, little_endian)
        except Exception as e:  # noqa: BLE001
            value = {"error": f"{type(e).__name__}: {e}"}
        out.append([int(tag), vr, value])
    return out


def main():
    paths = [p for p in open(sys.argv[1], encoding="utf-8").read().splitlines() if p]
    result = {}
    for path in paths:
        try:
            ds = pydicom.dcmread(path, force=True)
            le = ds.is_little_endian if ds.is_little_endian is not None else True
            result[path] = {
                "meta": elements(ds.file_meta, True) if getattr(ds, "file_meta", None) is not None else [],
                "elements": elements(ds, le),
            }
        except Exception as e:  # noqa: BLE001
            result[path] = {"error": f"{type(e).__name__}: {e}"}
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
