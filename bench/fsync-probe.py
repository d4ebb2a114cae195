#!/usr/bin/python3
"""fsync-probe.py - what durable file writes cost on a folder's file system, without any server.

Usage: fsync-probe.py DIR [--n 200] [--size 525968] [--mode durable|nosync]
  Writes N files of SIZE bytes into DIR/<i % 10>/ the way Mosaic's filesystem storage commits an
  object (write to a temp file, fdatasync, rename into place, fsync the folder) and prints
  files/s and per-file ms p50/p95. --mode nosync does the same without the two syncs (what
  storescp does). The gap is the floor that durable acknowledgement puts under one association's
  C-STORE rate on this disk, before any DICOM work or index commit. Deletes its files at the end.
"""
import argparse
import os
import shutil
import statistics
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--size", type=int, default=525968)  # one CT instance of the ct corpus
    ap.add_argument("--mode", choices=["durable", "nosync"], default="durable")
    a = ap.parse_args()
    base = os.path.join(a.dir, "fsync-probe-%d" % os.getpid())
    payload = os.urandom(a.size)
    lat = []
    try:
        for d in range(10):
            os.makedirs(os.path.join(base, str(d)))
        t_start = time.perf_counter()
        for i in range(a.n):
            t0 = time.perf_counter()
            folder = os.path.join(base, str(i % 10))
            tmp = os.path.join(folder, ".tmp-%d" % i)
            with open(tmp, "wb") as f:
                f.write(payload)
                f.flush()
                if a.mode == "durable":
                    os.fdatasync(f.fileno())
            os.rename(tmp, os.path.join(folder, "%d.dcm" % i))
            if a.mode == "durable":
                fd = os.open(folder, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            lat.append((time.perf_counter() - t0) * 1000)
        wall = time.perf_counter() - t_start
    finally:
        shutil.rmtree(base, ignore_errors=True)
    s = sorted(lat)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    print("RESULT fsync-probe dir=%s mode=%s size=%d n=%d files_per_s=%.1f ms p50=%.3f p95=%.3f max=%.3f"
          % (a.dir, a.mode, a.size, len(s), len(s) / wall, statistics.median(s), p95, s[-1]))


if __name__ == "__main__":
    main()
