#!/usr/bin/env bash
# Tuning evidence for the proxy: the shipped proxy with other sizes of its one thread pool
# (ProxyTuningExperiment, through AuthProxy's public builder), and the shipped CLI proxy with another GC, each
# under wrk at 64 connections, interleaved over rounds. Writes $RAW/tuning.tsv.
# Environment: ROUNDS, WRK_SECONDS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RAW="$1"
. "$here/lib.sh"
ROUNDS="${ROUNDS:-2}" WRK_SECONDS="${WRK_SECONDS:-8}"
JAR="$ROOT/bench/target/benchmarks.jar"

work="$(mktemp -d /tmp/mlflow-bench-tuning.XXXXXX)"; chmod 755 "$work"
trap 'stop_tracked; rm -rf "$work"' EXIT
up=$(free_port); start_upstream "$work/upstream" "$up" "$work/artifacts"

# name | how it is started
variants=(
  "as shipped (CLI): one shared pool of at most 32 threads, serial GC, C1 only"
  "in-process (JVM defaults: G1, C2), pool of at most 16 threads"
  "in-process (G1, C2), at most 64 threads"
  "in-process (G1, C2), at most 200 threads"
  "in-process (G1, C2), at most 8 threads"
  "as shipped (CLI) with -XX:+UseParallelGC instead of the serial collector"
)
declare -A PORTS PIDS
start_variant() { # $1 = index
  local port; port=$(free_port)
  case "$1" in
    0) start_project_proxy "$work/cli0" "$port" "$up" ""; PIDS[$1]=$PROXY_PID ;;
    5) start_project_proxy "$work/cli5" "$port" "$up" "-XX:+UseParallelGC"; PIDS[$1]=$PROXY_PID ;;
    *) local args
       case "$1" in
         1) args="16" ;; 2) args="64" ;; 3) args="200" ;; 4) args="8" ;;
       esac
       java -cp "$JAR" io.github.mlflowsecretsauth.bench.tuning.ProxyTuningExperiment "http://127.0.0.1:$up" "$port" "$BENCH_TOKEN" \
           $args > "$work/variant-$1.log" 2>&1 &
       PIDS[$1]=$!; track $!; wait_port "$port" ;;
  esac
  PORTS[$1]=$port
  check_header_delivered "$port" "variant $1"
  wrk -t2 -c64 -d"$(( WRK_SECONDS > 5 ? 12 : 3 ))s" "http://127.0.0.1:$port$SEARCH_PATH" > /dev/null # JIT warm-up
}
for i in "${!variants[@]}"; do start_variant "$i"; done

printf 'round\tvariant\trps\tp50_us\tp99_us\tcpu_us_per_req\tthreads\n' > "$RAW/tuning.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!variants[@]}"; do
    before=$(cpu_ticks "${PIDS[$i]}")
    line="$(wrk -t2 -c64 -d"${WRK_SECONDS}s" -s "$here/wrk-report.lua" "http://127.0.0.1:${PORTS[$i]}$SEARCH_PATH" | grep '^WRK ')"
    after=$(cpu_ticks "${PIDS[$i]}")
    eval "${line#WRK }"
    cpu=$(cpu_us_per_request $(( after - before )) "$(awk -v r="$rps" -v s="$WRK_SECONDS" 'BEGIN { printf "%d", r * s }')")
    threads=$(awk '/^Threads:/ {print $2}' "/proc/${PIDS[$i]}/status")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "${variants[$i]}" "$rps" "$p50_us" "$p99_us" "$cpu" "$threads" >> "$RAW/tuning.tsv"
    echo "bench: tuning round $round, ${variants[$i]}: $rps req/s, $cpu µs CPU/request, $threads threads" >&2
    sleep 1
  done
done
