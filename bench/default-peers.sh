#!/bin/bash
# default-peers.sh - Mosaic against DICOM peers as they ship: DCMTK's tools with no TCP_NODELAY in
# their environment (Nagle's algorithm on, DCMTK's default) and Orthanc the same, forwarding a study.
#
# Usage: bench/default-peers.sh [DIST_TGZ] [LABEL]     (on demand, not in CI; about 2 minutes)
#   Each call unpacks the distribution into a fresh $WORK/mosaic-LABEL (an empty archive), so calls
#   with two distributions compare them on the same corpora; alternate them and repeat.
#   Prints RESULT lines: storescu with 500 small images (64x64, "tiny") and with 1000 CT images, each over one
#   association; the mean time of 20 findscu and of 20 echoscu runs (their process start included);
#   Orthanc sending a 100-CT study to Mosaic (REST /modalities/MOSAIC/store, synchronous); a default
#   movescu moving that study from Mosaic to a storescp as shipped (Mosaic as the sender).
#   With PEERS=1 (the default) the same two storescu runs go to DCMTK storescp and to Orthanc as
#   receivers, also as shipped (about 2.5 minutes more: both wait out every delayed ACK).
# Env: WORK (/tmp/mosaic-default-peers), PORT_BASE (22000), SHARED_BENCH (/work/shared/bench), PEERS (1)
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
DIST_TGZ=${1:-$REPO/karaf-distribution/assembly/target/mosaic-karaf-distribution-0.1.0-SNAPSHOT.tar.gz}
LABEL=${2:-$(basename "$DIST_TGZ" .tar.gz)}
export WORK=${WORK:-/tmp/mosaic-default-peers}
export PORT_BASE=${PORT_BASE:-22000}
export SHARED_BENCH=${SHARED_BENCH:-/work/shared/bench}
export MOSAIC_HOME=$WORK/mosaic-$LABEL
export MOSAIC_DICOM_PORT=$((PORT_BASE + 112)) MOSAIC_HTTP_PORT=$((PORT_BASE + 181))
export ORTHANC_DICOM_PORT=$((PORT_BASE + 242)) ORTHANC_HTTP_PORT=$((PORT_BASE + 42))
export ORTHANC_TCP_NODELAY=0 SETTLE_SECONDS=0 WARM_CORPUS=$WORK/no-warm-up
SRV=$HERE/servers.sh
PY=/usr/bin/python3
mkdir -p "$WORK"

mk() {  # dir args...: a make-corpus.py corpus, made once
  local d=$1; shift
  [ -f "$d/manifest.csv" ] || "$PY" "$SHARED_BENCH/../testdata/make-corpus.py" --out "$d" --quiet "$@" > /dev/null || exit 2
}
mk "$WORK/corpus-ct" --profile ct --patients 10 --studies-per-patient 1 --instances-per-series 100 --id-prefix DPCT
mk "$WORK/corpus-warm" --profile ct --patients 10 --studies-per-patient 1 --instances-per-series 100 --id-prefix DPWARM
mk "$WORK/corpus-tiny" --profile tiny --patients 25 --studies-per-patient 2 --instances-per-series 10 --id-prefix DPTINY
mk "$WORK/corpus-forward" --profile ct --patients 1 --studies-per-patient 1 --instances-per-series 100 --id-prefix DPFWD
list() { find "$WORK/corpus-$1/native" -name '*.dcm' | sort > "$WORK/$1.lst"; echo "$WORK/$1.lst"; }

export SCP_PORT=$((PORT_BASE + 113)) SCP_AET=STORESCP SCP_BASE=$WORK/storescp SCP_NODELAY=0
cleanup() { "$SRV" mosaic stop; "$SRV" orthanc stop; "$SHARED_BENCH/storescp-ctl.sh" stop > /dev/null; }
trap cleanup EXIT
"$SRV" mosaic unpack "$DIST_TGZ" || exit 2
printf 'aeTitle = %s\nhost = 127.0.0.1\nport = %s\n' "$SCP_AET" "$SCP_PORT" \
  > "$MOSAIC_HOME/etc/org.mosaicpacs.remote.ae-$SCP_AET.cfg"  # the C-MOVE destination
"$SRV" mosaic start || exit 1
"$SRV" orthanc stop; rm -rf "$WORK/orthanc/db"
"$SRV" orthanc start || exit 1
curl -sf -X PUT "http://127.0.0.1:$ORTHANC_HTTP_PORT/modalities/MOSAIC" \
  -d "{\"AET\": \"MOSAIC\", \"Host\": \"127.0.0.1\", \"Port\": $MOSAIC_DICOM_PORT}" > /dev/null || { echo "Orthanc: no modality"; exit 1; }
# setting up is not measured: with TCP_NODELAY=1
TCP_NODELAY=1 xargs -a "$(list forward)" storescu -R -aec ORTHANC 127.0.0.1 "$ORTHANC_DICOM_PORT" > /dev/null 2>&1
TCP_NODELAY=1 xargs -a "$(list warm)" storescu -R -aec MOSAIC 127.0.0.1 "$MOSAIC_DICOM_PORT" > /dev/null 2>&1
study=$(curl -sf "http://127.0.0.1:$ORTHANC_HTTP_PORT/studies" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0])')

unset TCP_NODELAY  # from here on, every peer as it ships
seconds() {  # command...: its wall time in s; a failure is reported
  local s e; s=$(date +%s.%N); "$@" > "$WORK/last.log" 2>&1 || echo "failed: $* (see $WORK/last.log)" >&2
  e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN{printf "%.6f\n", e - s}'
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN{printf "%.1f", n / s}'; }
mean_ms() {  # n command...
  local n=$1 total=0 i; shift
  for ((i = 0; i < n; i++)); do total=$(awk -v t="$total" -v s="$(seconds "$@")" 'BEGIN{printf "%.6f", t + s}'); done
  awk -v t="$total" -v n="$n" 'BEGIN{printf "%.1f", t * 1000 / n}'
}
list tiny > /dev/null; list ct > /dev/null
stores() {  # receiver-name AE port
  local s l
  for l in tiny ct; do
    s=$(seconds xargs -a "$WORK/$l.lst" storescu -R -aec "$2" 127.0.0.1 "$3")
    echo "RESULT default-peers label=$LABEL receiver=$1 what=storescu-$l instances=$(wc -l < "$WORK/$l.lst") per_s=$(rate "$(wc -l < "$WORK/$l.lst")" "$s")"
  done
}
stores mosaic MOSAIC "$MOSAIC_DICOM_PORT"
if [ "${PEERS:-1}" = 1 ]; then
  "$SHARED_BENCH/storescp-ctl.sh" start write > /dev/null || exit 1
  stores storescp "$SCP_AET" "$SCP_PORT"
  "$SHARED_BENCH/storescp-ctl.sh" stop > /dev/null
  stores orthanc ORTHANC "$ORTHANC_DICOM_PORT"
fi
echo "RESULT default-peers label=$LABEL receiver=mosaic what=findscu-study mean_ms=$(mean_ms 20 findscu -S -aec MOSAIC \
  -k QueryRetrieveLevel=STUDY -k 'PatientName=A*' -k StudyInstanceUID 127.0.0.1 "$MOSAIC_DICOM_PORT")"
echo "RESULT default-peers label=$LABEL receiver=mosaic what=echoscu mean_ms=$(mean_ms 20 echoscu -aec MOSAIC 127.0.0.1 "$MOSAIC_DICOM_PORT")"
s=$(seconds curl -sf -X POST "http://127.0.0.1:$ORTHANC_HTTP_PORT/modalities/MOSAIC/store" \
  -d "{\"Resources\": [\"$study\"], \"Synchronous\": true}")
echo "RESULT default-peers label=$LABEL receiver=mosaic what=orthanc-forwards-100-ct seconds=$(printf '%.3f' "$s") per_s=$(rate 100 "$s")"
"$SHARED_BENCH/storescp-ctl.sh" wipe; "$SHARED_BENCH/storescp-ctl.sh" start write > /dev/null || exit 1
uid=$(dcmdump +P StudyInstanceUID "$(head -1 "$WORK/forward.lst")" | sed 's/.*\[\(.*\)\].*/\1/')
s=$(seconds movescu -S -aec MOSAIC -aem "$SCP_AET" -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$uid" \
  127.0.0.1 "$MOSAIC_DICOM_PORT")
echo "RESULT default-peers label=$LABEL receiver=storescp what=mosaic-moves-100-ct seconds=$(printf '%.3f' "$s") per_s=$(rate 100 "$s") $("$SHARED_BENCH/storescp-ctl.sh" count)"
"$SHARED_BENCH/storescp-ctl.sh" stop > /dev/null
echo "# objects in Mosaic: $("$SRV" mosaic count | sed 's/received=//') (expected 2600: 1000 warm-up, 500, 1000 and 100)"
