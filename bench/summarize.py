#!/usr/bin/python3
"""summarize.py - tables (Markdown) from a run-server-bench.sh results folder.

Usage: summarize.py RESULTS_DIR [--svg FILE]
  Reads cstore-*.csv (one file per run) and RESULTS.txt (the RESULT lines of the shared scripts),
  prints Markdown tables: median (min-max) per measurement, Mosaic beside storescp and Orthanc.
  Also writes RESULTS_DIR/cstore-summary.csv; with --svg, a bar chart of C-STORE instances/s.
"""
import csv
import glob
import os
import re
import statistics
import sys
from collections import defaultdict

TARGETS = ["storescp", "orthanc", "mosaic", "mosaic-tmpfs", "mosaic-disk-interleaved"]
NAMES = {"storescp": "DCMTK storescp (write, no fsync)", "orthanc": "Orthanc 1.10 (SQLite)",
         "mosaic": "Mosaic", "mosaic-tmpfs": "Mosaic, data on tmpfs",
         "mosaic-disk-interleaved": "Mosaic, disk (interleaved with tmpfs)"}


def mmm(v, fmt="%.1f"):
    if not v:
        return "–"
    return (fmt + " (" + fmt + "–" + fmt + ")") % (statistics.median(v), min(v), max(v))


def cstore(res):
    groups = defaultdict(lambda: {"MBps": [], "ips": [], "fail": 0, "checks": [], "files": 0})
    for f in glob.glob(os.path.join(res, "cstore-*.csv")):
        m = re.match(r"cstore-(.+)-(ct|tiny)-p(\d+)-r(d?)\d+-p\d+\.csv$", os.path.basename(f))
        if not m:
            continue
        t, corpus, par, interleaved = m.groups()
        if t == "mosaic" and interleaved:
            t = "mosaic-disk-interleaved"
        for row in csv.DictReader(open(f)):
            g = groups[(corpus, int(par), t)]
            g["MBps"].append(float(row["MBps"]))
            g["ips"].append(float(row["ips"]))
            g["fail"] += int(row["failures"])
            g["checks"].append(row["check"])
            g["files"] = int(row["files"])
    return groups


def results(res):
    out = []
    p = os.path.join(res, "RESULTS.txt")
    if os.path.exists(p):
        for line in open(p):
            kv = dict(re.findall(r"(\w+)=(\S+)", line))
            kind = line.split()[1]
            out.append((kind, kv, line))
    return out


def svg_bars(groups, path):
    """Grouped horizontal bars: instances/s median with min-max whiskers, per corpus x associations."""
    cats = [(c, p) for c in ("ct", "tiny") for p in (1, 4) if any((c, p, t) in groups for t in TARGETS)]
    ts = [t for t in ("storescp", "orthanc", "mosaic", "mosaic-tmpfs") if any((c, p, t) in groups for c, p in cats)]
    colors = {"storescp": "#9e9e9e", "orthanc": "#e69f00", "mosaic": "#0072b2", "mosaic-tmpfs": "#56b4e9"}
    vmax = max(max(groups[(c, p, t)]["ips"]) for c, p in cats for t in ts if (c, p, t) in groups)
    bar, gap, left, width = 16, 14, 190, 520
    rows = sum(sum(1 for t in ts if (c, p, t) in groups) for c, p in cats)
    h = 60 + rows * bar + len(cats) * (gap + 18) + 40
    scale = width / vmax
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
         % (left + width + 90, h),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="20" font-size="14" font-weight="bold">C-STORE instances/s, loopback, 2 cores '
         '(median; whisker = min–max of runs)</text>']
    y = 40
    for c, p in cats:
        label = "%s corpus, %d assoc." % ("CT 512x512 (1000)" if c == "ct" else "tiny 64x64", p)
        o.append('<text x="10" y="%d" font-weight="bold">%s</text>' % (y + 12, label))
        y += 18
        for t in ts:
            g = groups.get((c, p, t))
            if not g:
                continue
            med, lo, hi = statistics.median(g["ips"]), min(g["ips"]), max(g["ips"])
            o.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 6, y + bar - 4, t))
            o.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
                     % (left, y + 1, med * scale, bar - 2, colors[t]))
            o.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="black"/>'
                     % (left + lo * scale, left + hi * scale, y + bar // 2, y + bar // 2))
            o.append('<text x="%.1f" y="%d">%.0f</text>' % (left + max(med, hi) * scale + 4, y + bar - 4, med))
            y += bar
        y += gap
    o.append('<line x1="%d" x2="%d" y1="36" y2="%d" stroke="#333"/>' % (left, left, y))
    o.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(o) + "\n")


def main():
    res = sys.argv[1]
    groups = cstore(res)
    with open(os.path.join(res, "cstore-summary.csv"), "w") as f:
        w = csv.writer(f)
        w.writerow(["corpus", "associations", "target", "runs", "MBps_median", "MBps_min", "MBps_max",
                    "ips_median", "ips_min", "ips_max", "failures", "stored"])
        for (c, p, t), g in sorted(groups.items()):
            w.writerow([c, p, t, len(g["ips"]), statistics.median(g["MBps"]), min(g["MBps"]), max(g["MBps"]),
                        statistics.median(g["ips"]), min(g["ips"]), max(g["ips"]), g["fail"], " ".join(g["checks"])])
    print("## C-STORE (storescu, median (min–max) over runs)\n")
    print("| corpus | assoc. | receiver | runs | MB/s | instances/s | failures | stored per run |")
    print("|---|---|---|---|---|---|---|---|")
    for c in ("ct", "tiny"):
        for p in (1, 4):
            for t in TARGETS:
                g = groups.get((c, p, t))
                if g:
                    print("| %s (%d files) | %d | %s | %d | %s | %s | %d | %s |" % (
                        c, g["files"], p, NAMES[t], len(g["ips"]), mmm(g["MBps"]), mmm(g["ips"], "%.0f"),
                        g["fail"], " ".join(sorted(set(g["checks"])))))
    rs = results(res)
    echo = defaultdict(lambda: ([], []))
    for kind, kv, _ in rs:
        if kind == "dimse-echo":
            t = kv["label"].rsplit("-r", 1)[0]
            echo[t][0].append(float(kv["ops_per_s"]))
            echo[t][1].append(float(kv["p50"]))
    if echo:
        print("\n## C-ECHO (dimse-mini.py, one association per echo, 300 per round)\n")
        print("| target | rounds | associations/s | per-association ms p50 |")
        print("|---|---|---|---|")
        for t in ("storescp", "orthanc", "mosaic"):
            if t in echo:
                print("| %s | %d | %s | %.2f |" % (t, len(echo[t][0]), mmm(echo[t][0], "%.0f"), statistics.median(echo[t][1])))
    rows = [(kind, kv) for kind, kv, _ in rs if kind in ("dimse-find", "cfind", "qido")]
    if rows:
        print("\n## C-FIND / QIDO-RS latency (ms)\n")
        print("| client | label | n | p50 | p95 | max | matches total | failed |")
        print("|---|---|---|---|---|---|---|---|")
        for kind, kv in rows:
            client = {"dimse-find": "dimse-mini C-FIND", "cfind": "findscu (new process)", "qido": "QIDO-RS curl"}[kind]
            print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (client, kv.get("label"), kv.get("n"), kv.get("p50"),
                  kv.get("p95"), kv.get("max"), kv.get("matches", kv.get("matches_total")), kv.get("failed")))
    rows = [kv for kind, kv, _ in rs if kind == "wado-series"]
    if rows:
        print("\n## WADO-RS series (100 CT instances) and series metadata\n")
        print("| server | bytes | runs | MB/s median (min–max) | series s median | metadata s median (min–max) | failed |")
        print("|---|---|---|---|---|---|---|")
        for kv in rows:
            line = [l for k, v, l in rs if k == "wado-series" and v.get("label") == kv["label"]][0]
            mb = re.search(r"MBps median=(\S+) min=(\S+) max=(\S+)", line).groups()
            ss = re.search(r"\| s median=(\S+)", line).group(1)
            md = re.search(r"metadata s median=(\S+) min=(\S+) max=(\S+)", line).groups()
            print("| %s | %s | %s | %s (%s–%s) | %s | %s (%s–%s) | %s |" % (kv["label"], kv.get("bytes"), kv.get("runs"),
                  mb[0], mb[1], mb[2], ss, md[0], md[1], md[2], kv.get("failed")))
    rows = [kv for kind, kv, _ in rs if kind == "cpu"]
    if rows:
        print("\n## Receiver CPU time per stored instance (1 association, /proc/PID/stat around one run)\n")
        print("| receiver-corpus | files | wall s | CPU s | CPU ms per instance | JIT: methods compiled (compile s) during the run |")
        print("|---|---|---|---|---|---|")
        for kv in rows:
            jit = "–" if kv.get("jit_compiled", "-") == "-" else "%s (%s)" % (kv["jit_compiled"], kv.get("jit_compile_s"))
            print("| %s | %s | %s | %s | %s | %s |" % (kv["label"], kv["files"], kv["wall_s"], kv["cpu_s"],
                  kv["cpu_ms_per_instance"], jit))
    rows = [kv for kind, kv, _ in rs if kind == "fsync-probe"]
    if rows:
        print("\n## fsync-probe.py: durable file writes without a server\n")
        print("| folder | mode | bytes per file | files/s | ms p50 | ms p95 |")
        print("|---|---|---|---|---|---|")
        for kv in rows:
            print("| %s | %s | %s | %s | %s | %s |" % (kv["dir"], kv["mode"], kv["size"], kv["files_per_s"], kv["p50"], kv["p95"]))
    rows = [(kv, line) for kind, kv, line in rs if kind == "syncs"]
    if rows:
        print("\n## Sync system calls while 100 CT instances arrive (strace -c)\n")
        print("| receiver | calls |")
        print("|---|---|")
        for kv, line in rows:
            print("| %s | %s |" % (kv["label"], line.split("instances=100", 1)[1].strip()))
    if len(sys.argv) > 3 and sys.argv[2] == "--svg" and groups:
        svg_bars(groups, sys.argv[3])


if __name__ == "__main__":
    main()
