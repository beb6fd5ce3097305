#!/usr/bin/env bash
# The warm-up curve a sidecar and `exec` feel: from a cold start, throughput in STEP_SECONDS steps at 64 connections
# (wrk -t2 -c64), for nginx doing the same job and for the project's proxy, with resident memory (RSS) idle and after
# each step. Writes $RAW/warmup.tsv (target, step, seconds since start, req/s, p99 µs, RSS KiB).
# Environment: STEPS (default 12), STEP_SECONDS (default 5), TARGETS (default "nginx proxy"), PROXY_JAVA_OPTS (JVM
# options for the proxy) and LABEL (the proxy's name in the table, default "proxy"). Appends to an existing table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RAW="${1:-$ROOT/bench/target/results}"
. "$here/lib.sh"
STEPS="${STEPS:-12}" STEP_SECONDS="${STEP_SECONDS:-5}"
mkdir -p "$RAW"
work="$(mktemp -d /tmp/mlflow-bench-warmup.XXXXXX)"; chmod 755 "$work"
trap 'stop_tracked; rm -rf "$work"' EXIT
up=$(free_port); start_upstream "$work/upstream" "$up" "$work/artifacts"

[ -f "$RAW/warmup.tsv" ] || printf 'target\tstep\tseconds\trps\tp99_us\trss_kib\n' > "$RAW/warmup.tsv"
# The launcher writes its class-data archive in the background on its first run: do that before measuring.
"$ROOT/bin/mlflow-secrets-auth" --version > /dev/null 2>&1 || true
sleep 8
for target in ${TARGETS:-nginx proxy}; do
  port=$(free_port)
  started=$(date +%s%N)
  if [ "$target" = nginx ]; then
    start_nginx_reference "$work/nginx" "$port" "$up"; pid=${TRACKED_PIDS[-1]}
  else
    start_project_proxy "$work/proxy" "$port" "$up" "${PROXY_JAVA_OPTS:-}"; pid=$PROXY_PID
  fi
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  name="$target"; [ "$target" = proxy ] && name="${LABEL:-proxy}"
  check_header_delivered "$port" "$target"
  printf '%s\t0\t%s\t0\t0\t%s\n' "$name" "$(awk -v m="$ready_ms" 'BEGIN { printf "%.1f", m / 1000 }')" "$(rss_kib "$pid")" \
      >> "$RAW/warmup.tsv"
  for step in $(seq 1 "$STEPS"); do
    line="$(wrk -t2 -c64 -d"${STEP_SECONDS}s" -s "$here/wrk-report.lua" "http://127.0.0.1:$port$SEARCH_PATH" | grep '^WRK ')"
    eval "${line#WRK }"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$step" "$(( step * STEP_SECONDS ))" "$rps" "$p99_us" "$(rss_kib "$pid")" \
        >> "$RAW/warmup.tsv"
    echo "bench: warm-up $name step $step: $rps req/s, RSS $(rss_kib "$pid") KiB" >&2
  done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
done
cat "$RAW/warmup.tsv"
