#!/usr/bin/python3
"""Puts the frames of a generated corpus' files of one kind into one multi-frame file, several times
over, so that one process of a toolkit does the work of a benchmark and its start-up is amortised
(the codec modules' src/bench/*-timing.sh scripts).

multiframe.py CORPUS KIND FILES COPIES OUT
    CORPUS: a corpus folder of make-corpus.py (holding manifest.csv); KIND: its manifest's kind
    (CT, US...); FILES: how many of those files at most, in manifest order (0: all); COPIES: how
    many times their frames are repeated; OUT: the file to write (the first file's data set).
"""
import csv
import os
import sys

import pydicom


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    corpus, kind, files, copies, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    with open(os.path.join(corpus, "manifest.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == kind]
    rows = rows[:files] if files > 0 else rows
    if not rows:
        sys.exit("no %s files in %s" % (kind, corpus))
    frames = [pydicom.dcmread(os.path.join(corpus, r["path"])).PixelData for r in rows]
    ds = pydicom.dcmread(os.path.join(corpus, rows[0]["path"]))
    ds.NumberOfFrames = copies * int(ds.get("NumberOfFrames", 1) or 1) * len(frames)
    ds.PixelData = b"".join(frames * copies)
    ds.save_as(out)


if __name__ == "__main__":
    main()
