#!/usr/bin/env bash
# Issue 16: the CLI's size and start-up with each cloud module in or out (core only; +aws; +azure; +gcp; all).
# Each variant is a dist-style lib/ folder of the jars the CLI would ship without the other cloud modules, built from
# the already-built module jars and Maven's runtime class paths (dependency:build-classpath, offline; no install).
# Start-up is the wall time of `--version` and of `info` (the launcher's CDS training configuration: the engine and
# the providers load, nothing is contacted), measured with hyperfine, without AppCDS, from a clean environment.
# The shipped shaded jar is measured too, as a reference. Prints a markdown table on stdout.
#
#   bench/scripts/cli-modules.sh            build first: mvn -B -o -DskipTests -pl cli -am package
#   Environment: RUNS (hyperfine runs per command, default 10), MVN (default "mvn -B -o"), JAVA (default java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$here/../.." && pwd -P)"
RUNS="${RUNS:-10}"
MVN="${MVN:-mvn -B -o}"
JAVA="${JAVA:-java}"
CLOUD=(aws azure gcp)
BASE=(core proxy mlflow tracking-memory)

for tool in hyperfine jq; do
  command -v "$tool" >/dev/null 2>&1 || { echo "cli-modules: $tool is needed (apt-get install $tool)" >&2; exit 1; }
done
shaded=("$ROOT"/cli/target/mlflow-secrets-auth-cli-*-all.jar)
[ -f "${shaded[0]}" ] || { echo "cli-modules: no CLI jar; build it first: mvn -B -o -DskipTests -pl cli -am package" >&2; exit 1; }

work="$(mktemp -d /tmp/mlflow-bench-cli-modules.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The runtime class path of cli and of every module it depends on, one file per module (target/cli-modules-cp.txt).
# test-compile (up to date after the build) lets the reactor resolve the test-jars that cli's test scope names.
(cd "$ROOT" && $MVN -q -pl cli -am test-compile dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile=target/cli-modules-cp.txt) >&2

# A module's own jar (not -all, -tests or -sources) in MODULE/target.
module_jar() {
  local jar
  for jar in "$ROOT/$1"/target/mlflow-secrets-auth-*.jar; do
    case "$jar" in *-all.jar|*-tests.jar|*-sources.jar|*-javadoc.jar) ;; *) [ -f "$jar" ] && echo "$jar" && return ;; esac
  done
  echo "cli-modules: no jar in $1/target; build first: mvn -B -o -DskipTests -pl cli -am package" >&2
  exit 1
}

# One jar per line: a module's class path entries, with a reactor module's target/classes replaced by its jar.
jars_of() {
  local entry m
  tr ':' '\n' < "$ROOT/$1/target/cli-modules-cp.txt" | while read -r entry; do
    [ -n "$entry" ] || continue
    case "$entry" in
      "$ROOT"/*/target/classes) m="${entry#"$ROOT"/}"; module_jar "${m%/target/classes}" ;;
      *) echo "$entry" ;;
    esac
  done
}

# An artifact's identity without its version: ~/.m2/.../GROUP/ARTIFACT/VERSION/FILE -> .../GROUP/ARTIFACT; a module
# jar stays as it is.
key() { case "$1" in "$ROOT"/*) echo "$1" ;; *) dirname "$(dirname "$1")" ;; esac; }
keys() { while read -r jar; do key "$jar"; done | sort -u; }

jars_of cli > "$work/cli.jars"
module_jar cli >> "$work/cli.jars"
for m in "${BASE[@]}" "${CLOUD[@]}"; do
  { jars_of "$m"; module_jar "$m"; } | keys > "$work/$m.keys"
done
cat "$work"/{aws,azure,gcp}.keys | sort -u > "$work/cloud.keys"
keys < "$work/cli.jars" > "$work/cli.keys"
# What the CLI needs whatever the cloud modules: its own jars and everything no cloud module brings, plus the base
# modules' dependencies (some of which a cloud module brings too).
{ comm -23 "$work/cli.keys" "$work/cloud.keys"; cat "$work"/{core,proxy,mlflow,tracking-memory}.keys; } | sort -u > "$work/base.keys"

# variant DIR MODULE... : DIR/lib with the CLI's jars that the base and these cloud modules need. A left-out azure or
# gcp module goes with everything only it pulls in. A left-out aws module keeps its own small jar (unless STRICT=1)
# and loses the AWS SDK: the CLI's code (exec's child environment, doctor's AWS and S3 checks) refers to its classes.
variant() {
  local dir="$1" jar m; shift
  local keep="$work/$dir.keep"
  { cat "$work/base.keys"; for m in "$@"; do cat "$work/$m.keys"; done
    if [ "${STRICT:-0}" != 1 ]; then module_jar aws; fi; } | sort -u > "$keep"
  mkdir -p "$work/$dir/lib"
  while read -r jar; do
    if grep -qxF "$(key "$jar")" "$keep"; then cp "$jar" "$work/$dir/lib/"; fi
  done < "$work/cli.jars"
}

# The CLI runs `info` only with the AWS SDK (see the notes the table ends with), so azure and gcp are measured on top
# of core + aws, and core alone and core + azure / gcp without it only for what fails.
variant core
variant aws aws
variant aws-azure aws azure
variant aws-gcp aws gcp
variant all aws azure gcp
variant azure azure
variant gcp gcp
STRICT=1 variant core-strict

# A clean environment with the launcher's CDS training configuration, from an empty folder (no .env).
mkdir -p "$work/empty"
cd "$work/empty"
clean_env=(env -i PATH="$PATH" HOME="$work/empty" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"}
  "MLFLOW_SECRETS_AUTH_ENABLE=vault,env" VAULT_ADDR=http://127.0.0.1:9 VAULT_TOKEN=bench-training
  MLFLOW_VAULT_SECRET_PATH=secret/bench MLFLOW_TRACKING_TOKEN=bench-training)

# The median and the fastest of RUNS wall times in ms (the fastest is the least disturbed on a busy machine), and the
# mean CPU time (user + system, which waiting for a core does not inflate), or the error's name when it fails.
measure() { # $1 = label, rest = command
  local name="$1" json="$work/hf.json"; shift
  local out
  if ! out="$("${clean_env[@]}" "$@" 2>&1 >/dev/null)"; then
    printf 'fails (%s)' "$(printf '%s' "$out" | grep -m1 -oE '[A-Za-z]+(Exception|Error)' || echo "an error")"
    return
  fi
  "${clean_env[@]}" hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$json" -n "$name" \
      "$(printf '%q ' "$@")" >/dev/null 2>&1
  jq -r '.results[0] | "\((.median * 1000) | round) (\((.min * 1000) | round)), CPU \(((.user + .system) * 1000) | round)"' "$json"
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

label() { case "$1" in core) echo "core only (+ the aws module's own jar)" ;; all) echo "all (aws + azure + gcp)" ;;
  aws) echo "core + aws" ;; aws-*) echo "core + aws + ${1#aws-}" ;; *) echo "core + $1 (+ the aws module's own jar)" ;; esac; }

echo "| CLI variant | jars | size (MB) | \`--version\`: wall median (fastest), CPU; ms | \`info\`: wall median (fastest), CPU; ms |"
echo "|---|---:|---:|---:|---:|"
for name in core aws aws-azure aws-gcp all; do
  lib="$work/$name/lib"
  count="$(find "$lib" -name '*.jar' | wc -l)"
  size="$(find "$lib" -name '*.jar' -printf '%s\n' | awk '{ s += $1 } END { print s }')"
  v="$(measure "$name --version" "$JAVA" -cp "$lib/*" io.github.mlflowsecretsauth.cli.Main --version)"
  i="$(measure "$name info" "$JAVA" -cp "$lib/*" io.github.mlflowsecretsauth.cli.Main info)"
  echo "| $(label "$name") | $count | $(mb "$size") | $v | $i |"
done
size="$(stat -c %s "${shaded[0]}")"
v="$(measure "shaded --version" "$JAVA" -jar "${shaded[0]}" --version)"
i="$(measure "shaded info" "$JAVA" -jar "${shaded[0]}" info)"
echo "| the shipped shaded jar (all) | 1 | $(mb "$size") | $v | $i |"
echo
# The first class a failing variant misses, from the JVM's exception log.
missing() { "${clean_env[@]}" "$JAVA" -Xlog:exceptions=info -cp "$1/*" io.github.mlflowsecretsauth.cli.Main "$2" 2>&1 |
  grep -oE "NoClassDefFoundError'[^:]*: [^>]*" | head -n 1 | sed "s/.*: //" || true; }
for name in core azure gcp; do
  m="$(missing "$work/$name/lib" info)"
  [ -z "$m" ] || echo "- $(label "$name"): \`info\` misses \`$m\`"
done
m="$(missing "$work/core-strict/lib" --version)"
if [ -n "$m" ]; then what="misses \`$m\`"; else what="runs"; fi
echo "- core only, without the aws module's jar: \`--version\` $what"
echo
echo "Java: $("$JAVA" -version 2>&1 | head -n 1); $(nproc) cores, load average $(cut -d ' ' -f 1-3 /proc/loadavg); hyperfine, $RUNS runs after 1 warm-up, no AppCDS."
