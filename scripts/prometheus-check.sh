#!/usr/bin/env bash
# Checks that a real Prometheus can scrape ganserve and query its training metrics.
#
#   1. start the service:   ./mvnw spring-boot:run
#      (with no key configured it logs a generated API key once: "Using generated API key ...")
#   2. start a job:         curl -X POST localhost:8080/jobs -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d '{"dataset":"ring8"}'
#   3. run this script:     GANSERVE_API_KEY=$KEY scripts/prometheus-check.sh
#
# It runs Debian's Prometheus on 127.0.0.1 with a throw-away configuration and storage,
# scraping 127.0.0.1:8080/actuator/prometheus every 2 s, waits until gan_training_step has
# been scraped, prints the query result, and stops Prometheus again. Exit status 0 when the
# series arrived, 1 when not.
#
# Settings (environment): GANSERVE_API_KEY (required: a key with the METRICS role, which
# Prometheus sends as "Authorization: ApiKey <key>"), GANSERVE_ADDR (127.0.0.1:8080),
# PROMETHEUS_PORT (9090), WAIT_SECONDS (60, how long to wait for the series).
set -euo pipefail

GANSERVE_ADDR=${GANSERVE_ADDR:-127.0.0.1:8080}
PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}
WAIT_SECONDS=${WAIT_SECONDS:-60}
PROM_URL="http://127.0.0.1:${PROMETHEUS_PORT}"
QUERY=gan_training_step

die() { echo "prometheus-check: $*" >&2; exit 1; }

# This check talks to the local machine only.
case "${GANSERVE_ADDR%:*}" in
  127.*|localhost|'[::1]') ;;
  *) die "GANSERVE_ADDR must be a loopback address, was ${GANSERVE_ADDR}" ;;
esac
command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
[ -n "${GANSERVE_API_KEY:-}" ] \
  || die "set GANSERVE_API_KEY to an API key with the METRICS role (docs/security.md): /actuator/prometheus is not public"

# Not `apt-get install prometheus`: on a machine without systemd its maintainer scripts start
# a Prometheus daemon listening on every interface (and the recommended node exporter), which
# would outlive this check and hold port 9090. The package's binary is self-contained, so it is
# unpacked into a cache directory instead; nothing is installed or started system-wide.
find_prometheus() {
  if command -v prometheus >/dev/null; then
    command -v prometheus
    return
  fi
  local cache="${XDG_CACHE_HOME:-${HOME}/.cache}/ganserve/prometheus"
  if [ ! -x "${cache}/usr/bin/prometheus" ]; then
    command -v apt-get >/dev/null || die "no prometheus on PATH and no apt-get to fetch Debian's"
    local debs
    debs=$(mktemp -d)
    if ! (cd "${debs}" && apt-get download prometheus) >"${debs}/apt.log" 2>&1; then
      # An empty or stale package list: refresh it (needs root) and try once more.
      apt-get update -q >>"${debs}/apt.log" 2>&1 || { cat "${debs}/apt.log" >&2; die "apt-get update failed"; }
      (cd "${debs}" && apt-get download prometheus) >>"${debs}/apt.log" 2>&1 \
        || { cat "${debs}/apt.log" >&2; die "could not download Debian's prometheus package"; }
    fi
    mkdir -p "${cache}"
    dpkg-deb -x "${debs}"/prometheus_*.deb "${cache}"
    rm -rf "${debs}"
  fi
  echo "${cache}/usr/bin/prometheus"
}

# The key goes through a file, not the command line, where ps would show it.
WORK=$(mktemp -d)
trap 'rm -rf "${WORK}"' EXIT
printf '%s' "${GANSERVE_API_KEY}" >"${WORK}/api-key"
chmod 600 "${WORK}/api-key"
printf 'header = "Authorization: ApiKey %s"\n' "${GANSERVE_API_KEY}" >"${WORK}/curl.conf"

status=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -K "${WORK}/curl.conf" "http://${GANSERVE_ADDR}/actuator/prometheus") \
  || die "nothing answers at http://${GANSERVE_ADDR}/actuator/prometheus: start the service first (./mvnw spring-boot:run)"
case "${status}" in
  200) ;;
  401|403) die "http://${GANSERVE_ADDR}/actuator/prometheus answered ${status}: GANSERVE_API_KEY is not a valid key with the METRICS role" ;;
  *) die "http://${GANSERVE_ADDR}/actuator/prometheus answered ${status}" ;;
esac
if curl -s --max-time 2 -o /dev/null "${PROM_URL}/"; then
  die "port ${PROMETHEUS_PORT} is already taken on 127.0.0.1: stop what runs there or set PROMETHEUS_PORT"
fi

PROMETHEUS=$(find_prometheus)
PROM_PID=""
cleanup() {
  if [ -n "${PROM_PID}" ] && kill -0 "${PROM_PID}" 2>/dev/null; then
    kill "${PROM_PID}" 2>/dev/null || true
    # Prometheus flushes its head block on SIGTERM; bounded, then forced.
    for _ in $(seq 1 50); do kill -0 "${PROM_PID}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${PROM_PID}" 2>/dev/null || true
    wait "${PROM_PID}" 2>/dev/null || true
  fi
  rm -rf "${WORK}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"${WORK}/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  scrape_timeout: 2s
scrape_configs:
  - job_name: ganserve
    metrics_path: /actuator/prometheus
    # ganserve's series have their own job label (the training job id): keep it.
    honor_labels: true
    authorization:
      type: ApiKey
      credentials_file: ${WORK}/api-key
    static_configs:
      - targets: ["${GANSERVE_ADDR}"]
EOF

"${PROMETHEUS}" \
  --config.file="${WORK}/prometheus.yml" \
  --storage.tsdb.path="${WORK}/data" \
  --web.listen-address="127.0.0.1:${PROMETHEUS_PORT}" \
  --log.level=warn \
  >"${WORK}/prometheus.log" 2>&1 &
PROM_PID=$!

ready=""
for _ in $(seq 1 60); do
  kill -0 "${PROM_PID}" 2>/dev/null || { cat "${WORK}/prometheus.log" >&2; die "prometheus exited"; }
  if curl -fs --max-time 2 -o /dev/null "${PROM_URL}/-/ready"; then ready=yes; break; fi
  sleep 0.5
done
[ -n "${ready}" ] || { cat "${WORK}/prometheus.log" >&2; die "prometheus not ready after 30 s"; }
echo "prometheus-check: ${PROMETHEUS} on ${PROM_URL}, scraping http://${GANSERVE_ADDR}/actuator/prometheus every 2 s"

query() {
  curl -fsS --max-time 5 -G --data-urlencode "query=$1" "${PROM_URL}/api/v1/query"
}

deadline=$((SECONDS + WAIT_SECONDS))
result=""
while [ "${SECONDS}" -lt "${deadline}" ]; do
  result=$(query "${QUERY}" || true)
  case "${result}" in
    *'"status":"success"'*'"result":[{'*) break ;;
  esac
  result=""
  sleep 1
done

pretty() { if command -v python3 >/dev/null; then python3 -m json.tool; else cat; echo; fi; }

if [ -z "${result}" ]; then
  echo "prometheus-check: no ${QUERY} series after ${WAIT_SECONDS} s. Scrape target health:" >&2
  curl -fsS --max-time 5 "${PROM_URL}/api/v1/targets" | pretty >&2 || true
  echo "(is a training job running or finished? POST /jobs starts one)" >&2
  exit 1
fi

echo "prometheus-check: ${PROM_URL}/api/v1/query?query=${QUERY}"
printf '%s\n' "${result}" | pretty
