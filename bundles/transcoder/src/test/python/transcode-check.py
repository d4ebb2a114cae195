#!/usr/bin/python3
"""Checks files written by the Mosaic transcoder with pydicom, DCMTK and GDCM.

transcode-check.py JOBS.json RESULTS.json

JOBS.json is a list of jobs; RESULTS.json maps each job id to what was found. Jobs:

{"kind": "decompressed", "id": ..., "ours": FILE, "reference": FILE}
    Our native file against a reference tool's native file: both data sets' Image Pixel and lossy
    compression attributes, and their pixels (pydicom pixel_array) compared sample by sample.

{"kind": "compressed", "id": ..., "ours": FILE, "original": FILE, "tools": [...], "work": DIR}
    Our encapsulated file decoded by each tool ("dcmtk": dcmdrle/dcmdjpeg/dcmdjpls by transfer
    syntax, "gdcm": gdcmconv --raw) and compared with the original's pixels, converted between
    YBR_FULL and RGB (pydicom's formula) where tool and original differ ("colour_converted"). Also how pydicom sees the encapsulation:
    the items, the Basic Offset Table, the Extended Offset Table and the frames pydicom yields.

{"kind": "frames", "id": ..., "file": FILE, "out": DIR}
    Writes each frame of FILE as pydicom decodes it (native little-endian bytes, pixel_array order)
    to DIR/frame-N.raw, and each encapsulated frame's bytes as pydicom splits them to DIR/frame-N.bin.

{"kind": "wrap", "id": ..., "template": FILE, "frame": BIN, "ts": UID, "pi": ..., "pc": ...,
 "bits": [allocated, stored, high, representation], "out": FILE, "tools": [...], "work": DIR}
    Wraps one encoded frame into a single-frame copy of FILE (pydicom encapsulate), decodes it with
    each tool and writes the pixels to DIR/<tool>.raw.

Tool "pydicom" in a compressed job decodes with pydicom itself (its numpy RLE handler).
"""
import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pydicom
from pydicom.encaps import encapsulate, generate_pixel_data_frame
from pydicom.pixel_data_handlers.util import convert_color_space

warnings.filterwarnings("ignore")

DCMTK = {
    "1.2.840.10008.1.2.5": "dcmdrle",
    "1.2.840.10008.1.2.4.50": "dcmdjpeg",
    "1.2.840.10008.1.2.4.51": "dcmdjpeg",
    "1.2.840.10008.1.2.4.57": "dcmdjpeg",
    "1.2.840.10008.1.2.4.70": "dcmdjpeg",
    "1.2.840.10008.1.2.4.80": "dcmdjpls",
    "1.2.840.10008.1.2.4.81": "dcmdjpls",
}


def strings(ds, keyword):
    if keyword not in ds:
        return []
    v = ds.data_element(keyword).value
    if v is None or v == "":
        return []
    if isinstance(v, (list, pydicom.multival.MultiValue)):
        return [str(x) for x in v]
    return [str(v)]


def codes(ds, keyword):
    return [[str(i.get("CodeValue", "")), str(i.get("CodingSchemeDesignator", "")), str(i.get("CodeMeaning", ""))]
            for i in ds.get(keyword, [])]


def attributes(path):
    ds = pydicom.dcmread(path)
    a = {"ts": str(ds.file_meta.TransferSyntaxUID),
         "meta_sop_instance": str(ds.file_meta.get("MediaStorageSOPInstanceUID", ""))}
    for k in ["SOPClassUID", "SOPInstanceUID", "PhotometricInterpretation", "PlanarConfiguration", "Rows", "Columns",
              "SamplesPerPixel", "BitsAllocated", "BitsStored", "HighBit", "PixelRepresentation", "NumberOfFrames",
              "LossyImageCompression", "DerivationDescription"]:
        a[k] = str(ds[k].value) if k in ds and ds[k].value is not None else None
    for k in ["LossyImageCompressionRatio", "LossyImageCompressionMethod", "ImageType"]:
        a[k] = strings(ds, k)
    a["SourceImageSequence"] = [[str(i.get("ReferencedSOPClassUID", "")), str(i.get("ReferencedSOPInstanceUID", "")),
                                 codes(i, "PurposeOfReferenceCodeSequence")] for i in ds.get("SourceImageSequence", [])]
    a["DerivationCodeSequence"] = codes(ds, "DerivationCodeSequence")
    if "PixelData" in ds:
        a["PixelDataVR"] = ds["PixelData"].VR
        a["PixelDataUndefinedLength"] = bool(ds["PixelData"].is_undefined_length)
    a["ExtendedOffsetTable"] = "ExtendedOffsetTable" in ds
    return ds, a


def pixels(ds):
    arr = ds.pixel_array
    return arr


def compare(a, b, bits):
    if a.shape != b.shape:
        return {"equal": False, "error": "shape %s != %s" % (a.shape, b.shape)}
    d = np.abs(a.astype(np.int64) - b.astype(np.int64))
    mse = float(np.mean(d.astype(np.float64) ** 2))
    peak = float((1 << bits) - 1)
    return {"equal": bool(d.max() == 0), "max_err": int(d.max()), "differing": int(np.count_nonzero(d)),
            "psnr": 999.0 if mse == 0 else float(10 * np.log10(peak * peak / mse))}


def items(data):
    """The items of an encapsulated value: (offset of the item tag, value length) of each, BOT first."""
    found = []
    pos = 0
    while pos + 8 <= len(data):
        group = int.from_bytes(data[pos:pos + 2], "little")
        elem = int.from_bytes(data[pos + 2:pos + 4], "little")
        length = int.from_bytes(data[pos + 4:pos + 8], "little")
        if (group, elem) == (0xFFFE, 0xE0DD):
            break
        if (group, elem) != (0xFFFE, 0xE000):
            raise ValueError("no item tag at %d" % pos)
        found.append((pos, length))
        pos += 8 + length
    return found


def encapsulation(ds):
    data = ds.PixelData
    found = items(data)
    bot_length = found[0][1]
    first = found[1][0]
    bot = [int.from_bytes(data[8 + 4 * i:12 + 4 * i], "little") for i in range(bot_length // 4)]
    e = {"items": len(found) - 1, "bot": bot, "item_offsets": [p - first for p, _ in found[1:]],
         "item_lengths": [n for _, n in found[1:]],
         "odd_items": sum(1 for _, n in found if n % 2)}
    if "ExtendedOffsetTable" in ds:
        eot = ds.ExtendedOffsetTable
        lens = ds.ExtendedOffsetTableLengths
        e["eot"] = [int.from_bytes(eot[8 * i:8 * i + 8], "little") for i in range(len(eot) // 8)]
        e["eot_lengths"] = [int.from_bytes(lens[8 * i:8 * i + 8], "little") for i in range(len(lens) // 8)]
    n = int(ds.get("NumberOfFrames", 1) or 1)
    frames = list(generate_pixel_data_frame(data, n))
    e["pydicom_frames"] = len(frames)
    e["pydicom_frames_match_items"] = len(frames) == len(found) - 1 and all(
        frames[i] == data[found[i + 1][0] + 8:found[i + 1][0] + 8 + found[i + 1][1]] for i in range(len(frames)))
    return e


def decode_with(tool, ts, src, dst):
    if tool == "dcmtk":
        exe = DCMTK.get(ts)
        if exe is None:
            return "DCMTK has no decoder for " + ts
        cmd = [exe, src, dst]
    else:
        cmd = ["gdcmconv", "--raw", src, dst]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0 or not os.path.exists(dst):
        return "%s failed (%d): %s %s" % (" ".join(cmd), r.returncode, r.stdout.strip(), r.stderr.strip())
    return None


def same_colour_space(decoded_ds, arr, original_pi, expected):
    """The decoded and the original pixels in one colour space, and whether a conversion (rounding) was needed."""
    pi = str(decoded_ds.PhotometricInterpretation)
    if original_pi == "RGB" and pi in ("YBR_FULL", "YBR_FULL_422"):
        return convert_color_space(arr, "YBR_FULL", "RGB"), expected, True
    if original_pi in ("YBR_FULL", "YBR_FULL_422") and pi == "RGB":
        # pydicom gives native YBR_FULL_422 expanded to YBR_FULL; DCMTK converts JPEG YCbCr to RGB
        return arr, convert_color_space(expected, "YBR_FULL", "RGB"), True
    return arr, expected, False


def job_decompressed(job):
    ours, a = attributes(job["ours"])
    ref, b = attributes(job["reference"])
    r = {"ours": a, "reference": b}
    bits = int(ours.BitsStored)
    r["pixels"] = compare(pixels(ours), pixels(ref), bits)
    return r


def job_compressed(job):
    ours, a = attributes(job["ours"])
    original, o = attributes(job["original"])
    r = {"ours": a, "original": o, "encapsulation": encapsulation(ours), "tools": {}}
    expected = pixels(original)
    bits = int(original.BitsStored)
    os.makedirs(job["work"], exist_ok=True)
    for tool in job["tools"]:
        if tool == "pydicom":
            # pydicom's own numpy RLE decoder, a third opinion for RLE
            c = compare(expected, pixels(ours), bits)
            c["pi"] = a["PhotometricInterpretation"]
            r["tools"][tool] = c
            continue
        dst = os.path.join(job["work"], tool + ".dcm")
        if os.path.exists(dst):
            os.remove(dst)
        err = decode_with(tool, a["ts"], job["ours"], dst)
        if err:
            r["tools"][tool] = {"error": err}
            continue
        decoded = pydicom.dcmread(dst)
        arr, want, converted = same_colour_space(decoded, pixels(decoded), o["PhotometricInterpretation"], expected)
        c = compare(want, arr, bits)
        c["pi"] = str(decoded.PhotometricInterpretation)
        c["colour_converted"] = converted
        r["tools"][tool] = c
    return r


def job_frames(job):
    ds = pydicom.dcmread(job["file"])
    n = int(ds.get("NumberOfFrames", 1) or 1)
    os.makedirs(job["out"], exist_ok=True)
    r = {"frames": n}
    if ds["PixelData"].is_undefined_length:
        for i, f in enumerate(generate_pixel_data_frame(ds.PixelData, n)):
            with open(os.path.join(job["out"], "frame-%d.bin" % (i + 1)), "wb") as out:
                out.write(f)
    else:
        arr = ds.pixel_array
        if n == 1:
            arr = arr[np.newaxis, ...]
        for i in range(n):
            with open(os.path.join(job["out"], "frame-%d.raw" % (i + 1)), "wb") as out:
                out.write(np.ascontiguousarray(arr[i]).astype(arr.dtype.newbyteorder("<")).tobytes())
    return r


def job_wrap(job):
    ds = pydicom.dcmread(job["template"])
    with open(job["frame"], "rb") as f:
        frame = f.read()
    ds.PixelData = encapsulate([frame])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    ds.NumberOfFrames = 1
    ds.PhotometricInterpretation = job["pi"]
    if int(ds.SamplesPerPixel) > 1:
        ds.PlanarConfiguration = job["pc"]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = job["bits"]
    ds.file_meta.TransferSyntaxUID = job["ts"]
    ds.is_little_endian, ds.is_implicit_VR = True, False
    for k in ["ExtendedOffsetTable", "ExtendedOffsetTableLengths"]:
        if k in ds:
            del ds[k]
    ds.save_as(job["out"], write_like_original=False)
    os.makedirs(job["work"], exist_ok=True)
    r = {"tools": {}}
    for tool in job["tools"]:
        dst = os.path.join(job["work"], tool + ".dcm")
        err = decode_with(tool, job["ts"], job["out"], dst)
        if err:
            r["tools"][tool] = {"error": err}
            continue
        decoded = pydicom.dcmread(dst)
        arr = decoded.pixel_array
        if int(decoded.get("NumberOfFrames", 1) or 1) > 1:
            arr = arr[0]
        raw = os.path.join(job["work"], tool + ".raw")
        with open(raw, "wb") as out:
            out.write(np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes())
        r["tools"][tool] = {"raw": raw, "pi": str(decoded.PhotometricInterpretation)}
    return r


def main():
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    results = {}
    for job in jobs:
        try:
            results[job["id"]] = globals()["job_" + job["kind"]](job)
        except Exception as e:  # reported per job; the Java test decides
            results[job["id"]] = {"error": "%s: %s" % (type(e).__name__, e)}
    with open(sys.argv[2], "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
