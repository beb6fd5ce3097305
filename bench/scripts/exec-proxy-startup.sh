#!/usr/bin/env bash
# Issue 15: what `exec` and `proxy` cost before they are useful, from a cold JVM with the launcher's defaults (its
# class-data archive present): `exec` until its command runs (the command prints the time it started), and `proxy`
# until its health endpoint answers; with the process's CPU time and resident size at that moment for `proxy`.
# Writes $RAW/exec-proxy-startup.tsv and the markdown table $RAW/exec-proxy-startup.md. Environment: RUNS (10).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RAW="${1:-$ROOT/bench/target/results}"
. "$here/lib.sh"
RUNS="${RUNS:-10}"
mkdir -p "$RAW"
work="$(mktemp -d /tmp/mlflow-bench-execstart.XXXXXX)"; chmod 755 "$work"
trap 'stop_tracked; rm -rf "$work"' EXIT
up=$(free_port); start_upstream "$work/upstream" "$up" "$work/artifacts"
cd "$work"
env_=(env -i PATH="$PATH" HOME="$HOME" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} MLFLOW_SECRETS_AUTH_ENABLE=env
  MLFLOW_TRACKING_TOKEN="$BENCH_TOKEN" MLFLOW_SECRETS_ALLOWED_HOSTS="127.0.0.1:$up"
  MLFLOW_TRACKING_URI="http://127.0.0.1:$up" MLFLOW_SECRETS_LOG_LEVEL=WARNING)
CLI="$ROOT/bin/mlflow-secrets-auth"
# The launcher writes its archive in the background on its first run: do that first, and wait for it.
"${env_[@]}" "$CLI" --version > /dev/null 2>&1 || true
sleep 10

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
printf 'what\trun\tms\tcpu_ms\trss_kib\n' > "$RAW/exec-proxy-startup.tsv"
for run in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  started="$("${env_[@]}" "$CLI" exec -- sh -c 'date +%s%N')"
  printf 'exec\t%s\t%s\t\t\n' "$run" $(( (started - t0) / 1000000 )) >> "$RAW/exec-proxy-startup.tsv"

  port=$(free_port); t0=$(date +%s%N)
  "${env_[@]}" "$CLI" proxy --upstream "http://127.0.0.1:$up" --listen "127.0.0.1:$port" > "$work/proxy.log" 2>&1 &
  launcher=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/__mlflow-secrets-auth/health"; do sleep 0.01; done
  ms=$(ms_since "$t0")
  pid=$(pgrep -P "$launcher" java || echo "$launcher")
  cpu=$(( $(awk '{print $14 + $15}' "/proc/$pid/stat") * 1000 / $(getconf CLK_TCK) ))
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  printf 'proxy\t%s\t%s\t%s\t%s\n' "$run" "$ms" "$cpu" "$rss" >> "$RAW/exec-proxy-startup.tsv"
  kill "$launcher" 2>/dev/null || true; wait "$launcher" 2>/dev/null || true
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print a[int((NR + 1) / 2)]}'; }
range() { sort -n | awk 'NR == 1 {min=$1} {max=$1} END {print min "–" max}'; }
col() { awk -F'\t' -v w="$1" -v c="$2" '$1 == w {print $c}' "$RAW/exec-proxy-startup.tsv"; }
{
  echo "| from a cold JVM (the launcher's defaults, $RUNS runs) | wall time, median [range] | CPU, median | RSS, median |"
  echo "|---|---|---|---|"
  echo "| \`exec -- CMD\` until CMD runs | $(col exec 3 | median) ms [$(col exec 3 | range)] | | |"
  echo "| \`proxy\` until its health endpoint answers | $(col proxy 3 | median) ms [$(col proxy 3 | range)] | $(col proxy 4 | median) ms | $(( $(col proxy 5 | median) / 1024 )) MB |"
} > "$RAW/exec-proxy-startup.md"
cat "$RAW/exec-proxy-startup.md"
