#!/bin/bash
# servers.sh - start, stop, wipe and count the three receivers of run-server-bench.sh, each on its own
# loopback ports so that the benchmark never collides with a developer's Karaf or Orthanc.
#
# Usage: servers.sh mosaic|orthanc start|stop|reset|count|warm, servers.sh mosaic unpack TGZ|ports,
#        or servers.sh settle
#   unpack a fresh $MOSAIC_HOME from the distribution TGZ (the old one deleted), then `ports`
#   ports  move the distribution's ports: DICOM and HTTP as below, SSH and RMI from PORT_BASE (21000)
#   start  start the server and wait until it answers (Mosaic: GET /api/health = 200)
#   stop   stop it by the PID it recorded (Mosaic: bin/stop, then SIGKILL of karaf.pid after 60 s)
#   reset  stop, delete every stored object and the index, settle, start again, send the warm-up corpus
#   count  print "received=N" (objects stored, not counting the warm-up corpus)
#   warm   send $WARM_CORPUS (not timed) so that the JIT and caches are warm before a timed run
#   settle sync, then wait SETTLE_SECONDS (65) for ext4 to stop scanning freed inodes (see settle())
# Env (set by run-server-bench.sh): WORK, MOSAIC_HOME, MOSAIC_DICOM_PORT, MOSAIC_HTTP_PORT,
#   MOSAIC_DATA_TMPFS (1: data/mosaic on a tmpfs folder), TMPFS_DIR, ORTHANC_DICOM_PORT,
#   ORTHANC_HTTP_PORT, ORTHANC_TCP_NODELAY (1; 0 = Orthanc as shipped, Nagle on), SHARED_BENCH,
#   WARM_CORPUS, PORT_BASE
set -u
WORK=${WORK:-/tmp/mosaic-server-bench}
MOSAIC_HOME=${MOSAIC_HOME:-$WORK/mosaic}
MOSAIC_DICOM_PORT=${MOSAIC_DICOM_PORT:-21112}
MOSAIC_HTTP_PORT=${MOSAIC_HTTP_PORT:-21181}
MOSAIC_DATA_TMPFS=${MOSAIC_DATA_TMPFS:-0}
TMPFS_DIR=${TMPFS_DIR:-/dev/shm/mosaic-server-bench}
ORTHANC_DICOM_PORT=${ORTHANC_DICOM_PORT:-21242}
ORTHANC_HTTP_PORT=${ORTHANC_HTTP_PORT:-21042}
ORTHANC_BASE=$WORK/orthanc
SHARED_BENCH=${SHARED_BENCH:-/work/shared/bench}
PORT_BASE=${PORT_BASE:-21000}
WARM_CORPUS=${WARM_CORPUS:-$WORK/corpus-warm}
export TCP_NODELAY=1

die() { echo "servers.sh: $*" >&2; exit 1; }

warm() {  # $1 port, $2 AE title
  [ -d "$WARM_CORPUS/native" ] || return 0
  # the first half over one association, the second over four at once, as the timed runs do
  local list; list=$(mktemp); (cd "$WARM_CORPUS/native" && find "$PWD" -name '*.dcm' | sort) > "$list"
  local half=$(( $(wc -l < "$list") / 2 ))
  head -n "$half" "$list" | xargs timeout 900 storescu -R -aec "$2" -to 30 -ta 30 -td 60 127.0.0.1 "$1" > /dev/null 2>&1 ||
    echo "servers.sh: warm-up store to $2 failed" >&2
  tail -n +"$((half + 1))" "$list" | split -n r/4 - "$list.part."
  local pids=() part pid failed=0
  for part in "$list".part.*; do
    xargs timeout 900 storescu -R -aec "$2" -to 30 -ta 30 -td 60 127.0.0.1 "$1" < "$part" > /dev/null 2>&1 &
    pids+=($!)
  done
  # only these: a plain `wait` would also wait for the server this script started
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || echo "servers.sh: warm-up store to $2 failed" >&2
  rm -f "$list" "$list".part.*
}
# After a wipe: flush, then wait out ext4's "recently deleted" window (60 s for clean inode tables).
# Until then, every file created scans past the freed inodes (recently_deleted() in the kernel):
# with the thousands of files a reset deletes, that was a tenth of the receivers' CPU in a timed run.
settle() {
  sync
  sleep "${SETTLE_SECONDS:-65}"
}

# ------------------------------------------------------------------ Mosaic (Karaf distribution)
mosaic_pid() { [ -f "$MOSAIC_HOME/karaf.pid" ] && cat "$MOSAIC_HOME/karaf.pid"; }
mosaic_running() { local p; p=$(mosaic_pid) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
mosaic_start() {
  mosaic_running && die "mosaic already running (pid $(mosaic_pid))"
  if [ "$MOSAIC_DATA_TMPFS" = 1 ]; then
    # objects and the Derby index both live in data/mosaic: put that folder on tmpfs
    mkdir -p "$TMPFS_DIR/mosaic" && rm -rf "$MOSAIC_HOME/data/mosaic" && ln -s "$TMPFS_DIR/mosaic" "$MOSAIC_HOME/data/mosaic"
  elif [ -L "$MOSAIC_HOME/data/mosaic" ]; then
    rm -f "$MOSAIC_HOME/data/mosaic"
  fi
  # One retry: on a busy machine about 1 start in 20 never got healthy (see docs/performance.md,
  # "Surprises"); a benchmark should report that, not lose the whole block to it.
  local attempt
  for attempt in 1 2; do
    (cd "$MOSAIC_HOME" && bin/start) || die "bin/start failed"
    for _ in $(seq 1 120); do
      [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MOSAIC_HTTP_PORT/api/health")" = 200 ] && return 0
      sleep 1
    done
    echo "servers.sh: mosaic not healthy after 120 s (attempt $attempt; $(curl -s -m 2 -o /dev/null -w '%{http_code}' \
      "http://127.0.0.1:$MOSAIC_HTTP_PORT/api/health")); see $MOSAIC_HOME/data/log/karaf.log" >&2
    mosaic_stop
  done
  die "mosaic did not start"
}
mosaic_stop() {
  mosaic_running || return 0
  local p; p=$(mosaic_pid)
  (cd "$MOSAIC_HOME" && bin/stop) > /dev/null 2>&1
  for _ in $(seq 1 120); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$p" 2>/dev/null && { echo "servers.sh: mosaic did not stop, killing $p" >&2; kill -9 "$p"; }
  return 0
}
mosaic_ports() {
  local e=$MOSAIC_HOME/etc
  [ -f "$e/org.ops4j.pax.web.cfg" ] || die "no distribution in $MOSAIC_HOME"
  sed -i -E "s/^(org.osgi.service.http.port *= *).*/\1$MOSAIC_HTTP_PORT/" "$e/org.ops4j.pax.web.cfg"
  sed -i -E "s/^(sshPort *= *).*/\1$((PORT_BASE + 101))/" "$e/org.apache.karaf.shell.cfg"
  sed -i -E "s/^(rmiRegistryPort *= *).*/\1$((PORT_BASE + 99))/; s/^(rmiServerPort *= *).*/\1$((PORT_BASE + 444))/; \
    s/^(jmxmpPort *= *).*/\1$((PORT_BASE + 98))/" "$e/org.apache.karaf.management.cfg"
  printf 'aeTitles = MOSAIC\nport = %s\n' "$MOSAIC_DICOM_PORT" > "$e/org.mosaicpacs.dimse.acceptor.cfg"
}
mosaic_unpack() {  # $1 the distribution's tar.gz
  [ -f "${1:-}" ] || die "no distribution at ${1:-} (mvn -pl karaf-distribution/assembly -am install)"
  mosaic_stop; rm -rf "$MOSAIC_HOME"; mkdir -p "$MOSAIC_HOME"
  tar xzf "$1" -C "$MOSAIC_HOME" --strip-components=1 || die "could not unpack $1"
  mosaic_ports
}
mosaic_wipe() {
  if [ "$MOSAIC_DATA_TMPFS" = 1 ]; then rm -rf "$TMPFS_DIR/mosaic"; else rm -rf "$MOSAIC_HOME/data/mosaic"; fi
  rm -f "$MOSAIC_HOME/data/mosaic" 2>/dev/null
  sync
}
# objects stored minus the warm-up objects that reset sent
warm_n() { find "$WARM_CORPUS/native" -name '*.dcm' 2>/dev/null | wc -l; }
mosaic_count() {
  echo "received=$(( $(find -L "$MOSAIC_HOME/data/mosaic/objects" -type f -name '*.dcm' 2>/dev/null | wc -l) - $(warm_n) ))"
}

# ------------------------------------------------------------------ Orthanc (Debian package, own config)
orthanc_config() {
  # the shared bench config with this run's ports and folders
  sed -e "s#/tmp/bench-orthanc#$ORTHANC_BASE#g" -e "s#\"HttpPort\" : 8042#\"HttpPort\" : $ORTHANC_HTTP_PORT#" \
      -e "s#\"DicomPort\" : 4242#\"DicomPort\" : $ORTHANC_DICOM_PORT#" "$SHARED_BENCH/orthanc.json" > "$ORTHANC_BASE/orthanc.json"
  grep -q "\"HttpPort\" : $ORTHANC_HTTP_PORT" "$ORTHANC_BASE/orthanc.json" || die "could not set Orthanc ports"
}
orthanc_running() { [ -f "$ORTHANC_BASE/orthanc.pid" ] && kill -0 "$(cat "$ORTHANC_BASE/orthanc.pid")" 2>/dev/null; }
orthanc_start() {
  orthanc_running && die "orthanc already running"
  mkdir -p "$ORTHANC_BASE/tmp" "$ORTHANC_BASE/log" "$ORTHANC_BASE/db"
  orthanc_config
  # TCP_NODELAY=1 in Orthanc's environment: its DCMTK layer keeps Nagle on otherwise (PEERS.md)
  TCP_NODELAY=${ORTHANC_TCP_NODELAY:-1} /usr/sbin/Orthanc --logdir="$ORTHANC_BASE/log" "$ORTHANC_BASE/orthanc.json" > "$ORTHANC_BASE/stdout.log" 2>&1 &
  echo $! > "$ORTHANC_BASE/orthanc.pid"
  for _ in $(seq 1 150); do
    curl -sf -m 2 "http://127.0.0.1:$ORTHANC_HTTP_PORT/system" > /dev/null 2>&1 && return 0
    orthanc_running || break
    sleep 0.2
  done
  die "orthanc did not come up; see $ORTHANC_BASE/stdout.log"
}
orthanc_stop() {
  orthanc_running || { rm -f "$ORTHANC_BASE/orthanc.pid"; return 0; }
  local p; p=$(cat "$ORTHANC_BASE/orthanc.pid"); kill "$p"
  for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$p" 2>/dev/null && kill -9 "$p"
  rm -f "$ORTHANC_BASE/orthanc.pid"
}
orthanc_count() {
  curl -sf -m 30 "http://127.0.0.1:$ORTHANC_HTTP_PORT/statistics" |
    /usr/bin/python3 -c 'import json,sys; print("received=%d" % (json.load(sys.stdin)["CountInstances"] - int(sys.argv[1])))' "$(warm_n)"
}

case "${1:-}/${2:-}" in
  mosaic/start) mosaic_start ;;
  mosaic/stop) mosaic_stop ;;
  mosaic/reset) mosaic_stop; mosaic_wipe; settle; mosaic_start; warm "$MOSAIC_DICOM_PORT" MOSAIC ;;
  mosaic/count) mosaic_count ;;
  mosaic/unpack) mosaic_unpack "${3:-}" ;;
  mosaic/ports) mosaic_ports ;;
  mosaic/warm) warm "$MOSAIC_DICOM_PORT" MOSAIC ;;
  orthanc/start) orthanc_start ;;
  orthanc/stop) orthanc_stop ;;
  orthanc/reset) orthanc_stop; rm -rf "$ORTHANC_BASE/db"; settle; orthanc_start; warm "$ORTHANC_DICOM_PORT" ORTHANC ;;
  orthanc/count) orthanc_count ;;
  orthanc/warm) warm "$ORTHANC_DICOM_PORT" ORTHANC ;;
  settle/) settle ;;
  *) sed -n '2,15p' "$0"; exit 2 ;;
esac
