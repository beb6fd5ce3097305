#!/usr/bin/env bash
# Issue 9, item 4: upload and download an artifact (1 GiB by default) directly, through nginx
# adding the header (streaming, no temporary files), and through `mlflow-secrets-auth proxy` started
# with -Xmx64m; the upstream is nginx (WebDAV PUT, static GET) on tmpfs, so the disk is not measured.
# Writes $RAW/streaming.tsv and $RAW/rss.tsv.
# Environment: ROUNDS, STREAM_MIB.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RAW="$1"
. "$here/lib.sh"
ROUNDS="${ROUNDS:-3}" STREAM_MIB="${STREAM_MIB:-1024}"
HEAP="-Xmx64m"

shm=/dev/shm; [ -d "$shm" ] && [ -w "$shm" ] || shm=/tmp
work="$(mktemp -d /tmp/mlflow-bench-stream.XXXXXX)"; chmod 755 "$work"
data="$(mktemp -d "$shm/mlflow-bench-artifacts.XXXXXX")"; chmod 777 "$data"
trap 'stop_tracked; rm -rf "$work" "$data"' EXIT
up=$(free_port); start_upstream "$work/upstream" "$up" "$data/artifacts"
ng=$(free_port); start_nginx_reference "$work/nginx" "$ng" "$up"
px=$(free_port); start_project_proxy "$work/proxy" "$px" "$up" "$HEAP"
check_header_delivered "$ng" nginx
check_header_delivered "$px" proxy

mkdir -p "$data/artifacts/bench"
head -c "$(( STREAM_MIB * 1024 * 1024 ))" /dev/zero > "$data/artifacts/bench/source.bin"
chmod -R a+rwX "$data"
rss() { awk -v stage="$1" -v heap="$HEAP" '/^VmHWM:/ {h=$2} /^VmRSS:/ {r=$2} END {printf "%s\t%s\t%s\t%s\n", stage, h, r, heap}' "/proc/$PROXY_PID/status"; }
printf 'stage\tvmhwm_kb\tvmrss_kb\theap\n' > "$RAW/rss.tsv"
rss "after start and a first request" >> "$RAW/rss.tsv"

printf 'round\ttarget\tdirection\tseconds\tbytes\n' > "$RAW/streaming.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for target in direct nginx proxy; do
    case "$target" in direct) port=$up ;; nginx) port=$ng ;; *) port=$px ;; esac
    base="http://127.0.0.1:$port/api/2.0/mlflow-artifacts/artifacts/bench"
    out="$(curl -sS -f -o /dev/null -w '%{time_total} %{size_upload}' -T "$data/artifacts/bench/source.bin" "$base/upload-$target.bin")"
    printf '%s\t%s\tupload\t%s\t%s\n' "$round" "$target" ${out} >> "$RAW/streaming.tsv"
    rm -f "$data/artifacts/bench/upload-$target.bin"
    out="$(curl -sS -f -o /dev/null -w '%{time_total} %{size_download}' "$base/source.bin")"
    printf '%s\t%s\tdownload\t%s\t%s\n' "$round" "$target" ${out} >> "$RAW/streaming.tsv"
    echo "bench: streaming round $round, $target done" >&2
  done
done
rss "after $ROUNDS × ($STREAM_MIB MiB up + $STREAM_MIB MiB down)" >> "$RAW/rss.tsv"
