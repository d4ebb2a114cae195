#!/usr/bin/python3
"""Test vectors for a transfer-syntax codec, made with pydicom, DCMTK and GDCM (shared by the codec
modules through org.mosaicpacs.testing.codec.CodecVectors; each names its --syntax and --tool values).

extract OUT FILE...
    For every FILE in one of the --syntax transfer syntaxes: each frame's compressed bytes and the
    reference decode of every --tool (pydicom reads the tool's native output). For every FILE with
    native Pixel Data: each frame's native bytes, as an encoder input. Writes OUT/vectors.tsv and
    OUT/<id>/{frame-N.bin,<tool>-N.raw}.

roundtrip DIR
    Reads DIR/encoded.tsv (id, source file, transfer syntax, photometric, planar configuration,
    frames, lossy) and DIR/<id>/enc-N.bin, wraps the frames into a copy of the source file
    (pydicom.encaps.encapsulate), decodes that with every --tool and writes DIR/<id>/<tool>-N.raw.
    Failures go to DIR/roundtrip.tsv.

Every .raw file holds native little-endian samples, interleaved (Planar Configuration 0).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pydicom
from pydicom.encaps import encapsulate, generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian

NATIVE = {ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian}

# Command lines that turn a compressed file into a native one, per reference tool. GDCM decodes
# RLE and JPEG 2000 (OpenJPEG); DCMTK has no JPEG 2000 decoder.
TOOLS = {
    "dcmtk-rle": lambda src, dst: ["dcmdrle", src, dst],
    "gdcm": lambda src, dst: ["gdcmconv", "--raw", src, dst],
    "pydicom-rle": None,  # in-process, see decode_with_pydicom_rle
}

COLUMNS = ["id", "kind", "ts", "rows", "columns", "spp", "ba", "bs", "hb", "pr", "pi", "pc", "frames", "refs",
           "notes", "source"]


def frame_length(ds):
    return ds.Rows * ds.Columns * ds.SamplesPerPixel * (ds.BitsAllocated // 8)


def native_frames(ds):
    """The native frames of a data set as little-endian bytes, in the file's planar configuration."""
    n = int(ds.get("NumberOfFrames", 1) or 1)
    flen = frame_length(ds)
    data = ds.PixelData
    if len(data) < n * flen:
        raise ValueError("Pixel Data has %d bytes, %d frames need %d" % (len(data), n, n * flen))
    frames = [data[i * flen:(i + 1) * flen] for i in range(n)]
    if ds.file_meta.TransferSyntaxUID != ExplicitVRBigEndian or ds.BitsAllocated == 8:
        return frames
    dtype = {16: ">u2", 32: ">u4"}[ds.BitsAllocated]
    return [np.frombuffer(f, dtype=dtype).astype(dtype.replace(">", "<")).tobytes() for f in frames]


def interleave(ds, frame):
    """A native frame with Planar Configuration 0."""
    spp = ds.SamplesPerPixel
    if spp == 1 or int(ds.get("PlanarConfiguration", 0)) == 0:
        return frame
    bps = ds.BitsAllocated // 8
    a = np.frombuffer(frame, dtype=np.uint8).reshape(spp, ds.Rows * ds.Columns, bps)
    return a.transpose(1, 0, 2).tobytes()


def decode_with_pydicom_rle(src):
    """pydicom's own numpy RLE decoder, a third opinion next to DCMTK and GDCM."""
    from pydicom.pixel_data_handlers import rle_handler
    ds = pydicom.dcmread(src)
    data = rle_handler.get_pixeldata(ds).tobytes()
    flen = frame_length(ds)
    ds.PlanarConfiguration = 1  # the handler returns each frame by plane
    return ds, [interleave(ds, data[i:i + flen]) for i in range(0, len(data), flen)]


def decode_with(tool, src, workdir):
    """The tool's decode of src, as (data set, [interleaved frames]) or raises with the tool's message."""
    if tool == "pydicom-rle":
        return decode_with_pydicom_rle(src)
    dst = os.path.join(workdir, tool + ".dcm")
    proc = subprocess.run(TOOLS[tool](src, dst), capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not os.path.exists(dst):
        raise RuntimeError("%s exit %d: %s" % (tool, proc.returncode, (proc.stderr or proc.stdout).strip()[:300]))
    ds = pydicom.dcmread(dst)
    if ds.file_meta.TransferSyntaxUID not in NATIVE:
        raise RuntimeError("%s left transfer syntax %s" % (tool, ds.file_meta.TransferSyntaxUID))
    frames = [interleave(ds, f) for f in native_frames(ds)]
    os.remove(dst)
    return ds, frames


def file_id(path, prefix):
    parts = os.path.normpath(path).split(os.sep)
    tail = parts[-2:] if prefix == "corpus" else parts[-1:]
    return prefix + "-" + "-".join(tail).replace(".dcm", "")


def image_row(ds):
    return [str(ds.Rows), str(ds.Columns), str(ds.SamplesPerPixel), str(ds.BitsAllocated), str(ds.BitsStored),
            str(ds.HighBit), str(ds.PixelRepresentation), str(ds.PhotometricInterpretation).strip(),
            str(int(ds.get("PlanarConfiguration", 0)))]



def write_frames(folder, name_format, frames):
    """Writes each frame's bytes to folder/(name_format % index)."""
    for i, f in enumerate(frames):
        with open(os.path.join(folder, name_format % i), "wb") as out:
            out.write(f)

def extract(args):
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for path in args.files:
        try:
            ds = pydicom.dcmread(path)
            ts = ds.file_meta.TransferSyntaxUID
            if "PixelData" not in ds or "Rows" not in ds:
                continue
            image = image_row(ds)
            n = int(ds.get("NumberOfFrames", 1) or 1)
        except Exception:
            continue  # not an image we can describe (no meta, bad VR): nothing to test with
        prefix = "corpus" if "/syntaxes/" in path else "real"
        fid = file_id(path, prefix)
        folder = os.path.join(args.out, fid)
        notes = []
        refs = []
        if ts in args.syntax or ts in NATIVE:
            os.makedirs(folder, exist_ok=True)
        if ts in args.syntax:
            kind = "compressed"
            try:
                frames = list(generate_pixel_data_frame(ds.PixelData, n))
            except Exception as e:
                notes.append("pydicom cannot split the frames: %s" % e)
                frames = []
            write_frames(folder, "frame-%d.bin", frames)
            with tempfile.TemporaryDirectory() as work:
                for tool in args.tool:
                    try:
                        _, decoded = decode_with(tool, path, work)
                        write_frames(folder, tool + "-%d.raw", decoded)
                        refs.append(tool)
                    except Exception as e:
                        notes.append(str(e).replace("\t", " ").replace("\n", " "))
            n = len(frames)
        elif ts in NATIVE:
            kind = "native"
            try:
                write_frames(folder, "frame-%d.bin", native_frames(ds))
            except Exception as e:
                notes.append(str(e))
                n = 0
        else:
            continue
        rows.append([fid, kind, ts] + image + [str(n), ",".join(refs), "; ".join(notes), path])
    with open(os.path.join(args.out, "vectors.tsv"), "w") as out:
        out.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            out.write("\t".join(r) + "\n")


def roundtrip(args):
    results = []
    with open(os.path.join(args.dir, "encoded.tsv")) as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for fid, source, ts, pi, pc, nframes, lossy in lines[1:]:
        ds = pydicom.dcmread(source)
        folder = os.path.join(args.dir, fid)
        frames = []
        for i in range(int(nframes)):
            with open(os.path.join(folder, "enc-%d.bin" % i), "rb") as f:
                frames.append(f.read())
        ds.file_meta.TransferSyntaxUID = ts
        ds.is_little_endian = True
        ds.is_implicit_VR = False
        if "NumberOfFrames" in ds:
            ds.NumberOfFrames = len(frames)  # the test may encode only the first frames
        ds.PixelData = encapsulate(frames, has_bot=True)
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
        ds.PhotometricInterpretation = pi
        if ds.SamplesPerPixel > 1:
            ds.PlanarConfiguration = int(pc)
        if lossy == "true":
            ds.LossyImageCompression = "01"
        wrapped = os.path.join(folder, "wrapped.dcm")
        ds.save_as(wrapped, write_like_original=False)
        with tempfile.TemporaryDirectory() as work:
            for tool in args.tool:
                try:
                    _, decoded = decode_with(tool, wrapped, work)
                    write_frames(folder, tool + "-%d.raw", decoded)
                    results.append([fid, tool, "ok", ""])
                except Exception as e:
                    results.append([fid, tool, "fail", str(e).replace("\t", " ").replace("\n", " ")])
    with open(os.path.join(args.dir, "roundtrip.tsv"), "w") as out:
        out.write("id\ttool\tstatus\tmessage\n")
        for r in results:
            out.write("\t".join(r) + "\n")


def main():
    warnings.simplefilter("ignore")  # pydicom's complaints about the odd real file are not ours
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("extract")
    e.add_argument("--syntax", action="append", required=True, help="compressed transfer syntax UID to extract")
    e.add_argument("--tool", action="append", default=[], choices=sorted(TOOLS))
    e.add_argument("out")
    e.add_argument("files", nargs="+")
    r = sub.add_parser("roundtrip")
    r.add_argument("--tool", action="append", required=True, choices=sorted(TOOLS))
    r.add_argument("dir")
    args = p.parse_args()
    extract(args) if args.cmd == "extract" else roundtrip(args)


if __name__ == "__main__":
    sys.exit(main())
