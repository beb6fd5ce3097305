#!/usr/bin/env bash
# `make bench`: builds the bench module, runs every benchmark of issue 9 and writes docs/PERFORMANCE.md.
# BENCH_QUICK=1 runs each one briefly (a sanity check of the whole pipeline, not figures to quote).
# Raw results stay in bench/target/results. Processes it starts are stopped by their PID.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
cd "$ROOT"
QUICK="${BENCH_QUICK:-0}"
RAW="$ROOT/bench/target/results"
SECTIONS="$RAW/sections"
JAR="$ROOT/bench/target/benchmarks.jar"
MVN="${MVN:-mvn -B}"
started=$(date +%s)
step() { echo "== bench: $* ($(( $(date +%s) - started )) s elapsed)" >&2; }

for tool in nginx wrk hyperfine curl; do
  command -v "$tool" > /dev/null || { echo "bench: $tool is missing: apt-get install -y nginx wrk hyperfine curl" >&2; exit 1; }
done

if [ "$QUICK" = 1 ]; then
  JMH_OPTS=(-f 1 -wi 1 -i 2 -w 500ms -r 500ms); COLD_TRIALS=3; REFRESH_RUNS=1; REFRESH_CYCLES=3
  FLEET=(10000 300 6); export ROUNDS=1 WRK_SECONDS=3 RATE_SECONDS=5 STREAM_MIB=256 RUNS=3; TUNING_ROUNDS=1
else
  JMH_OPTS=(); COLD_TRIALS=15; REFRESH_RUNS=3; REFRESH_CYCLES=10
  FLEET=(100000 300 12); export ROUNDS=3 WRK_SECONDS=10 RATE_SECONDS=20 STREAM_MIB=1024 RUNS=10; TUNING_ROUNDS=2
fi
rm -rf "$RAW"; mkdir -p "$SECTIONS"
report() { java -cp "$JAR" "io.github.mlflowsecretsauth.bench.report.$1" "${@:2}" > /dev/null; }

step "build (the CLI, the bench module, and each module's runtime dependency list)"
$MVN -q -DskipTests -pl cli,aws,azure,gcp,mlflow,bench -am package dependency:list -DincludeScope=runtime \
    -DoutputAbsoluteArtifactFilename=true -DoutputFile=target/runtime-deps.txt

step "1. hot path (JMH)"
jmh() { # $1 = file tag, $2 = benchmark regexp, $3 = threads
  java -jar "$JAR" "HotPathBenchmark\.($2)\$" -t "$3" -prof gc "${JMH_OPTS[@]}" -rf json -rff "$RAW/jmh-$1.json" > "$RAW/jmh-$1.log"
}
jmh headersFor-t1 headersFor 1
jmh headersFor-t2 headersFor 2
jmh headersFor-t8 headersFor 8
jmh parts-t1 'headersForAllowAll|allowlistAllows|cacheGet|clockMillis|proposedAllowlistMemo' 1
jmh proposed-t8 'proposedAllowlistMemo|cacheGet' 8
report JmhSection "$SECTIONS/1-hotpath.md" "$(nproc)" "$RAW"/jmh-headersFor-t{1,2,8}.json "$RAW/jmh-parts-t1.json" "$RAW/jmh-proposed-t8.json"

step "2. cold start and refresh-ahead"
java -cp "$JAR" io.github.mlflowsecretsauth.bench.cold.ColdStartBench "$SECTIONS/2a-cold.md" "$COLD_TRIALS" 20 1000 > /dev/null
java -cp "$JAR" io.github.mlflowsecretsauth.bench.cold.RefreshAheadBench "$SECTIONS/2b-refresh.md" "$REFRESH_RUNS" "$REFRESH_CYCLES" > /dev/null

step "3. proxy against nginx"
"$here/proxy-vs-nginx.sh" "$RAW"
report ProxySection "$SECTIONS/3-proxy.md" "$RAW/wrk.tsv" "$RAW/rate.tsv"
ROUNDS="$TUNING_ROUNDS" "$here/proxy-tuning.sh" "$RAW"
report TuningSection "$SECTIONS/3b-tuning.md" "$RAW/tuning.tsv"
SECS="$WRK_SECONDS" "$here/proxy-profile.sh" "$RAW/proxy-profile.txt"
step "3c. warm-up curve from a cold start"
if [ "$QUICK" = 1 ]; then export STEPS=3 STEP_SECONDS=2; else export STEPS=12 STEP_SECONDS=5; fi
rm -f "$RAW/warmup.tsv"
LABEL="proxy (as shipped: serial GC, 96 MiB heap, C1)" "$here/warmup-curve.sh" "$RAW" > /dev/null
TARGETS=proxy LABEL="proxy with the JVM's defaults (G1, C2)" \
    PROXY_JAVA_OPTS="-XX:+UseG1GC -XX:MaxRAMPercentage=25 -XX:TieredStopAtLevel=4" "$here/warmup-curve.sh" "$RAW" > /dev/null
step "3d. data plane: the shipped Jetty proxy against a Netty experiment, nginx beside them"
if [ "$QUICK" = 1 ]; then export ROUNDS=1 STEPS=3 STEP_SECONDS=2; else export ROUNDS=3 STEPS=6 STEP_SECONDS=5; fi
"$here/dataplane.sh" "$RAW" > /dev/null
NAME=dataplane-c2 JETTY_JAVA_OPTS="-XX:TieredStopAtLevel=4" NETTY_JAVA_OPTS="-XX:+UseSerialGC -Xms8m -Xmx64m" \
    "$here/dataplane.sh" "$RAW" > /dev/null

step "4. streaming"
"$here/streaming.sh" "$RAW"
report StreamingSection "$SECTIONS/4-streaming.md" "$RAW/streaming.tsv" "$RAW/rss.tsv"

step "5. start-up and footprint"
"$here/startup.sh" "$RAW"
"$here/exec-proxy-startup.sh" "$RAW" > /dev/null
report StartupSection "$SECTIONS/5a-startup.md" "$RAW/phases.tsv" "$RAW"/startup-*.json
footprint=()
for m in core aws azure gcp proxy mlflow cli; do
  jar="$(ls "$m"/target/mlflow-secrets-auth-"$m"-*.jar | grep -v -E -- '-(all|tests|sources)\.jar$' | head -n 1)"
  footprint+=("$m=$m/target/runtime-deps.txt=$jar")
done
footprint+=("shaded=cli/target/…-cli-…-all.jar (what bin/mlflow-secrets-auth runs)=$(ls cli/target/mlflow-secrets-auth-cli-*-all.jar | head -n 1)")
report FootprintSection "$SECTIONS/5b-footprint.md" "${footprint[@]}"

step "6. fleet model"
java -Xmx2g -cp "$JAR" io.github.mlflowsecretsauth.bench.fleet.FleetSimulation "$SECTIONS/6-fleet.md" "${FLEET[@]}" > /dev/null

step "docs/PERFORMANCE.md"
ELAPSED_MIN=$(( ($(date +%s) - started + 59) / 60 )) QUICK="$QUICK" "$here/assemble.sh" "$SECTIONS" "$ROOT/docs/PERFORMANCE.md"
step "done: docs/PERFORMANCE.md"
