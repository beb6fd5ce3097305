#!/usr/bin/env bash
# Issue 9, item 5 (time): wall time of `bin/mlflow-secrets-auth info`, of the first authenticated
# call from a cold JVM (`doctor --dry-run`, and a library program), each with and without AppCDS,
# measured with hyperfine. Backend: the testkit Vault (a separate JVM) and nginx as the MLflow server.
# Writes $RAW/startup-*.json and $RAW/phases.tsv. Environment: RUNS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RAW="$1"
. "$here/lib.sh"
RUNS="${RUNS:-10}"
JAR="$ROOT/bench/target/benchmarks.jar"
TESTKIT="$(ls "$ROOT"/testkit/target/mlflow-secrets-auth-testkit-*-all.jar | head -n 1)"

work="$(mktemp -d /tmp/mlflow-bench-startup.XXXXXX)"; chmod 755 "$work"
trap 'stop_tracked; rm -rf "$work"' EXIT
up=$(free_port); start_upstream "$work/upstream" "$up" "$work/artifacts"
java -jar "$TESTKIT" vault --kv2 "secret/mlflow/auth={\"token\":\"$BENCH_TOKEN\"}" --ready-file "$work/vault.env" \
    > "$work/vault.log" 2>&1 &
track $!
for _ in $(seq 1 300); do [ -s "$work/vault.env" ] && break; sleep 0.1; done
VAULT_ADDR="$(sed -n 's/^VAULT_ADDR=//p' "$work/vault.env")"
[ -n "$VAULT_ADDR" ] || { echo "bench: the testkit Vault did not start" >&2; exit 1; }
MLFLOW_URL="http://127.0.0.1:$up"

# A clean environment with only this configuration; run from $work so no .env is picked up.
cd "$work"
clean_env=(env -i PATH="$PATH" HOME="$HOME" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"}
  MLFLOW_SECRETS_AUTH_ENABLE=vault VAULT_ADDR="$VAULT_ADDR" VAULT_TOKEN=root
  MLFLOW_VAULT_SECRET_PATH=secret/mlflow/auth MLFLOW_SECRETS_ALLOWED_HOSTS="127.0.0.1:$up"
  MLFLOW_TRACKING_URI="$MLFLOW_URL" MLFLOW_SECRETS_LOG_LEVEL=WARNING MLFLOW_SECRETS_AUTH_CDS=0)
CLI="$ROOT/bin/mlflow-secrets-auth"

# AppCDS: one training run each writes a dynamic archive of the classes it loaded.
"${clean_env[@]}" MLFLOW_SECRETS_AUTH_JAVA_OPTS="-XX:ArchiveClassesAtExit=$work/cli.jsa" \
    "$CLI" doctor --dry-run "$MLFLOW_URL" > "$work/train-cli.log" 2>&1
"${clean_env[@]}" java -XX:ArchiveClassesAtExit="$work/lib.jsa" -cp "$JAR" \
    io.github.mlflowsecretsauth.bench.startup.FirstAuthenticatedCall "$MLFLOW_URL$SEARCH_PATH" > "$work/train-lib.log" 2>&1
ls -la "$work"/*.jsa | awk '{print $5, $9}' > "$RAW/appcds-archives.txt"

# The launcher's own archive (its default): written in the background by its first run, trained on `info`.
"${clean_env[@]}" MLFLOW_SECRETS_AUTH_CDS=1 XDG_CACHE_HOME="$work/cache" "$CLI" info > /dev/null 2>&1
for _ in $(seq 1 300); do ls "$work"/cache/mlflow-secrets-auth/cli-*.jsa > /dev/null 2>&1 && break; sleep 0.1; done
launcher="MLFLOW_SECRETS_AUTH_CDS=1 XDG_CACHE_HOME=$work/cache"

cds_cli="-XX:SharedArchiveFile=$work/cli.jsa"
hf() { "${clean_env[@]}" hyperfine --style basic --warmup 2 --runs "$RUNS" "$@"; }
hf --export-json "$RAW/startup-1-info.json" \
  -n "info" "$CLI info" \
  -n "info, AppCDS" "MLFLOW_SECRETS_AUTH_JAVA_OPTS='$cds_cli' $CLI info" \
  -n "info, the launcher's default (its own AppCDS archive)" "$launcher $CLI info" \
  -n "info, -XX:TieredStopAtLevel=1" "MLFLOW_SECRETS_AUTH_JAVA_OPTS='-XX:TieredStopAtLevel=1' $CLI info" \
  -n "info, AppCDS + -XX:TieredStopAtLevel=1" "MLFLOW_SECRETS_AUTH_JAVA_OPTS='$cds_cli -XX:TieredStopAtLevel=1' $CLI info" >&2
hf --export-json "$RAW/startup-2-doctor.json" \
  -n "doctor --dry-run URL (Vault fetch + one MLflow call)" "$CLI doctor --dry-run $MLFLOW_URL" \
  -n "doctor --dry-run URL, AppCDS" "MLFLOW_SECRETS_AUTH_JAVA_OPTS='$cds_cli' $CLI doctor --dry-run $MLFLOW_URL" \
  -n "doctor --dry-run URL, the launcher's default (its own AppCDS archive)" "$launcher $CLI doctor --dry-run $MLFLOW_URL" \
  -n "doctor --dry-run URL, AppCDS + -XX:TieredStopAtLevel=1" \
     "MLFLOW_SECRETS_AUTH_JAVA_OPTS='$cds_cli -XX:TieredStopAtLevel=1' $CLI doctor --dry-run $MLFLOW_URL" >&2
lib="io.github.mlflowsecretsauth.bench.startup.FirstAuthenticatedCall $MLFLOW_URL$SEARCH_PATH"
hf --export-json "$RAW/startup-3-library.json" \
  -n "library: engine + headersFor + one request (java -cp benchmarks.jar FirstAuthenticatedCall)" "java -cp $JAR $lib" \
  -n "library, AppCDS" "java -XX:SharedArchiveFile=$work/lib.jsa -cp $JAR $lib" >&2

rm -f "$RAW/phases.tsv"
for _ in $(seq 1 "$RUNS"); do
  "${clean_env[@]}" java -cp "$JAR" io.github.mlflowsecretsauth.bench.startup.FirstAuthenticatedCall \
      "$MLFLOW_URL$SEARCH_PATH" "$RAW/phases.tsv" "$(date +%s%N)"
done
