#!/usr/bin/python3
"""pydicom as the oracle for what the archive keeps on disk (filesystem storage, default layout).

  stored-objects.py check OBJECTS_ROOT   < sent-files (one path per line)
      For each sent file: where the archive must have put it ({study}/{series}/{sop}.dcm), whether
      it is there, and whether its data set bytes equal the sent file's (everything after the File
      Meta Information, located from the group length, PS3.10 7.1). JSON list on stdout.
  stored-objects.py sendable           < candidate files (one path per line)
      The candidates storescu can send: Part 10 files whose meta information names the SOP
      class and instance (storescu refuses a whole run over a single other file). One per line.
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
                pydicom.dcmread(stored)  # a proper Part 10 file: no force
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
    for line in sys.stdin:
        path = line.strip()
        try:
            meta = pydicom.filereader.read_file_meta_info(path)
            if meta.get("MediaStorageSOPClassUID") and meta.get("MediaStorageSOPInstanceUID") and meta.get("TransferSyntaxUID"):
                print(path)
        except Exception:  # noqa: BLE001
            pass


if __name__ == "__main__":
    {"check": check, "scan": scan, "sendable": sendable}[sys.argv[1]](sys.argv[2] if len(sys.argv) > 2 else None)
