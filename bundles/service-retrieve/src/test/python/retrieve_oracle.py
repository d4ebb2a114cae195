#!/usr/bin/python3
"""retrieve_oracle.py - pydicom as the judge of a C-MOVE or C-GET: which instances the
identifier names in the corpus, and whether what the Storage SCP received is each of them.

  retrieve_oracle.py CORPUS_LIST RECEIVED_DIR KEYS_JSON [text]

CORPUS_LIST: one DICOM file per line (what the archive holds). RECEIVED_DIR: the files a DCMTK
storescp or getscu wrote. KEYS_JSON: {"PatientID": "..", "StudyInstanceUID": "a\\b", ...}, the
unique keys of the retrieve (a backslash separates a list of UIDs).

Prints JSON (or, with "text", one line "OK|FAIL expected=n received=n missing=.. unexpected=..
mismatched=..."): expected (SOP Instance UIDs, with the stored transfer syntax of each), received,
missing, unexpected, and mismatched {uid: reason}. A received object must hold the stored data
set: every element equal, except that Pixel Data may have been decompressed (then its length
must be that of the native image) when the received transfer syntax differs from the stored one.
"""
import json
import os
import sys

import pydicom

NATIVE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"}
# what decompressing may rightly change (PS3.5 8.2, PS3.3 C.7.6.3.1.2)
PIXEL_DESCRIPTION = {0x00280004, 0x00280006, 0x00282110, 0x00282112, 0x00282114}


def headers(paths):
    """{SOP Instance UID: (path, header)}: the first file of each instance, read up to Pixel Data."""
    by_sop = {}
    for p in paths:
        try:
            ds = pydicom.dcmread(p, stop_before_pixels=True)
        except Exception:  # noqa: BLE001 - not in the archive either
            continue
        if "SOPInstanceUID" in ds:
            by_sop.setdefault(str(ds.SOPInstanceUID), (p, ds))
    return by_sop


def selected(ds, keys):
    for keyword, value in keys.items():
        if str(ds.get(keyword, "")) not in value.split("\\"):
            return False
    return True


def native_length(ds):
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    return ds.Rows * ds.Columns * ds.SamplesPerPixel * ((ds.BitsAllocated + 7) // 8) * frames


def compare(stored, received):
    stored_ts = str(stored.file_meta.TransferSyntaxUID)
    received_ts = str(received.file_meta.TransferSyntaxUID)
    converted = stored_ts != received_ts and not (stored_ts in NATIVE and received_ts in NATIVE)
    for elem in stored:
        if elem.tag == 0x7FE00010 or converted and elem.tag in PIXEL_DESCRIPTION:
            continue
        if elem.tag not in received:
            return "%s missing" % elem.keyword
        if received[elem.tag].value != elem.value:
            return "%s differs: %r != %r" % (elem.keyword, received[elem.tag].value, elem.value)
    for elem in received:
        if elem.tag not in stored and elem.tag != 0x7FE00010 and not (converted and elem.tag in PIXEL_DESCRIPTION):
            return "%s added" % elem.keyword
    if "PixelData" in stored:
        if "PixelData" not in received:
            return "Pixel Data missing"
        if stored_ts == received_ts:
            if stored.PixelData != received.PixelData:
                return "Pixel Data differs"
        elif stored_ts in NATIVE and received_ts in NATIVE:
            # another byte order: the same pixel values
            if not (stored.pixel_array == received.pixel_array).all():
                return "pixel values differ"
        elif received_ts in NATIVE:
            got = len(received.PixelData)
            if got not in (native_length(received), native_length(received) + 1):
                return "decompressed Pixel Data has %d bytes, not %d" % (got, native_length(received))
        elif len(received.PixelData) == 0:
            return "converted Pixel Data is empty"
    return None


def main():
    corpus_list, received_dir, keys_json = sys.argv[1:4]
    with open(corpus_list, encoding="utf-8") as f:
        corpus = headers([line.strip() for line in f if line.strip()])
    keys = json.loads(keys_json)
    expected = {uid: pydicom.dcmread(p) for uid, (p, ds) in corpus.items() if selected(ds, keys)}
    received = {}
    for name in sorted(os.listdir(received_dir)):
        path = os.path.join(received_dir, name)
        if os.path.isfile(path):
            ds = pydicom.dcmread(path, force=True)
            received[str(ds.SOPInstanceUID)] = ds
    mismatched = {}
    for uid, ds in received.items():
        if uid in expected:
            reason = compare(expected[uid], ds)
            if reason:
                mismatched[uid] = reason
    report = {
        "expected": {uid: str(ds.file_meta.TransferSyntaxUID) for uid, ds in expected.items()},
        "received": sorted(received),
        "missing": sorted(set(expected) - set(received)),
        "unexpected": sorted(set(received) - set(expected)),
        "mismatched": mismatched,
    }
    if sys.argv[4:5] == ["text"]:
        ok = expected and not report["missing"] and not report["unexpected"] and not mismatched
        print("%s expected=%d received=%d missing=%s unexpected=%s mismatched=%s" % (
            "OK" if ok else "FAIL", len(expected), len(received), report["missing"], report["unexpected"], mismatched))
    else:
        json.dump(report, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
