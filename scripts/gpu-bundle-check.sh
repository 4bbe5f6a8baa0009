#!/usr/bin/env bash
# Proves the GPU runtime bundle on this CPU machine, the way the GPU script uses it: unpacks
# target/gpu-bundle/ganserve-bundle.tar.xz (scripts/gpu-bundle.sh), points PYTORCH_LIBRARY_PATH at
# the CPU libtorch 2.7.1 Maven downloaded, lays the matching bridge under DJL's cache with
# scripts/build-djl-bridge.sh install (the layout the GPU build uses), starts the service, trains
# a small DCGAN-28 job on Fashion-MNIST through POST /jobs, and fetches GET /samples.
# Fails unless the service loaded libtorch and the bridge from exactly those paths.
#
#   scripts/gpu-bundle.sh && scripts/gpu-bundle-check.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bundle=target/gpu-bundle/ganserve-bundle.tar.xz
[ -f "$bundle" ] || { echo "no $bundle: run scripts/gpu-bundle.sh" >&2; exit 2; }
out="${1:-target/gpu-bundle/check}"
rm -rf "$out"; mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores" | tee "$out/summary.txt"
t0=$(date +%s.%N)
tar -xJf "$bundle" -C "$work"
echo "unpack: $(echo "$(date +%s.%N) - $t0" | bc) s" | tee -a "$out/summary.txt"

# The CPU libtorch 2.7.1 without any bridge beside it (a bridge there would win over the cache's):
# the libraries DJL already unpacked, else the ones in Maven's natives jar.
native_jar=$(ls ~/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar)
lib="$work/libtorch-cpu"
mkdir "$lib"
unpacked=$(ls -d ~/.djl.ai/pytorch/2.7.1-*-cpu-linux-x86_64 2>/dev/null | head -n1 || true)
if [ -n "$unpacked" ] && [ -f "$unpacked/libtorch_cpu.so" ]; then
  for f in "$unpacked"/*.so*; do
    case "$f" in *libdjl_torch*) ;; *) ln -s "$f" "$lib/" ;; esac
  done
else
  unzip -q -j "$native_jar" 'pytorch/cpu/linux-x86_64/*' -d "$lib"
fi
# the bridge Maven has for 2.7.1/cpu, from the pytorch-jni jar in the bundle
unzip -q -j "$work/ganserve/app/lib/pytorch-jni-"*.jar 'jnilib/linux-x86_64/cpu/libdjl_torch.so' -d "$work/jni"
scripts/build-djl-bridge.sh install "$work/jni/libdjl_torch.so" "$work/djl-cache" \
  --libtorch "$lib" --version 2.7.1 --flavor cpu | tee -a "$out/summary.txt"
# shellcheck disable=SC1091
. "$work/djl-cache/pytorch-env.sh"

# an API key for this run only
key=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
export GANSERVE_SECURITY_APIKEYS_0_NAME=check GANSERVE_SECURITY_APIKEYS_0_ROLES=WRITE,READ,METRICS
GANSERVE_SECURITY_APIKEYS_0_SHA256=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
export GANSERVE_SECURITY_APIKEYS_0_SHA256
port=$((20000 + RANDOM % 20000))
log="$out/service.log"
GANSERVE_JAVA_OPTS="-Dai.djl.pytorch.num_threads=1" "$work/ganserve/ganserve" --server.port=$port \
  --ganserve.training.data-dir="$work/data" --ganserve.engine.device=cpu >"$log" 2>&1 &
pid=$!
for _ in $(seq 900); do
  grep -q "Started GanServeApplication" "$log" && break
  kill -0 "$pid" 2>/dev/null || { echo "the service died:" >&2; tail -40 "$log" >&2; exit 1; }
  sleep 0.2
done
grep -q "Started GanServeApplication" "$log" || { echo "no start in 180 s" >&2; exit 1; }
echo "service start: $(grep -o 'process running for [0-9.]*' "$log" | grep -o '[0-9.]*$') s (Spring's figure)" | tee -a "$out/summary.txt"

# What the JVM mapped: the CPU libtorch from PYTORCH_LIBRARY_PATH and the cache's bridge, nothing else.
maps=$(cat "/proc/$pid/maps")
bridge="$DJL_CACHE_DIR/pytorch/2.7.1-cpu-linux-x86_64/0.35.1-libdjl_torch.so"
echo "$maps" | grep -q "$bridge" || { echo "the bridge was not loaded from $bridge" >&2; echo "$maps" | grep -i torch >&2; exit 1; }
echo "$maps" | grep -q "libtorch_cpu.so" || { echo "no libtorch_cpu.so mapped" >&2; exit 1; }
if echo "$maps" | grep -i "djl_torch" | grep -v -q "$bridge"; then echo "a second bridge is mapped" >&2; exit 1; fi
echo "loaded: $bridge and $(echo "$maps" | grep -o '/[^ ]*libtorch_cpu.so' | head -n1)" | tee -a "$out/summary.txt"

api="http://127.0.0.1:$port"
curl -fsS "$api/actuator/health" | tee "$out/health.json"; echo
t1=$(date +%s.%N)
curl -fsS -D "$out/job.headers" -o "$out/job.json" -X POST "$api/jobs" -H "X-API-Key: $key" \
  -H 'Content-Type: application/json' \
  -d '{"dataset":"fashion-mnist","architecture":"dcgan","imageSize":28,"steps":20,"batchSize":16,"featureMaps":16,"checkpointEvery":20}'
id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$out/job.json" | head -n1)
[ -n "$id" ] || { echo "no job id in $(cat "$out/job.json")" >&2; exit 1; }
status=""
for _ in $(seq 600); do
  status=$(curl -fsS "$api/jobs/$id" -H "X-API-Key: $key" | tee "$out/job-final.json" | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p' | head -n1)
  case "$status" in SUCCEEDED|FAILED|CANCELLED) break ;; esac
  sleep 1
done
[ "$status" = SUCCEEDED ] || { echo "job $id ended $status: $(cat "$out/job-final.json")" >&2; exit 1; }
echo "job $id: 20 DCGAN-28 steps, batch 16, SUCCEEDED in $(echo "$(date +%s.%N) - $t1" | bc) s" | tee -a "$out/summary.txt"
code=$(curl -sS -o "$out/samples.png" -w '%{http_code}' "$api/samples?job=$id&n=16&seed=7" -H "X-API-Key: $key")
[ "$code" = 200 ] || { echo "GET /samples answered $code" >&2; exit 1; }
head -c 8 "$out/samples.png" | od -An -c | grep -q "P   N   G" || { echo "samples.png is not a PNG" >&2; exit 1; }
echo "GET /samples?job=$id&n=16: $code, $(stat -c %s "$out/samples.png") bytes of PNG" | tee -a "$out/summary.txt"
echo "bundle: $(stat -c %s "$root/$bundle") bytes" | tee -a "$out/summary.txt"
