#!/usr/bin/python3
"""Oracle for the archive tests: pydicom checks that each stored object is the object that was sent.

Input on stdin: JSON list of {"original": path, "stored": path, "coerced": {keyword: value or null}}.
Output on stdout: JSON list of {"stored": path, "ok": bool, "problems": [...]}, one per pair.
For each pair: the stored file is a valid Part 10 file; its meta information names the data set's
SOP Class/Instance UIDs and the original transfer syntax; every data element equals the
original's (pydicom equality, i.e. same tag, VR and value, sequences recursively), except
coerced attributes, which must have the expected value (null: removed); Pixel Data bytes equal.
"""
import json
import sys
import warnings

warnings.filterwarnings("ignore")
import pydicom  # noqa: E402


def ts_of(ds):
    meta = getattr(ds, "file_meta", None)
    return str(meta.TransferSyntaxUID) if meta is not None and "TransferSyntaxUID" in meta else None


def check(pair):
    problems = []
    try:
        orig = pydicom.dcmread(pair["original"], force=True)
        stored = pydicom.dcmread(pair["stored"])  # must be proper Part 10: no force
    except Exception as e:  # noqa: BLE001
        return [f"cannot read: {e}"]
    meta = stored.file_meta
    if str(meta.MediaStorageSOPInstanceUID) != str(stored.SOPInstanceUID):
        problems.append("meta SOP Instance UID differs from the data set's")
    if str(meta.MediaStorageSOPClassUID) != str(stored.SOPClassUID):
        problems.append("meta SOP Class UID differs from the data set's")
    expected_ts = pair.get("ts") or ts_of(orig)
    if expected_ts and str(meta.TransferSyntaxUID) != expected_ts:
        problems.append(f"transfer syntax {meta.TransferSyntaxUID} != {expected_ts}")
    coerced = pair.get("coerced") or {}
    for kw, value in coerced.items():
        if value is None:
            if kw in stored:
                problems.append(f"{kw} not removed")
        elif str(stored.get(kw, "")) != value:
            problems.append(f"{kw} is {stored.get(kw)!r}, expected {value!r}")
    for elem in orig:
        if elem.keyword in coerced:
            continue
        if elem.tag not in stored:
            problems.append(f"{elem.tag} missing")
        elif stored[elem.tag] != elem:
            problems.append(f"{elem.tag} differs")
    for elem in stored:
        if elem.tag not in orig and elem.keyword not in coerced:
            problems.append(f"{elem.tag} added")
    if "PixelData" in orig and orig.PixelData != stored.get("PixelData"):
        problems.append("Pixel Data differs")
    return problems


def main():
    pairs = json.load(sys.stdin)
    out = []
    for p in pairs:
        problems = check(p)
        out.append({"stored": p["stored"], "ok": not problems, "problems": problems[:10]})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
