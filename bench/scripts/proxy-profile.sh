#!/usr/bin/env bash
# Where the proxy's CPU goes (issue 9): the packaged proxy under wrk at 64 connections, sampled with JDK
# Flight Recorder, and the share of samples in which each frame appears (inclusive). `make bench` runs it;
# by hand: bench/scripts/proxy-profile.sh [OUT_FILE] (SECS=20 by default). Needs the CLI jar built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
. "$here/lib.sh"
OUT="${1:-$ROOT/bench/target/results/proxy-profile.txt}"
SECS="${SECS:-20}"
mkdir -p "$(dirname "$OUT")"
work="$(mktemp -d /tmp/mlflow-bench-profile.XXXXXX)"; chmod 755 "$work"
trap 'stop_tracked; rm -rf "$work"' EXIT
up=$(free_port); start_upstream "$work/upstream" "$up" "$work/artifacts"
ng=$(free_port); start_nginx_reference "$work/nginx" "$ng" "$up"; ng_pid=$!
px=$(free_port); start_project_proxy "$work/proxy" "$px" "$up" "-XX:StartFlightRecording=name=prof,settings=profile"
check_header_delivered "$px" proxy
url="http://127.0.0.1:$px$SEARCH_PATH"
wrk -t2 -c64 -d15s "$url" > /dev/null # warm-up: JIT and connection pools
before=$(cpu_ticks "$PROXY_PID")
wrk -t2 -c64 -d"${SECS}s" "$url" > "$work/wrk.txt"
after=$(cpu_ticks "$PROXY_PID")
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
jpid=$(pgrep -P "$PROXY_PID" java || echo "$PROXY_PID")
jcmd "$jpid" JFR.dump name=prof filename="$work/rec.jfr" > /dev/null

# User and kernel CPU per request of the proxy's JVM and of the nginx reference (master and workers).
ticks() { local u=0 s=0 p a b; for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
  read -r a b < <(awk '{print $14, $15}' "/proc/$p/stat"); u=$((u + a)); s=$((s + b)); done; echo "$u $s"; }
split() { # $1 = label, $2 = port, rest = pids
  local label="$1" port="$2"; shift 2
  local u0 s0 u1 s1 r
  wrk -t2 -c64 -d3s "http://127.0.0.1:$port$SEARCH_PATH" > /dev/null
  read -r u0 s0 < <(ticks "$@")
  r=$(wrk -t2 -c64 -d"${SECS}s" "http://127.0.0.1:$port$SEARCH_PATH" | awk '/Requests\/sec/ {print $2}')
  read -r u1 s1 < <(ticks "$@")
  awk -v l="$label" -v r="$r" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v secs="$SECS" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { n = r * secs; printf "%-6s %8.0f requests/s   user %5.1f µs/request   kernel %5.1f µs/request\n", l, r, u / hz * 1e6 / n, s / hz * 1e6 / n }'
}
{
  echo "CPU per request at 64 connections, user and kernel time (wrk -t2 -c64 -d${SECS}s each):"
  split proxy "$px" "$jpid"
  split nginx "$ng" "$ng_pid"
  echo
  echo "proxy under wrk -t2 -c64 -d${SECS}s: $rps requests/s, $(cpu_us_per_request $(( after - before )) \
"$(awk -v r="$rps" -v s="$SECS" 'BEGIN { printf "%d", r * s }')") µs of CPU per request"
  echo "share of Java execution samples in which a frame appears (inclusive), top 60:"
  jfr print --events jdk.ExecutionSample --stack-depth 96 "$work/rec.jfr" | awk '
    /jdk.ExecutionSample/ { n++; delete seen; next }
    / line: / { f = $0; sub(/^ +/, "", f); sub(/ line:.*/, "", f); if (!(f in seen)) { seen[f] = 1; c[f]++ } }
    END { for (f in c) printf "%6.1f%%  %s\n", 100 * c[f] / n, f; printf "%6.1f%%  (%d samples)\n", 100, n }' \
    | sort -rn | grep -v -E 'java\.lang\.Thread\.run|QueuedThreadPool|ReservedThread|AdaptiveExecutionStrategy|SelectorProducer' \
    | head -60
} > "$OUT"
echo "bench: wrote $OUT" >&2
