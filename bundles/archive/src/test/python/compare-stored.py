#!/usr/bin/python3
"""Oracle for the archive tests: pydicom checks that each stored object is the object that was sent.

Input on stdin: JSON list of {"original": path, "stored": path, "coerced": {keyword: value or null}}.
Output on stdout: JSON list of {"stored": path, "ok": bool, "problems": [...]}, one per pair.
For each pair: the stored file is a valid Part 10 file; its meta information names the data set's
SOP Class/Instance UIDs and the original transfer syntax; every data element equals the
original's (pydicom equality, i.e. same tag, VR and value, sequences recursively), except
coerced attributes, which must have the expected value (null: removed); Pixel Data bytes equal.
"""
import warnings

warnings.filterwarnings("ignore")
import pydicom  # noqa: E402

from stored_pairs import element_problems, meta_problems, run  # noqa: E402


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
    problems += meta_problems(stored)
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
    problems += element_problems(orig, stored, set(coerced))
    if "PixelData" in orig and orig.PixelData != stored.get("PixelData"):
        problems.append("Pixel Data differs")
    return problems


if __name__ == "__main__":
    run(check)
