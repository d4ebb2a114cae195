#!/bin/bash
# DCMTK's and pydicom's figures for PERFORMANCE.md, on the files HeaderReadBenchmark reads: the
# headers (everything before Pixel Data) of 1,000 CT files. Prints milliseconds per 1,000 files,
# best of three rounds, the files in the page cache.
#   dcmdump  one process for all files: dcmdump -q -M +sb 7fe0,0010 (stop before Pixel Data, do not
#            load long values), the dump to /dev/null; CPU time (user + system) of the process
#   pydicom  pydicom.dcmread(f, stop_before_pixels=True) in one Python process, timed inside it
#            (interpreter start-up not counted)
# Usage: header-timing.sh CORPUS_DIR   (the corpus-ct folder that HeaderReadBenchmark made)
set -euo pipefail
corpus=${1:?corpus folder}
mapfile -t files < <(find "$corpus/native" -name '*.dcm' | sort)
[ "${#files[@]}" -eq 1000 ] || { echo "expected 1000 files in $corpus/native, found ${#files[@]}" >&2; exit 1; }
cat "${files[@]}" > /dev/null # page cache

cpu() { local TIMEFORMAT='%3U %3S'; { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{print 1000 * ($1 + $2)}'; }
wall() { local TIMEFORMAT='%3R'; { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{print 1000 * $1}'; }

best_cpu= best_wall=
for round in 1 2 3; do
  c=$(cpu dcmdump -q -M +sb 7fe0,0010 "${files[@]}")
  w=$(wall dcmdump -q -M +sb 7fe0,0010 "${files[@]}")
  best_cpu=$(printf '%s\n%s\n' "${best_cpu:-$c}" "$c" | sort -n | head -1)
  best_wall=$(printf '%s\n%s\n' "${best_wall:-$w}" "$w" | sort -n | head -1)
done
printf 'dcmdump -q -M +sb 7fe0,0010: %.0f ms CPU, %.0f ms wall per 1000 headers (one process, dump printed to /dev/null)\n' \
  "$best_cpu" "$best_wall"

printf '%s\n' "${files[@]}" | /usr/bin/python3 -c '
import sys, time, warnings
sys.path.insert(0, "/usr/lib/python3/dist-packages")
import pydicom
warnings.simplefilter("ignore")
files = sys.stdin.read().split()
best = None
for _ in range(3):
    t0 = time.perf_counter()
    for f in files:
        pydicom.dcmread(f, stop_before_pixels=True)
    t = time.perf_counter() - t0
    best = t if best is None else min(best, t)
print("pydicom %s dcmread(stop_before_pixels=True): %.0f ms per 1000 headers (one process, start-up not counted)"
      % (pydicom.__version__, 1000 * best * 1000 / len(files)))
'
