#!/usr/bin/python3
"""pydicom as the oracle for what the archive keeps on disk (filesystem storage, default layout).

  stored-objects.py check OBJECTS_ROOT   < sent-files (one path per line)
      For each sent file: where the archive must have put it ({study}/{series}/{sop}.dcm), whether
      it is there, and whether its data set equals the sent file's: the same bytes after the File
      Meta Information (PS3.10 7.1), or, where storescu re-encoded it on the way (it drops group
      lengths, may change sequence length encoding, re-deflates), the same elements with byte-equal
      values, encapsulated pixel data fragment by fragment. JSON list on stdout.
  stored-objects.py sendable           < candidate files (one path per line)
      The candidates storescu can send: Part 10 files whose meta information names the SOP
      class and instance (storescu refuses a whole run over a single other file), the first file of
      each SOP Instance UID only. One per line: path, a tab, the file's transfer syntax UID.
  stored-objects.py scan OBJECTS_ROOT
      Every file below the root except the storage's .incoming folder: it must read completely with
      pydicom (Pixel Data included), and its path must be its own UIDs. JSON summary on stdout.
"""
import json
import os
import struct
import sys
import warnings

warnings.filterwarnings("ignore")
import pydicom  # noqa: E402


def data_set_bytes(path):
    with open(path, "rb") as f:
        b = f.read()
    if len(b) >= 132 and b[128:132] == b"DICM":
        base = 132
    elif b[:4] == b"DICM":
        base = 4
    else:
        return b
    group, element, vr, _ = struct.unpack_from("<HH2sH", b, base)
    if (group, element) != (2, 0):
        raise ValueError("no (0002,0000) group length")
    (length,) = struct.unpack_from("<I", b, base + 8)
    return b[base + 12 + length:]


def fragments(value):
    """The fragments of encapsulated pixel data (PS3.5 A.4), Basic Offset Table excluded."""
    out, pos = [], 0
    while pos + 8 <= len(value):
        group, element, length = struct.unpack_from("<HHI", value, pos)
        pos += 8
        if (group, element) == (0xFFFE, 0xE0DD):
            break
        out.append(value[pos:pos + length])
        pos += length
    return out[1:]


def first_difference(a, b, where=""):
    """None when both data sets hold the same elements with equal values. Group lengths and Data Set
    Trailing Padding aside: storescu drops both on the wire (DCMTK storescp +B receives CT_small.dcm
    without its padding), and padding has no meaning (PS3.10 7.2)."""
    def meaningful(ds):
        return {t for t in ds.keys() if t.element != 0 and t != 0xFFFCFFFC}
    tags_a, tags_b = meaningful(a), meaningful(b)
    if tags_a != tags_b:
        return f"{where}elements in one copy only: {sorted(tags_a ^ tags_b)[:5]}"
    for tag in sorted(tags_a):
        ea, eb = a[tag], b[tag]
        if ea.VR == "SQ" or eb.VR == "SQ":
            if len(ea.value or []) != len(eb.value or []):
                return f"{where}{tag}: {len(ea.value or [])} items sent, {len(eb.value or [])} stored"
            for i, (ia, ib) in enumerate(zip(ea.value, eb.value)):
                d = first_difference(ia, ib, f"{where}{tag}[{i}].")
                if d:
                    return d
        elif ea.value != eb.value:
            if tag == 0x7FE00010 and ea.is_undefined_length and eb.is_undefined_length \
                    and fragments(ea.value) == fragments(eb.value):
                continue
            return f"{where}{tag}: values differ"
    return None


def key(ds):
    return os.path.join(str(ds.StudyInstanceUID), str(ds.SeriesInstanceUID), str(ds.SOPInstanceUID) + ".dcm")


def check(root):
    out = []
    for line in sys.stdin:
        sent = line.strip()
        if not sent:
            continue
        entry = {"sent": sent}
        try:
            ds = pydicom.dcmread(sent, stop_before_pixels=True, force=True)
            stored = os.path.join(root, key(ds))
            entry["stored"] = stored
            entry["exists"] = os.path.isfile(stored)
            entry["identical"] = entry["exists"] and data_set_bytes(stored) == data_set_bytes(sent)
            if entry["exists"]:
                copy = pydicom.dcmread(stored)  # a proper Part 10 file: no force
                if not entry["identical"]:
                    difference = first_difference(pydicom.dcmread(sent, force=True), copy)
                    entry["identical"] = difference is None
                    if difference:
                        entry["difference"] = difference
        except Exception as e:  # noqa: BLE001
            entry["problem"] = str(e)
        out.append(entry)
    json.dump(out, sys.stdout)


def scan(root):
    files = 0
    problems = []
    for dirpath, dirnames, filenames in os.walk(root):
        if ".incoming" in dirnames:
            dirnames.remove(".incoming")
        for name in filenames:
            path = os.path.join(dirpath, name)
            files += 1
            try:
                ds = pydicom.dcmread(path)
                if "PixelData" in ds:
                    _ = ds.PixelData
                if os.path.relpath(path, root) != key(ds):
                    problems.append(f"{path}: path does not match its UIDs")
            except Exception as e:  # noqa: BLE001
                problems.append(f"{path}: {e}")
    json.dump({"files": files, "problems": problems[:50]}, sys.stdout)


def sendable(_):
    seen = set()
    for line in sys.stdin:
        path = line.strip()
        try:
            meta = pydicom.filereader.read_file_meta_info(path)
            if meta.get("MediaStorageSOPClassUID") and meta.get("MediaStorageSOPInstanceUID") and meta.get("TransferSyntaxUID"):
                # pydicom ships one instance in several encodings (MR_small*, rtdose*...): the archive
                # keeps the first copy of a SOP Instance UID (duplicate policy), so send only that one.
                instance = pydicom.dcmread(path, stop_before_pixels=True, force=True).get("SOPInstanceUID")
                if instance and instance not in seen:
                    seen.add(instance)
                    print(path + "\t" + str(meta.TransferSyntaxUID))
        except Exception:  # noqa: BLE001
            pass


if __name__ == "__main__":
    {"check": check, "scan": scan, "sendable": sendable}[sys.argv[1]](sys.argv[2] if len(sys.argv) > 2 else None)
