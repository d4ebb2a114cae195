#!/bin/bash
# GDCM's JPEG 2000 figures for the README (DCMTK has no JPEG 2000), on the same frames as
# J2kBenchmark: the 18 CT frames of the mixed corpus put five times into one multi-frame file
# (90 frames), and the first US file's 10 RGB frames put five times into one (50 frames), so that
# one gdcmconv process does the work and its start-up is amortised (as codec-jpeg's
# dcmtk-ct-timing.sh). The CPU time (user + system, all threads) of a plain `gdcmconv` copy
# (parse and write) is subtracted. Prints ms per frame; prints `uptime` first, since the machine
# is shared.
# Usage: tools-timing.sh CORPUS_DIR [ROUNDS]   (CORPUS_DIR: target/test-work/corpus-mixed of the repository)
set -euo pipefail
corpus=${1:?corpus folder}
rounds=${2:-3}
copies=5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
multiframe=$(dirname "$0")/../../../../testing/python/multiframe.py
/usr/bin/python3 "$multiframe" "$corpus" CT 0 "$copies" "$work/ct.dcm"
/usr/bin/python3 "$multiframe" "$corpus" US 1 "$copies" "$work/us.dcm"
cpu() { local TIMEFORMAT='%3U %3S'; { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}'; }
ms() { echo "1000 * ($1 - $2) / $3" | bc -l; }
uptime
for kind in ct us; do
  in="$work/$kind.dcm"
  n=$([ $kind = ct ] && echo $((18 * copies)) || echo $((10 * copies)))
  for round in $(seq "$rounds"); do
    base=$(cpu gdcmconv "$in" "$work/copy.dcm")
    enc=$(cpu gdcmconv --j2k "$in" "$work/lossless.dcm")
    dec=$(cpu gdcmconv --raw "$work/lossless.dcm" "$work/dec.dcm")
    lenc=$(cpu gdcmconv --j2k --lossy -r 10 "$in" "$work/lossy.dcm")
    ldec=$(cpu gdcmconv --raw "$work/lossy.dcm" "$work/dec.dcm")
    printf '%s round %d, ms per frame: lossless --j2k %.2f, --raw %.2f; lossy -r 10 --j2k %.2f, --raw %.2f (copy %.2f)\n' \
      "$kind" "$round" "$(ms "$enc" "$base" $n)" "$(ms "$dec" "$base" $n)" "$(ms "$lenc" "$base" $n)" \
      "$(ms "$ldec" "$base" $n)" "$(ms "$base" 0 $n)"
  done
done
uptime
