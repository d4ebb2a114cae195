#!/usr/bin/python3
"""DICOMweb benchmark, on demand (not CI): the same requests against Mosaic and, if given, Orthanc's
DICOMweb plugin, on the same 1,000-instance CT series. See ../../PERFORMANCE.md.

Usage: dicomweb-bench.py [--load CORPUS_DIR] [--orthanc-rest URL] NAME=DICOMWEB_URL...
  --load CORPUS_DIR   store CORPUS_DIR/native/**.dcm first: STOW-RS to every server whose name is not
                      "orthanc"; to Orthanc through its REST API (--orthanc-rest, e.g. http://127.0.0.1:8042)
Measures: QIDO-RS latency (200 searches, p50/p95), series metadata latency (first and warm),
frames per second (500 single-frame requests, 4 clients), WADO-RS series retrieval MB/s (3 runs).
Every request opens a new connection (urllib), like a simple client; stdlib only.
"""
import concurrent.futures
import glob
import json
import os
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid


def get(url, accept, timeout=300):
    req = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        n = 0
        while True:
            chunk = r.read(1 << 20)
            if not chunk:
                return r.status, n
            n += len(chunk)


def get_json(url, timeout=120):
    req = urllib.request.Request(url, headers={"Accept": "application/dicom+json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        body = r.read()
        return json.loads(body) if body else []


def timed(f, *args):
    t = time.perf_counter()
    f(*args)
    return time.perf_counter() - t


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def stow(base, files):
    for i in range(0, len(files), 20):
        boundary = uuid.uuid4().hex
        body = bytearray()
        for f in files[i:i + 20]:
            body += b"--" + boundary.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n"
            body += open(f, "rb").read() + b"\r\n"
        body += b"--" + boundary.encode() + b"--\r\n"
        req = urllib.request.Request(base + "/studies", data=bytes(body), method="POST", headers={
            "Content-Type": 'multipart/related; type="application/dicom"; boundary=' + boundary,
            "Accept": "application/dicom+json"})
        urllib.request.urlopen(req, timeout=600).read()


def orthanc_store(rest, files):
    def one(f):
        req = urllib.request.Request(rest + "/instances", data=open(f, "rb").read(), method="POST",
                                     headers={"Content-Type": "application/dicom"})
        urllib.request.urlopen(req, timeout=120).read()
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        list(ex.map(one, files))


def largest_series(base):
    best = None
    for st in get_json(base + "/studies?limit=1000"):
        s = st["0020000D"]["Value"][0]
        for se in get_json(base + "/studies/%s/series" % s):
            n = int(se.get("00201209", {}).get("Value", [0])[0])
            if best is None or n > best[2]:
                best = (s, se["0020000E"]["Value"][0], n)
    return best


def bench(name, base):
    study, series, count = largest_series(base)
    names = sorted({st.get("00100010", {}).get("Value", [{}])[0].get("Alphabetic", "")
                    for st in get_json(base + "/studies?limit=1000")} - {""})
    prefixes = sorted({n[:2] for n in names})[:10] or ["A"]
    qido = [timed(get_json, base + "/studies?PatientName=%s*" % urllib.parse.quote(prefixes[i % len(prefixes)]))
            for i in range(200)]
    series_url = base + "/studies/%s/series/%s" % (study, series)
    first_meta = timed(get, series_url + "/metadata", "application/dicom+json")
    warm_meta = [timed(get, series_url + "/metadata", "application/dicom+json") for _ in range(10)]
    sops = [i["00080018"]["Value"][0] for i in get_json(series_url + "/instances?limit=%d" % count)]
    frame_accept = 'multipart/related; type="application/octet-stream"; transfer-syntax=*'

    def frame(i):
        return get(series_url + "/instances/%s/frames/1" % sops[i % len(sops)], frame_accept)[1]
    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        frame_bytes = sum(ex.map(frame, range(500)))
    frames_per_s = 500 / (time.perf_counter() - t)
    rates = []
    size = 0
    for _ in range(3):
        t = time.perf_counter()
        _, size = get(series_url, 'multipart/related; type="application/dicom"; transfer-syntax=*', 1200)
        rates.append(size / (1 << 20) / (time.perf_counter() - t))
    print("| %s | %d | %.1f / %.1f | %.0f / %.0f | %.0f | %.0f | %.0f (%.0f MB) |" % (
        name, count, 1000 * pct(qido, 50), 1000 * pct(qido, 95), 1000 * first_meta,
        1000 * statistics.median(warm_meta), frames_per_s, frame_bytes / 500 / 1024,
        statistics.median(rates), size / (1 << 20)), flush=True)


def main(argv):
    load = None
    rest = None
    servers = []
    i = 0
    while i < len(argv):
        if argv[i] == "--load":
            load, i = argv[i + 1], i + 2
        elif argv[i] == "--orthanc-rest":
            rest, i = argv[i + 1], i + 2
        else:
            servers.append(argv[i].split("=", 1))
            i += 1
    if load:
        files = sorted(glob.glob(os.path.join(load, "native", "**", "*.dcm"), recursive=True))
        for name, base in servers:
            t = time.perf_counter()
            if name == "orthanc":
                orthanc_store(rest, files)
            else:
                stow(base, files)
            print("# loaded %d files into %s in %.1f s" % (len(files), name, time.perf_counter() - t), flush=True)
    print("| server | series instances | QIDO-RS ms p50 / p95 | series metadata ms first / warm p50 "
          "| frames/s (4 clients) | KB/frame | WADO-RS series MB/s (size) |")
    print("|---|---|---|---|---|---|---|")
    for name, base in servers:
        bench(name, base.rstrip("/"))


if __name__ == "__main__":
    main(sys.argv[1:])
