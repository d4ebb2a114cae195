#!/bin/bash
# run-server-bench.sh - measure Mosaic PACS beside DCMTK storescp and Orthanc, in one run, on loopback.
#
# Usage: bench/run-server-bench.sh [RESULTS_DIR]
# One command: unpacks the Karaf distribution into $WORK/mosaic, moves every port of it into the
# 21000-21999 range, makes the corpora, starts Mosaic, storescp and Orthanc, runs the shared scripts
# of $SHARED_BENCH against all three (interleaved: storescp, Orthanc, Mosaic, then the next run) and
# prints a summary table (also written to RESULTS_DIR/summary.md). Every server is stopped on exit.
# Not part of the test suite. See bench/README.md for what is measured and how long it takes.
#
# Env: SHARED_BENCH (/work/shared/bench), DIST_TGZ (the assembly's tar.gz), WORK (/tmp/mosaic-server-bench),
#      PORT_BASE (21000), RUNS (3), BLOCKS (cstore,tmpfs,cpu,fsync,syncs,query), CORPORA (ct,tiny),
#      TINY_PATIENTS (150: x2 studies x10 = 3000 instances), TMPFS_CORPORA (ct,tiny), TMPFS_PAR (1,4),
#      SKIP_UNPACK (0; 1 reuses $WORK/mosaic), MAX_SECONDS (per shared script, 600),
#      WARM_SERIES (80 series of 100 CT sent, untimed, after every reset), SETTLE_SECONDS (65: wait
#      after each wipe, see servers.sh)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
export SHARED_BENCH=${SHARED_BENCH:-/work/shared/bench}
DIST_TGZ=${DIST_TGZ:-$REPO/karaf-distribution/assembly/target/mosaic-karaf-distribution-0.1.0-SNAPSHOT.tar.gz}
export WORK=${WORK:-/tmp/mosaic-server-bench}
RES=${1:-$WORK/results-$(date -u +%Y%m%d-%H%M)}
export PORT_BASE=${PORT_BASE:-21000}
RUNS=${RUNS:-3}
BLOCKS=${BLOCKS:-cstore,tmpfs,cpu,fsync,syncs,query}
CORPORA=${CORPORA:-ct,tiny}
TINY_PATIENTS=${TINY_PATIENTS:-150}
SKIP_UNPACK=${SKIP_UNPACK:-0}
export MAX_SECONDS=${MAX_SECONDS:-600}
export MOSAIC_HOME=$WORK/mosaic
export MOSAIC_DICOM_PORT=$((PORT_BASE + 112)) MOSAIC_HTTP_PORT=$((PORT_BASE + 181))
export ORTHANC_DICOM_PORT=$((PORT_BASE + 242)) ORTHANC_HTTP_PORT=$((PORT_BASE + 42))
export SCP_PORT=$((PORT_BASE + 113)) SCP_AET=STORESCP SCP_BASE=$WORK/storescp
export TMPFS_DIR=${TMPFS_DIR:-/dev/shm/mosaic-server-bench}
export WARM_CORPUS=$WORK/corpus-warm-${WARM_SERIES:-80}
export OUTDIR=$RES
SRV=$HERE/servers.sh
PY=/usr/bin/python3
mkdir -p "$RES" "$WORK"
exec > >(tee -a "$RES/run.log") 2>&1

cleanup() {
  "$SRV" mosaic stop; "$SRV" orthanc stop; "$SHARED_BENCH/storescp-ctl.sh" stop > /dev/null
  rm -rf "$TMPFS_DIR"
}
trap cleanup EXIT
has() { case ",$BLOCKS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
load() { echo "LOAD $(date -u +%H:%M:%S) $1: $(uptime | sed 's/.*load average: //')" | tee -a "$RES/load.txt"; }

echo "== $(date -u -Is) $(uname -n), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; results in $RES"
dpkg-query -W dcmtk orthanc orthanc-dicomweb 2>/dev/null | sed 's/^/# /'
java -version 2>&1 | head -1 | sed 's/^/# /'

# ------------------------------------------------------------------ distribution, ports
if [ "$SKIP_UNPACK" != 1 ] || [ ! -x "$MOSAIC_HOME/bin/karaf" ]; then
  "$SRV" mosaic unpack "$DIST_TGZ" || exit 2
  cp "$DIST_TGZ" "$RES/" 2>/dev/null; (cd "$RES" && sha256sum "$(basename "$DIST_TGZ")" > dist.sha256 && rm -f "$(basename "$DIST_TGZ")")
else
  "$SRV" mosaic ports || exit 2
fi
echo "# ports: mosaic DICOM $MOSAIC_DICOM_PORT HTTP $MOSAIC_HTTP_PORT | storescp $SCP_PORT | orthanc DICOM $ORTHANC_DICOM_PORT HTTP $ORTHANC_HTTP_PORT"

# ------------------------------------------------------------------ corpora (deterministic, made once)
mk() {  # dir args...
  local d=$1; shift
  [ -f "$d/manifest.csv" ] || "$PY" "$SHARED_BENCH/../testdata/make-corpus.py" --out "$d" --quiet "$@" || exit 2
}
mk "$WORK/corpus-ct" --profile ct --patients 10 --studies-per-patient 1 --instances-per-series 100
mk "$WORK/corpus-tiny" --profile tiny --patients "$TINY_PATIENTS" --studies-per-patient 2 --instances-per-series 10
# Warm-up before every timed run (not timed): enough instances for the JVM's JIT to finish compiling the
# ingest path. With 50, a third to a half of Mosaic's CPU in a 1000-instance run was the JIT compiling;
# after 2000 it still compiled and deoptimized at a quarter of the CPU; after 8000 (half of them over
# four associations) it has about settled (docs/performance.md). Orthanc and storescp get the same.
mk "$WARM_CORPUS" --profile ct --patients "${WARM_SERIES:-80}" --studies-per-patient 1 --instances-per-series 100 --id-prefix WARM

# ------------------------------------------------------------------ servers
"$SHARED_BENCH/storescp-ctl.sh" start write || exit 1
"$SRV" orthanc start || exit 1
"$SRV" mosaic start || exit 1
echo "# mosaic $(curl -s "http://127.0.0.1:$MOSAIC_HTTP_PORT/api/health" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["version"])')"
echo "# orthanc $(curl -s "http://127.0.0.1:$ORTHANC_HTTP_PORT/system" | $PY -c 'import json,sys; d=json.load(sys.stdin); print(d["Version"])')"

# target NAME -> exports PORT AET DICOMWEB and the storage hooks for cstore-bench.sh
target() {
  case $1 in
    storescp) PORT=$SCP_PORT AET=$SCP_AET DICOMWEB=http://127.0.0.1:1/none
      PRE="$SHARED_BENCH/storescp-ctl.sh wipe && $SRV settle"; POST="$SHARED_BENCH/storescp-ctl.sh count" ;;
    orthanc) PORT=$ORTHANC_DICOM_PORT AET=ORTHANC DICOMWEB=http://127.0.0.1:$ORTHANC_HTTP_PORT/dicom-web
      PRE="$SRV orthanc reset"; POST="$SRV orthanc count" ;;
    mosaic|mosaic-tmpfs) PORT=$MOSAIC_DICOM_PORT AET=MOSAIC DICOMWEB=http://127.0.0.1:$MOSAIC_HTTP_PORT/dicom-web
      PRE="$SRV mosaic reset"; POST="$SRV mosaic count" ;;
  esac
  export PORT AET DICOMWEB
}
cstore() {  # target corpus parallel run
  target "$1"
  LABEL=$1-$2-p$3-r$4 PARALLEL=$3 RUNS=1 PRE_RUN_HOOK=$PRE POST_RUN_HOOK=$POST PER_RUN_TIMEOUT=400 \
    timeout 900 "$SHARED_BENCH/cstore-bench.sh" "$WORK/corpus-$2" | grep -E '^RESULT|^#'
}

# ------------------------------------------------------------------ C-STORE, interleaved
if has cstore; then
  IFS=, read -r -a corpora <<< "$CORPORA"
  for c in "${corpora[@]}"; do
    for par in 1 4; do
      load "cstore $c p$par"
      for ((r = 1; r <= RUNS; r++)); do
        for t in storescp orthanc mosaic; do cstore "$t" "$c" "$par" "$r"; done
      done
    done
  done
fi

# ------------------------------------------------------------------ durability cost: data/mosaic on tmpfs
# tmpfs makes fdatasync/fsync and Derby's log sync no-ops (and removes the disk): the difference
# to the disk runs is the price of acknowledging only durable objects.
if has tmpfs && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  IFS=, read -r -a tcorpora <<< "${TMPFS_CORPORA:-ct,tiny}"
  IFS=, read -r -a tpars <<< "${TMPFS_PAR:-1,4}"
  for c in "${tcorpora[@]}"; do
    for par in "${tpars[@]}"; do
      load "tmpfs $c p$par"
      for ((r = 1; r <= RUNS; r++)); do
        export MOSAIC_DATA_TMPFS=1; cstore mosaic-tmpfs "$c" "$par" "$r"
        export MOSAIC_DATA_TMPFS=0; cstore mosaic "$c" "$par" "d$r"
      done
    done
  done
  "$SRV" mosaic stop; export MOSAIC_DATA_TMPFS=0; rm -rf "$TMPFS_DIR"; "$SRV" mosaic start
fi

# ------------------------------------------------------------------ CPU per instance (1 association)
# CPU time (user + system, reaped children included: storescp forks one per association) that each
# receiver spent on one timed C-STORE run, read from /proc/PID/stat around the run.
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
# Methods the JVM has compiled so far and its compile time in s (jstat -compiler), or "- -" for a native
# server: the difference around a run says whether Mosaic's JIT was still at work (docs/performance.md).
jit() {
  local out=""
  case $1 in mosaic|mosaic-tmpfs) command -v jstat > /dev/null && out=$(jstat -compiler "$2" 2> /dev/null | awk 'NR==2{print $1, $4}') ;; esac
  echo "${out:-- -}"
}
if has cpu; then
  TCK=$(getconf CLK_TCK)
  IFS=, read -r -a corpora <<< "$CORPORA"
  for c in "${corpora[@]}"; do
    load "cpu $c p1"
    for t in storescp orthanc mosaic mosaic-tmpfs; do
      [ "$t" = mosaic-tmpfs ] && export MOSAIC_DATA_TMPFS=1 || export MOSAIC_DATA_TMPFS=0
      target "$t"; bash -c "$PRE" > /dev/null 2>&1 || { echo "reset of $t failed"; continue; }
      case $t in
        storescp) pid=$(cat "$SCP_BASE/storescp.pid") ;;
        orthanc) pid=$(cat "$WORK/orthanc/orthanc.pid") ;;
        *) pid=$(cat "$MOSAIC_HOME/karaf.pid") ;;
      esac
      c0=$(cpu_ticks "$pid"); read -r j0 jt0 < <(jit "$t" "$pid")
      LABEL=cpu-$t-$c PARALLEL=1 RUNS=1 POST_RUN_HOOK=$POST PER_RUN_TIMEOUT=400 \
        timeout 900 "$SHARED_BENCH/cstore-bench.sh" "$WORK/corpus-$c" | grep '^RESULT'
      c1=$(cpu_ticks "$pid"); read -r j1 jt1 < <(jit "$t" "$pid")
      read -r n s < <(awk -F, 'NR==2{print $2, $4}' "$RES/cstore-cpu-$t-$c-p1.csv")
      jitcols="jit_compiled=- jit_compile_s=-"
      [ "$j0" != - ] && jitcols="jit_compiled=$((j1 - j0)) jit_compile_s=$(awk -v a="$jt0" -v b="$jt1" 'BEGIN{printf "%.2f", b - a}')"
      echo "RESULT cpu label=$t-$c files=$n wall_s=$s cpu_s=$(( (c1 - c0) / TCK )).$(printf '%02d' $(( (c1 - c0) % TCK * 100 / TCK ))) cpu_ms_per_instance=$(awk -v d=$((c1 - c0)) -v t="$TCK" -v n="$n" 'BEGIN{printf "%.2f", d / t * 1000 / n}') $jitcols"
    done
  done
  export MOSAIC_DATA_TMPFS=0; "$SRV" mosaic stop; rm -rf "$TMPFS_DIR"; "$SRV" mosaic start
fi

# ------------------------------------------------------------------ the disk's own price of durability
if has fsync; then
  load "fsync probe"
  for size in 525968 9500; do
    for mode in nosync durable; do
      "$PY" "$HERE/fsync-probe.py" "$WORK" --n 300 --size $size --mode $mode
      [ -w /dev/shm ] && "$PY" "$HERE/fsync-probe.py" /dev/shm --n 300 --size $size --mode $mode
    done
  done
fi

# ------------------------------------------------------------------ sync calls per stored instance
# strace (counting mode) on every thread of each receiver while 100 CT instances arrive: how many
# fsync/fdatasync calls each makes per instance. strace slows the process: only the counts matter.
if has syncs && command -v strace > /dev/null; then
  load "syncs"
  mkdir -p "$WORK/sync-100"; (cd "$WORK/corpus-ct/native" && cp -r CTP000001 "$WORK/sync-100/" 2>/dev/null)
  for t in storescp orthanc mosaic; do
    target "$t"; bash -c "$PRE" > /dev/null 2>&1
    case $t in
      storescp) pid=$(cat "$SCP_BASE/storescp.pid") ;; orthanc) pid=$(cat "$WORK/orthanc/orthanc.pid") ;;
      *) pid=$(cat "$MOSAIC_HOME/karaf.pid") ;;
    esac
    # -f follows storescp's forked children; every existing thread of Orthanc/Karaf is attached by TID
    strace -f -c -e trace=fsync,fdatasync,sync_file_range,syncfs -o "$RES/strace-$t.txt" \
      $(ls "/proc/$pid/task" | sed 's/^/-p /') 2> /dev/null &
    spid=$!; sleep 2
    (cd "$WORK/sync-100" && find . -name '*.dcm' -print0 | sort -z |
      xargs -0 timeout 300 storescu -R -aec "$AET" -to 30 -ta 30 -td 60 127.0.0.1 "$PORT" > /dev/null 2>&1)
    sleep 2; kill -INT "$spid"; wait "$spid" 2> /dev/null
    calls=$(awk '$NF ~ /^(fsync|fdatasync|sync_file_range|syncfs)$/ {printf "%s=%s ", $NF, $4}' "$RES/strace-$t.txt")
    echo "RESULT syncs label=$t instances=100 ${calls:-none}"
  done
fi

# ------------------------------------------------------------------ queries and retrieval
if has query; then
  load "query load"
  # same content in both archives: ct (1000 CT, 10 studies) + tiny (300 studies)
  "$SRV" orthanc reset > /dev/null; "$SRV" mosaic reset > /dev/null
  for t in orthanc mosaic; do
    target $t
    for c in ct tiny; do
      LABEL=load-$t-$c PARALLEL=4 RUNS=1 POST_RUN_HOOK=$POST PER_RUN_TIMEOUT=400 \
        timeout 900 "$SHARED_BENCH/cstore-bench.sh" "$WORK/corpus-$c" | grep '^RESULT'
    done
  done
  sleep 3
  load "echo"
  for round in 1 2 3; do
    timeout 300 "$SHARED_BENCH/dimse-mini.py" echo --port "$SCP_PORT" --aet STORESCP --n 300 --label storescp-r$round --csv "$RES/echo-storescp-r$round.csv"
    timeout 300 "$SHARED_BENCH/dimse-mini.py" echo --port "$ORTHANC_DICOM_PORT" --aet ORTHANC --n 300 --label orthanc-r$round --csv "$RES/echo-orthanc-r$round.csv"
    timeout 300 "$SHARED_BENCH/dimse-mini.py" echo --port "$MOSAIC_DICOM_PORT" --aet MOSAIC --n 300 --label mosaic-r$round --csv "$RES/echo-mosaic-r$round.csv"
  done
  load "find"
  for t in orthanc mosaic; do
    target $t
    timeout 300 "$SHARED_BENCH/dimse-mini.py" find --port "$PORT" --aet "$AET" --n 200 --label $t-new --csv "$RES/find-$t-new.csv"
    timeout 300 "$SHARED_BENCH/dimse-mini.py" find --port "$PORT" --aet "$AET" --n 200 --reuse --label $t-reuse --csv "$RES/find-$t-reuse.csv"
    timeout 300 "$SHARED_BENCH/dimse-mini.py" find --port "$PORT" --aet "$AET" --n 100 --patterns 'ZZZ*,QQQ*' --label $t-nomatch --csv "$RES/find-$t-nomatch.csv"
  done
  for t in orthanc mosaic; do target $t; N=100 LABEL=$t timeout 300 "$SHARED_BENCH/cfind-bench.sh" | grep '^RESULT'; done
  load "qido"
  q=0
  for t in orthanc mosaic orthanc mosaic; do
    q=$((q + 1)); target $t; N=100 LABEL=$t-$q timeout 300 "$SHARED_BENCH/qido-bench.sh" | grep '^RESULT'
  done
  load "wado"
  # the same series in both: the first CT series of the ct corpus (100 x 512x512)
  read -r STUDY_UID SERIES_UID < <(awk -F, 'NR==2{print $10, $14}' "$WORK/corpus-ct/manifest.csv")
  export STUDY_UID SERIES_UID NI=100
  for t in orthanc mosaic; do target $t; RUNS=5 LABEL=$t timeout 300 "$SHARED_BENCH/wado-bench.sh" | grep '^RESULT'; done
fi
load "end"

grep -h '^RESULT' "$RES/run.log" > "$RES/RESULTS.txt"
"$PY" "$HERE/summarize.py" "$RES" | tee "$RES/summary.md"
echo "== done $(date -u -Is); results in $RES"
