#!/usr/bin/env bash
# Issue 15's data-plane question: would a proxy on Netty, where one event loop owns both connections of a request,
# reach the figures the Jetty proxy misses? Three targets doing the same job on the same upstream, each started cold
# in every round, rounds interleaved and their order rotated:
#   nginx   adding the static header (the reference);
#   jetty   the shipped proxy, bin/mlflow-secrets-auth proxy with the launcher's defaults;
#   netty   bench/.../dataplane/NettyDataPlaneExperiment, the project's engine for the header, with the same JVM
#           options as the launcher (serial GC, -Xms8m -Xmx64m, C1 only) and the CLI jar's classes.
# Per target and round: RSS idle, throughput in STEP_SECONDS steps at 64 connections from the cold start, RSS after
# each step, CPU per request over the steps, then latency at 1 connection. Writes $RAW/$NAME.tsv and
# $RAW/$NAME.md. Environment: NAME (dataplane), ROUNDS (3), STEPS (6), STEP_SECONDS (5), TARGETS ("nginx jetty netty"),
# NETTY_JAVA_OPTS, JETTY_JAVA_OPTS (added after the launcher's defaults, as MLFLOW_SECRETS_AUTH_JAVA_OPTS), NETTY_LOOPS (2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RAW="${1:-$ROOT/bench/target/results}"
. "$here/lib.sh"
NAME="${NAME:-dataplane}" ROUNDS="${ROUNDS:-3}" STEPS="${STEPS:-6}" STEP_SECONDS="${STEP_SECONDS:-5}"
NETTY_JAVA_OPTS="${NETTY_JAVA_OPTS:--XX:+UseSerialGC -Xms8m -Xmx64m -XX:TieredStopAtLevel=1}"
mkdir -p "$RAW"
work="$(mktemp -d /tmp/mlflow-bench-dataplane.XXXXXX)"; chmod 755 "$work"
trap 'stop_tracked; rm -rf "$work"' EXIT

cli_jar="$(ls "$ROOT"/cli/target/mlflow-secrets-auth-cli-*-all.jar 2>/dev/null | head -n1 || true)"
[ -n "$cli_jar" ] || { echo "bench: no CLI jar in cli/target: run make bench or mvn -pl cli -am package first" >&2; exit 1; }
netty_cp="$(grep -o '/[^ :]*/io/netty/[^ :]*\.jar' "$ROOT/bench/target/runtime-deps.txt" | sort -u | paste -sd: -)"
[ -n "$netty_cp" ] || { echo "bench: no Netty jars listed in bench/target/runtime-deps.txt: run make bench's build step first" >&2; exit 1; }
CP="$ROOT/bench/target/classes:$cli_jar:$netty_cp"

start_netty() { # $1 = work dir, $2 = port, $3 = upstream port
  mkdir -p "$1"
  # shellcheck disable=SC2086
  java $NETTY_JAVA_OPTS -cp "$CP" io.github.mlflowsecretsauth.bench.dataplane.NettyDataPlaneExperiment \
      "http://127.0.0.1:$3" "$2" "$BENCH_TOKEN" "${NETTY_LOOPS:-2}" > "$1/netty.log" 2>&1 &
  PROXY_PID=$!; track "$PROXY_PID"; wait_port "$2"
}

up=$(free_port); start_upstream "$work/upstream" "$up" "$work/artifacts"
"$ROOT/bin/mlflow-secrets-auth" --version > /dev/null 2>&1 || true   # the launcher's class-data archive, once
sleep 8
printf 'round\ttarget\tready_ms\trss_idle_kib\tstep\trps\tp99_us\trss_kib\tcpu_us_per_req\tp50_1c_us\tp99_1c_us\n' \
    > "$RAW/$NAME.tsv"
read -r -a targets <<< "${TARGETS:-nginx jetty netty}"
for round in $(seq 1 "$ROUNDS"); do
  n=${#targets[@]}
  for i in $(seq 0 $(( n - 1 ))); do
    target="${targets[$(( (i + round - 1) % n ))]}"
    port=$(free_port); started=$(date +%s%N)
    case "$target" in
      nginx) start_nginx_reference "$work/nginx-$round" "$port" "$up"; pid=${TRACKED_PIDS[-1]} ;;
      jetty) start_project_proxy "$work/jetty-$round" "$port" "$up" "${JETTY_JAVA_OPTS:-}"; pid=$PROXY_PID ;;
      netty) start_netty "$work/netty-$round" "$port" "$up"; pid=$PROXY_PID ;;
    esac
    ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    check_header_delivered "$port" "$target"
    sleep 1; idle=$(rss_kib "$pid")
    ticks0=$(cpu_ticks "$pid"); total=0; rows=()
    for step in $(seq 1 "$STEPS"); do
      line="$(wrk -t2 -c64 -d"${STEP_SECONDS}s" -s "$here/wrk-report.lua" "http://127.0.0.1:$port$SEARCH_PATH" | grep '^WRK ')"
      eval "${line#WRK }"
      [ "$errors" = 0 ] || { echo "bench: $target answered $errors errors in step $step" >&2; exit 1; }
      total=$(awk -v t="$total" -v r="$rps" -v s="$STEP_SECONDS" 'BEGIN { printf "%d", t + r * s }')
      rows+=("$step	$rps	$p99_us	$(rss_kib "$pid")")
      echo "bench: dataplane round $round $target step $step: $rps req/s, RSS $(rss_kib "$pid") KiB" >&2
    done
    cpu=$(cpu_us_per_request $(( $(cpu_ticks "$pid") - ticks0 )) "$total")
    line="$(wrk -t1 -c1 -d"${STEP_SECONDS}s" -s "$here/wrk-report.lua" "http://127.0.0.1:$port$SEARCH_PATH" | grep '^WRK ')"
    eval "${line#WRK }"
    for r in "${rows[@]}"; do
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$ready_ms" "$idle" "$r" "$cpu" "$p50_us" "$p99_us" \
          >> "$RAW/$NAME.tsv"
    done
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
done

# The table: medians over rounds [min–max]; ratios to nginx taken round by round.
awk -F'\t' -v steps="$STEPS" -v secs="$STEP_SECONDS" '
  function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2) }
  function rng(s, f,   a, n, i, lo, hi) { n = split(s, a, " "); lo = hi = a[1]; for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
    return sprintf(f " [" f "–" f "]", med(s), lo, hi) }
  NR == 1 { next }
  { k = $1 SUBSEP $2; rps[k, $5] = $6; if ($8 > peak[k]) peak[k] = $8; idle[k] = $4; cpu[k] = $9; p50[k] = $10; p99[k] = $11; ready[k] = $3
    seen[$2] = 1; rounds[$1] = 1; if ($5 > 1) late[k] += $6 }
  END {
    order = "nginx jetty netty"; nt = split(order, names, " ")
    printf "| target | ready | RSS idle | RSS peak | first %d s | steady (steps 2–%d) | steady ÷ nginx | first ÷ own steady | CPU per request | p50 at 1 connection | p99 at 1 connection |\n", secs, steps
    print "|---|---|---|---|---|---|---|---|---|---|---|"
    for (t = 1; t <= nt; t++) { n = names[t]; if (!(n in seen)) continue
      f = s = r = fr = c = l50 = l99 = ri = rp = rd = ""
      for (rd0 in rounds) { k = rd0 SUBSEP n; st = late[k] / (steps - 1); ng = late[rd0 SUBSEP "nginx"] / (steps - 1)
        f = f " " rps[k, 1]; s = s " " st; if (ng > 0) r = r " " st / ng; fr = fr " " rps[k, 1] / st
        c = c " " cpu[k]; l50 = l50 " " p50[k]; l99 = l99 " " p99[k]; ri = ri " " idle[k] / 1024; rp = rp " " peak[k] / 1024; rd = rd " " ready[k] }
      printf "| %s | %s ms | %s MiB | %s MiB | %s | %s | %s | %s | %s µs | %s µs | %s µs |\n", n, rng(rd, "%d"), rng(ri, "%.0f"), rng(rp, "%.0f"),
        rng(f, "%d"), rng(s, "%d"), (r == "" ? "–" : rng(r, "%.2f")), rng(fr, "%.2f"), rng(c, "%.1f"), rng(l50, "%d"), rng(l99, "%d") }
  }' "$RAW/$NAME.tsv" > "$RAW/$NAME.md"
cat "$RAW/$NAME.md"
