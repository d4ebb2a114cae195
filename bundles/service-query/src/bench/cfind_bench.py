#!/usr/bin/python3
"""cfind_bench.py - STUDY-level C-FIND latency, the same client for every server.

Uses the raw-socket association of shared/bench/dimse-mini.py (no DCMTK start-up cost in the
figures): one new association per query, as most viewers and modalities query. Query kinds:

  name    PatientName=<FAMILY>^<GIVEN>*   (a person: ~15 studies at 100,000; the bench corpus
                                          gives ASCII names to 1 patient in 6)
  family  PatientName=<FAMILY>*           (a family name: ~450 studies at 100,000)
  date    StudyDate=<d>-<d+1>             (two days: ~55 studies at 100,000)
  nomatch PatientName=ZZZ*                (nothing: the cost of the index itself)

  cfind_bench.py --port P --aet AET [--n 100] [--kinds name,date,...] --label L [--csv FILE]
Prints one RESULT line per kind: label kind n p50 p95 mean matches/query failures.
"""
import argparse
import datetime
import importlib.util
import os
import statistics
import sys
import time

from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset

BENCH = os.environ.get("MOSAIC_SHARED_BENCH", "/work/shared/bench")
spec = importlib.util.spec_from_file_location("dimse_mini", os.path.join(BENCH, "dimse-mini.py"))
mini = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mini)

FAMILIES = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "TORRES", "NGUYEN"]
GIVENS = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "SANDRA"]
RETURN_KEYS = ("PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyTime", "StudyDescription",
               "AccessionNumber", "StudyID", "ReferringPhysicianName", "ModalitiesInStudy",
               "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances")


def identifier(kind, i, explicit):
    ds = Dataset()
    ds.QueryRetrieveLevel = "STUDY"
    ds.PatientName = ""
    ds.StudyDate = ""
    if kind == "name":
        ds.PatientName = "%s^%s*" % (FAMILIES[i % len(FAMILIES)], GIVENS[(i // len(FAMILIES)) % len(GIVENS)])
    elif kind == "family":
        ds.PatientName = FAMILIES[i % len(FAMILIES)] + "*"
    elif kind == "date":
        d = datetime.date(2015, 1, 1) + datetime.timedelta(days=(i * 37) % 3640)
        ds.StudyDate = "%s-%s" % (d.strftime("%Y%m%d"), (d + datetime.timedelta(days=1)).strftime("%Y%m%d"))
    elif kind == "nomatch":
        ds.PatientName = "ZZZ*"
    for k in RETURN_KEYS:
        setattr(ds, k, "")
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = not explicit
    write_dataset(fp, ds)
    return fp.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--aet", required=True)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--kinds", default="name,family,date,nomatch")
    ap.add_argument("--label", default="")
    ap.add_argument("--csv")
    ap.add_argument("--max-seconds", type=float, default=600)
    a = ap.parse_args()
    if not (a.host.startswith("127.") or a.host in ("localhost", "::1")):
        sys.exit("refusing non-loopback host %s" % a.host)
    deadline = time.perf_counter() + a.max_seconds
    rows = []
    for kind in a.kinds.split(","):
        lat, matches, fails = [], 0, 0
        for i in range(a.n):
            if time.perf_counter() > deadline:
                break
            t0 = time.perf_counter()
            try:
                asc = mini.Assoc(a.host, a.port, a.aet, "BENCHSCU", mini.STUDY_ROOT_FIND)
                st, n = asc.find(identifier(kind, i, asc.ts == mini.EXPLICIT_LE))
                asc.release()
            except Exception as e:  # noqa: BLE001 - counted and reported
                st, n = -1, 0
                print("%s %d failed: %s" % (kind, i, e), file=sys.stderr)
            ms = (time.perf_counter() - t0) * 1000
            lat.append(ms)
            matches += n
            fails += st != 0
            rows.append((a.label, kind, i, "%.3f" % ms, n, st))
        lat.sort()
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))] if lat else float("nan")
        print("RESULT %s %s n=%d p50=%.1f p95=%.1f mean=%.1f matches/query=%.1f failures=%d" % (
            a.label, kind, len(lat), statistics.median(lat) if lat else float("nan"), p95,
            statistics.mean(lat) if lat else float("nan"), matches / max(1, len(lat)), fails))
        sys.stdout.flush()
    if a.csv:
        with open(a.csv, "w") as f:
            f.write("label,kind,i,ms,matches,status\n")
            for r in rows:
                f.write(",".join(str(x) for x in r) + "\n")


if __name__ == "__main__":
    main()
