#!/usr/bin/python3
"""stow-load.py - STOW-RS ingest rate: a folder's DICOM files in multipart/related requests.

Usage: stow-load.py BASE_URL DIR [PARTS_PER_REQUEST=20] [CONNECTIONS=1]
  BASE_URL is the DICOMweb root (http://127.0.0.1:8080/dicom-web). Every request body is built in
  memory before the clock starts, so the figure is the server's, not this script's file reading.
  Prints one RESULT line: instances/s, MB/s, request p50 and the number of requests not answered 200.
  Standard library only; loopback or a test server only (it stores what it sends).
"""
import http.client
import os
import sys
import threading
import time
import urllib.parse
import uuid


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    url, folder = sys.argv[1], sys.argv[2]
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    conns = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f.endswith(".dcm"))
    if not files:
        sys.exit("no .dcm files under " + folder)
    target = urllib.parse.urlparse(url)
    bodies = []
    for i in range(0, len(files), per):
        boundary = uuid.uuid4().hex
        parts = []
        for f in files[i:i + per]:
            with open(f, "rb") as fh:
                parts.append(b"--" + boundary.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n"
                             + fh.read() + b"\r\n")
        bodies.append((boundary, b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"))
    total = sum(len(b) for _, b in bodies)
    lock = threading.Lock()
    state = {"next": 0, "failed": 0}
    latencies = []

    def worker():
        c = http.client.HTTPConnection(target.hostname, target.port)
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= len(bodies):
                return
            boundary, body = bodies[i]
            t0 = time.perf_counter()
            c.request("POST", target.path.rstrip("/") + "/studies", body=body, headers={
                "Content-Type": 'multipart/related; type="application/dicom"; boundary=' + boundary,
                "Accept": "application/dicom+json"})
            r = c.getresponse()
            answer = r.read()
            with lock:
                latencies.append(time.perf_counter() - t0)
                if r.status != 200:
                    state["failed"] += 1
                    print("HTTP", r.status, answer[:300], file=sys.stderr)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    latencies.sort()
    print("RESULT stow files=%d per_request=%d connections=%d seconds=%.2f instances_per_s=%.1f MB_per_s=%.1f "
          "request_ms_p50=%.1f failed_requests=%d" % (len(files), per, conns, seconds, len(files) / seconds,
                                                      total / seconds / 1e6, latencies[len(latencies) // 2] * 1000,
                                                      state["failed"]))


if __name__ == "__main__":
    main()
