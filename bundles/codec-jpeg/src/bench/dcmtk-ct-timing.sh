#!/bin/bash
# DCMTK's figures for the README, on the same 18 CT frames as CtFramesBenchmark. The frames are put
# ten times into one multi-frame file (180 frames), so that one dcmcjpeg or dcmdjpeg process does
# the work and its start-up is amortised; the CPU time (user + system) of dcmconv on the same file
# (parsing, writing) is subtracted. Prints ms per frame for encode and decode, JPEG Lossless SV1
# and Process 14 with predictor 6.
# Usage: dcmtk-ct-timing.sh CORPUS_DIR   (CORPUS_DIR: target/test-work/corpus-mixed of the repository)
set -euo pipefail
corpus=${1:?corpus folder}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$(dirname "$0")/../../../../testing/python/multiframe.py" "$corpus" CT 0 10 "$work/ct.dcm"
n=180
cpu() { local TIMEFORMAT='%3U %3S'; { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}'; }
ms() { echo "1000 * ($1 - $2) / $n" | bc -l; }
for round in 1 2 3; do
  base=$(cpu dcmconv "$work/ct.dcm" "$work/copy.dcm")
  e1=$(cpu dcmcjpeg +e1 "$work/ct.dcm" "$work/sv1.dcm")
  e14=$(cpu dcmcjpeg +el +sv 6 "$work/ct.dcm" "$work/p14.dcm")
  d1=$(cpu dcmdjpeg "$work/sv1.dcm" "$work/dec.dcm")
  d14=$(cpu dcmdjpeg "$work/p14.dcm" "$work/dec.dcm")
  printf 'round %d, ms per frame: encode SV1 %.2f, encode P14/SV6 %.2f, decode SV1 %.2f, decode P14/SV6 %.2f\n' \
    "$round" "$(ms "$e1" "$base")" "$(ms "$e14" "$base")" "$(ms "$d1" "$base")" "$(ms "$d14" "$base")"
done
