#!/usr/bin/python3
"""JPEG-LS test vectors made with pydicom, DCMTK (dcmdjpls) and GDCM (gdcmconv --raw).

extract OUT FILE... [--originals FILE...]
    Every FILE in JPEG-LS Lossless or Near-Lossless: each frame's compressed bytes (frame-N.jls) and
    the reference decode of all frames by DCMTK and by GDCM (dcmtk.raw, gdcm.raw), read back with
    pydicom from the tools' native output; other FILEs are skipped. Every FILE after --originals
    with native Pixel Data: its frames (original.raw), as encoder input. Also writes synthetic originals (bit depths, signedness,
    odd sizes, planar colour) that the corpus lacks. Index: OUT/vectors.tsv.

verify DIR
    Reads DIR/encoded.tsv (id, transfer syntax, near, frames, source, expected) written by the Java test, wraps
    DIR/<id>/enc-N.jls into a DICOM file (pydicom.encaps.encapsulate) with the image parameters of
    the original, decodes it with DCMTK and GDCM and compares with DIR/<source>/original.raw (or the
    expected file the row names): lossless
    must be exact, near-lossless within NEAR. Results: DIR/verified.tsv (id, tool, status, detail).

Every .raw file holds native little-endian samples of all frames, interleaved (Planar Configuration 0).
"""
import os
import subprocess
import sys
import tempfile

import warnings

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian, generate_uid

JPEG_LS = {"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"}
NATIVE = {ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian}
TOOLS = {
    "dcmtk": lambda src, dst: ["dcmdjpls", src, dst],
    "gdcm": lambda src, dst: ["gdcmconv", "--raw", src, dst],
}
COLUMNS = ["id", "kind", "ts", "rows", "columns", "spp", "ba", "bs", "hb", "pr", "pi", "pc", "frames", "source"]


def frame_count(ds):
    return int(ds.get("NumberOfFrames", 1) or 1)


def interleaved(ds, data):
    """Native Pixel Data of all frames as little-endian, colour-by-pixel bytes."""
    dtype = {8: "u1", 16: "u2"}[ds.BitsAllocated]
    big = ds.file_meta.TransferSyntaxUID == ExplicitVRBigEndian
    a = np.frombuffer(data, dtype=(">" if big else "<") + dtype)
    n = frame_count(ds)
    spp = ds.SamplesPerPixel
    a = a[:n * ds.Rows * ds.Columns * spp]
    if spp > 1 and int(ds.get("PlanarConfiguration", 0)) == 1:
        a = a.reshape(n, spp, ds.Rows, ds.Columns).transpose(0, 2, 3, 1)
    return a.astype("<" + dtype).tobytes()


def params(ds):
    return {
        "rows": ds.Rows, "columns": ds.Columns, "spp": ds.SamplesPerPixel, "ba": ds.BitsAllocated,
        "bs": ds.BitsStored, "hb": ds.HighBit, "pr": ds.PixelRepresentation,
        "pi": ds.PhotometricInterpretation, "pc": int(ds.get("PlanarConfiguration", 0)),
        "frames": frame_count(ds),
    }


def reference_decode(tool, path, workdir):
    out = os.path.join(workdir, tool + ".dcm")
    r = subprocess.run(TOOLS[tool](path, out), capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (tool, r.returncode, (r.stderr or r.stdout).strip()[:300]))
    ds = pydicom.dcmread(out)
    if ds.file_meta.TransferSyntaxUID not in NATIVE:
        raise RuntimeError("%s left transfer syntax %s" % (tool, ds.file_meta.TransferSyntaxUID))
    return ds, interleaved(ds, ds.PixelData)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def row(vid, kind, ts, p, source):
    return [vid, kind, ts] + [str(p[c]) for c in COLUMNS[3:13]] + [source]


def extract(out, args):
    os.makedirs(out, exist_ok=True)
    split = args.index("--originals") if "--originals" in args else len(args)
    compressed, originals = args[:split], set(args[split + 1:])
    rows = []
    for path in compressed + sorted(originals):
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        if "PixelData" not in ds or "Rows" not in ds:
            continue
        ts = ds.file_meta.TransferSyntaxUID
        if not (ts in JPEG_LS or path in originals):
            continue
        parts = os.path.normpath(path).split(os.sep)
        vid = "-".join(parts[-2:]).replace(".dcm", "").replace(" ", "_")
        vdir = os.path.join(out, vid)
        p = params(ds)
        if ts in JPEG_LS and path not in originals:
            os.makedirs(vdir, exist_ok=True)
            for i, frame in enumerate(generate_pixel_data_frame(ds.PixelData, p["frames"])):
                write(os.path.join(vdir, "frame-%d.jls" % i), frame)
            with tempfile.TemporaryDirectory() as tmp:
                for tool in TOOLS:
                    try:
                        _, data = reference_decode(tool, path, tmp)
                        write(os.path.join(vdir, tool + ".raw"), data)
                    except Exception as e:  # recorded; the Java test reports it
                        write(os.path.join(vdir, tool + ".error"), str(e).encode())
            rows.append(row(vid, "compressed", ts, p, path))
        elif path in originals and ts in NATIVE and p["ba"] in (8, 16) and p["spp"] in (1, 3):
            os.makedirs(vdir, exist_ok=True)
            write(os.path.join(vdir, "original.raw"), interleaved(ds, ds.PixelData))
            rows.append(row(vid, "original", ts, p, path))
    rows.extend(synthetic(out))
    with open(os.path.join(out, "vectors.tsv"), "w") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def synthetic(out):
    """Originals the corpus lacks: other bit depths, signed data with extremes, odd sizes, 16-bit colour."""
    rng = np.random.default_rng(14495)
    rows = []

    def smooth(h, w, lo, hi):
        y, x = np.mgrid[0:h, 0:w]
        base = (np.sin(x / 7.0) + np.cos(y / 5.0) + 2) / 4 * (hi - lo) + lo
        noise = rng.integers(-3, 4, (h, w))
        return np.clip(base + noise, lo, hi).astype(np.int64)

    def add(name, a, ba, bs, pr, pi="MONOCHROME2", spp=1):
        dtype = ("<i" if pr else "<u") + str(ba // 8)
        data = a.astype(dtype).tobytes()
        h, w = a.shape[0], a.shape[1]
        p = {"rows": h, "columns": w, "spp": spp, "ba": ba, "bs": bs, "hb": bs - 1, "pr": pr, "pi": pi,
             "pc": 0, "frames": 1}
        os.makedirs(os.path.join(out, name), exist_ok=True)
        write(os.path.join(out, name, "original.raw"), data)
        rows.append(row(name, "original", "synthetic", p, "synthetic"))

    add("syn-u8-bs2", smooth(48, 64, 0, 3), 8, 2, 0)
    add("syn-u8-bs5", smooth(37, 41, 0, 31), 8, 5, 0)
    add("syn-u16-bs10", smooth(64, 64, 0, 1023), 16, 10, 0)
    full = smooth(64, 80, 0, 65535)
    full[0, :8] = [0, 65535, 0, 65535, 1, 65534, 32767, 32768]
    add("syn-u16-bs16", full, 16, 16, 0)
    noise = rng.integers(0, 1 << 15, (40, 40))
    add("syn-u16-bs15-noise", noise, 16, 15, 0)
    s12 = smooth(50, 60, -2048, 2047)
    s12[0, :4] = [-2048, 2047, -1, 0]
    add("syn-s16-bs12-extremes", s12, 16, 12, 1)
    add("syn-s16-bs12", smooth(50, 60, -1500, 1500), 16, 12, 1)
    add("syn-s8-bs8", smooth(30, 30, -100, 100), 8, 8, 1)
    add("syn-u16-1x1", np.array([[777]]), 16, 12, 0)
    add("syn-u8-1x9", smooth(1, 9, 0, 255), 8, 8, 0)
    add("syn-u8-9x1", smooth(9, 1, 0, 255), 8, 8, 0)
    rgb = np.stack([smooth(33, 47, 0, 4095), smooth(33, 47, 0, 4095), smooth(33, 47, 100, 200)], axis=-1)
    add("syn-rgb-u16-bs12", rgb, 16, 12, 0, "RGB", 3)
    return rows


def read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def verify(directory):
    vectors = {v["id"]: v for v in read_tsv(os.path.join(directory, "vectors.tsv"))}
    results = []
    for enc in read_tsv(os.path.join(directory, "encoded.tsv")):
        v = vectors[enc["source"]]
        vdir = os.path.join(directory, enc["source"])
        frames = []
        for i in range(int(enc["frames"])):
            with open(os.path.join(directory, enc["id"], "enc-%d.jls" % i), "rb") as f:
                frames.append(f.read())
        ds = Dataset()
        ds.file_meta = FileMetaDataset()
        ds.file_meta.TransferSyntaxUID = enc["ts"]
        ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
        ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID = generate_uid()
        ds.SeriesInstanceUID = generate_uid()
        ds.Modality = "OT"
        ds.ConversionType = "WSD"
        ds.Rows, ds.Columns = int(v["rows"]), int(v["columns"])
        ds.SamplesPerPixel = int(v["spp"])
        ds.PhotometricInterpretation = v["pi"]
        if ds.SamplesPerPixel > 1:
            ds.PlanarConfiguration = 0
        ds.BitsAllocated, ds.BitsStored, ds.HighBit = int(v["ba"]), int(v["bs"]), int(v["hb"])
        ds.PixelRepresentation = int(v["pr"])
        if int(v["frames"]) > 1:
            ds.NumberOfFrames = int(v["frames"])
        ds.PixelData = encapsulate(frames)
        ds["PixelData"].VR = "OB"
        ds.is_little_endian, ds.is_implicit_VR = True, False
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "encoded.dcm")
            ds.save_as(src, write_like_original=False)
            # A variant may name its own expected decode (relative to DIR) instead of the original.
            expected = os.path.join(directory, enc["expected"]) if enc.get("expected") else \
                os.path.join(vdir, "original.raw")
            with open(expected, "rb") as f:
                original = f.read()
            for tool in TOOLS:
                try:
                    _, data = reference_decode(tool, src, tmp)
                    results.append([enc["id"], tool] + compare(v, original, data, int(enc["near"])))
                except Exception as e:
                    results.append([enc["id"], tool, "error", str(e).replace("\t", " ").replace("\n", " ")])
    with open(os.path.join(directory, "verified.tsv"), "w") as f:
        f.write("id\ttool\tstatus\tdetail\n")
        for r in results:
            f.write("\t".join(r) + "\n")


def compare(v, original, decoded, near):
    if len(decoded) != len(original):
        return ["mismatch", "decoded %d bytes, original %d" % (len(decoded), len(original))]
    if near == 0:
        if decoded == original:
            return ["ok", "exact"]
        diff = np.flatnonzero(np.frombuffer(decoded, "u1") != np.frombuffer(original, "u1"))
        return ["mismatch", "%d bytes differ, first at byte %d" % (len(diff), diff[0])]
    dtype = ("<i" if v["pr"] == "1" else "<u") + str(int(v["ba"]) // 8)
    a = np.frombuffer(original, dtype).astype(np.int64)
    b = np.frombuffer(decoded, dtype).astype(np.int64)
    err = int(np.abs(a - b).max())
    return ["ok" if err <= near else "mismatch", "max error %d, NEAR %d" % (err, near)]


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # pydicom's remarks on the odd real file are not our business
    if len(sys.argv) >= 3 and sys.argv[1] == "extract":
        extract(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 3 and sys.argv[1] == "verify":
        verify(sys.argv[2])
    else:
        sys.exit(__doc__)
