#!/usr/bin/env bash
# Start time of the service with DJL's natives unpacked at start (an empty DJL_CACHE_DIR, as every
# container start was before the image unpacked them at build time) and already unpacked (what the
# image now ships), as docs/operations.md "Image layers" reports. Runs the jar's extracted layers,
# as the image does; each start on a fresh data directory, stopped once started.
#
#   ./mvnw -q -DskipTests package && scripts/measure-start.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
ganserve_select_jdk
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
runs="${1:-3}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jar=$(ls target/ganserve-*.jar | head -n1)
"$JAVA" -Djarmode=tools -jar "$jar" extract --layers --destination "$work/layers" >/dev/null
mkdir "$work/app"
for layer in $("$JAVA" -Djarmode=tools -jar "$jar" list-layers); do cp -r "$work/layers/$layer/." "$work/app/"; done
app=$(ls "$work"/app/*.jar)
DJL_CACHE_DIR="$work/baked" "$JAVA" -Dai.djl.offline=true -cp "$app" io.ganserve.engine.ExtractNatives >/dev/null 2>&1

start() { # $1: DJL cache dir; prints Spring's "process running for" seconds
  local log="$work/start.log"
  DJL_CACHE_DIR="$1" "$JAVA" --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -jar "$app" \
    --server.port=0 --ganserve.training.data-dir="$work/data-$RANDOM" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 600); do
    if grep -q "Started GanServeApplication" "$log"; then break; fi
    sleep 0.2
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  grep -o "process running for [0-9.]*" "$log" | grep -o "[0-9.]*$"
}

engine() { # $1: DJL cache dir; prints the seconds DJL takes to load libtorch (unpacking it first if absent)
  local t0 t1
  t0=$(date +%s.%N)
  DJL_CACHE_DIR="$1" "$JAVA" -Dai.djl.offline=true -cp "$app" io.ganserve.engine.ExtractNatives >/dev/null 2>&1
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for i in $(seq "$runs"); do
  rm -rf "$work/empty"
  echo "run $i: service start, natives unpacked at start: $(start "$work/empty") s; already unpacked: $(start "$work/baked") s"
  rm -rf "$work/empty"
  echo "run $i: engine load alone (a JVM that loads libtorch and exits): $(engine "$work/empty") s; $(engine "$work/baked") s"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
