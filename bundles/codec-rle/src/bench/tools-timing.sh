#!/bin/bash
# DCMTK's and GDCM's RLE figures for the README, on the same frames as RleBenchmark: the 18 CT frames
# of the mixed corpus put ten times into one multi-frame file (180 frames), and the first US file's
# 10 RGB frames put ten times into one (100 frames), so that one process does the work and its
# start-up is amortised (as codec-jpeg's dcmtk-ct-timing.sh). The CPU time (user + system) of a
# plain copy by the same toolkit (dcmconv, gdcmconv without options: parse and write) is subtracted.
# Prints ms per frame; prints `uptime` first, since the machine is shared.
# Usage: tools-timing.sh CORPUS_DIR [ROUNDS]   (CORPUS_DIR: target/test-work/corpus-mixed of the repository)
set -euo pipefail
corpus=${1:?corpus folder}
rounds=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
multiframe=$(dirname "$0")/../../../../testing/python/multiframe.py
/usr/bin/python3 "$multiframe" "$corpus" CT 0 10 "$work/ct.dcm"
/usr/bin/python3 "$multiframe" "$corpus" US 1 10 "$work/us.dcm"
cpu() { local TIMEFORMAT='%3U %3S'; { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}'; }
ms() { echo "1000 * ($1 - $2) / $3" | bc -l; }
uptime
for kind in ct us; do
  in="$work/$kind.dcm"
  n=$([ $kind = ct ] && echo 180 || echo 100)
  for round in $(seq "$rounds"); do
    dbase=$(cpu dcmconv "$in" "$work/copy.dcm")
    denc=$(cpu dcmcrle "$in" "$work/dcmtk.dcm")
    ddec=$(cpu dcmdrle "$work/dcmtk.dcm" "$work/dec.dcm")
    gbase=$(cpu gdcmconv "$in" "$work/copy.dcm")
    genc=$(cpu gdcmconv --rle "$in" "$work/gdcm.dcm")
    gdec=$(cpu gdcmconv --raw "$work/gdcm.dcm" "$work/dec.dcm")
    printf '%s round %d, ms per frame: dcmcrle %.2f, dcmdrle %.2f, gdcmconv --rle %.2f, gdcmconv --raw %.2f (copies: dcmconv %.2f, gdcmconv %.2f)\n' \
      "$kind" "$round" "$(ms "$denc" "$dbase" $n)" "$(ms "$ddec" "$dbase" $n)" "$(ms "$genc" "$gbase" $n)" \
      "$(ms "$gdec" "$gbase" $n)" "$(ms "$dbase" 0 $n)" "$(ms "$gbase" 0 $n)"
  done
done
uptime
