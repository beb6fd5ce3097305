#!/usr/bin/env bash
# Issue 9, item 3: the same header-injecting job three ways (direct to the upstream, nginx adding the
# header, `mlflow-secrets-auth proxy`), with wrk at 1/16/64 connections and a constant-rate run.
# Writes $RAW/wrk.tsv and $RAW/rate.tsv. Environment: ROUNDS, WRK_SECONDS, RATE_SECONDS, RATE.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RAW="$1"
. "$here/lib.sh"
ROUNDS="${ROUNDS:-3}" WRK_SECONDS="${WRK_SECONDS:-10}" RATE_SECONDS="${RATE_SECONDS:-20}" RATE="${RATE:-1000}"
RATE_CONNS=10
JAR="$ROOT/bench/target/benchmarks.jar"

work="$(mktemp -d /tmp/mlflow-bench-proxy.XXXXXX)"; chmod 755 "$work"
trap 'stop_tracked; rm -rf "$work"' EXIT
up=$(free_port); start_upstream "$work/upstream" "$up" "$work/artifacts"; up_pid=$!
ng=$(free_port); start_nginx_reference "$work/nginx" "$ng" "$up"; ng_pid=$!
px=$(free_port); start_project_proxy "$work/proxy" "$px" "$up" ""
check_header_delivered "$ng" nginx
check_header_delivered "$px" proxy

declare -A PORT=([direct]=$up [nginx]=$ng [proxy]=$px)
for t in direct nginx proxy; do # the response headers each target sends, for the record
  echo "== $t"; curl -sS -D - -o /dev/null "http://127.0.0.1:${PORT[$t]}$SEARCH_PATH" | tr -d '\r'
done > "$RAW/response-headers.txt"
declare -A MIDDLE=([direct]=$up_pid [nginx]=$ng_pid [proxy]=$PROXY_PID) # whose CPU time each request costs
url() { echo "http://127.0.0.1:${PORT[$1]}$SEARCH_PATH"; }

echo "bench: warming up (JIT of the proxy, connection pools)" >&2
wrk -t2 -c64 -d"$(( WRK_SECONDS > 5 ? 15 : 3 ))s" "$(url proxy)" > /dev/null
wrk -t2 -c64 -d3s "$(url nginx)" > /dev/null
wrk -t2 -c64 -d3s "$(url direct)" > /dev/null

targets=(direct nginx proxy)
printf 'round\ttarget\tconns\trps\tp50_us\tp99_us\terrors\tcpu_us_per_req\n' > "$RAW/wrk.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for conns in 1 16 64; do
    threads=$(( conns == 1 ? 1 : 2 ))
    for i in 0 1 2; do
      target="${targets[$(( (i + round) % 3 ))]}" # rotate the order from round to round
      before=$(cpu_ticks "${MIDDLE[$target]}")
      line="$(wrk -t"$threads" -c"$conns" -d"${WRK_SECONDS}s" -s "$here/wrk-report.lua" "$(url "$target")" | grep '^WRK ')"
      after=$(cpu_ticks "${MIDDLE[$target]}")
      eval "${line#WRK }"
      cpu=$(cpu_us_per_request $(( after - before )) "$(awk -v r="$rps" -v s="$WRK_SECONDS" 'BEGIN { printf "%d", r * s }')")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$conns" "$rps" "$p50_us" "$p99_us" "$errors" "$cpu" >> "$RAW/wrk.tsv"
      echo "bench: wrk round $round, $conns connections, $target: $rps req/s, p99 $p99_us µs" >&2
      sleep 1
    done
  done
done

printf 'round\ttarget\trate\tconns\tachieved\tp50_us\tp90_us\tp99_us\tp999_us\tmax_us\terrors\n' > "$RAW/rate.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for i in 0 1 2; do
    target="${targets[$(( (i + round) % 3 ))]}"
    line="$(java -Xmx256m -XX:+UseSerialGC -cp "$JAR" io.github.mlflowsecretsauth.bench.load.ConstantRateLoad \
        "$(url "$target")" "$RATE" "$RATE_CONNS" "$RATE_SECONDS" 3)"
    rate=""; eval "$line"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$RATE" "$RATE_CONNS" "$rate" "$p50_us" "$p90_us" \
        "$p99_us" "$p999_us" "$max_us" "$errors" >> "$RAW/rate.tsv"
    echo "bench: constant rate round $round, $target: p50 $p50_us µs, p99 $p99_us µs" >&2
    sleep 1
  done
done
grep -E '^(Threads|VmHWM|VmRSS):' "/proc/$PROXY_PID/status" > "$RAW/proxy-after-load.txt" || true
cp "$work/proxy/proxy.log" "$RAW/proxy-throughput.log" 2>/dev/null || true
