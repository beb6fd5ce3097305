#!/usr/bin/env bash
# The seed's Vault + nginx + MLflow demo on a machine without Docker: the testkit's Vault, an MLflow tracking server,
# Debian's nginx, and the project's CLI and a training client. See demo/README.md.
#
#   ./run-local.sh [demo]   the whole story in the foreground, then everything stops (what `make demo` runs)
#   ./run-local.sh up       start the stack in the background (one auth mode), print its URLs and variables
#   ./run-local.sh check    scripts/test_setup.sh against the running stack
#   ./run-local.sh client   run the training client once more against it
#   ./run-local.sh down     stop it: no process, no port left
#
# With a Python `mlflow` installed (python3 -c 'import mlflow'), MLflow is Python's own `mlflow server` and the client
# is demo/app/train.py run through `mlflow-secrets-auth exec`; otherwise the testkit's server and the Java client.
# Environment: AUTH_MODE=basic|bearer|both (default both; `up` takes basic or bearer, default basic);
# DEMO_SECRET_PASSWORD / DEMO_SECRET_TOKEN seed a different (for example wrong) credential into Vault;
# DEMO_PYTHON (default python3); DEMO_RUN_DIR (default demo/.run: pid and env files of `up`);
# DEMO_NGINX_PORT / DEMO_VAULT_PORT for `up` (default 8080 / 8200; 0 picks a free port).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
run_dir="${DEMO_RUN_DIR:-$root/demo/.run}"
jar() { local jars=("$root"/demo/app/target/mlflow-secrets-auth-demo-*-all.jar); [ -f "${jars[0]}" ] && echo "${jars[0]}"; }
cli_jar() { local jars=("$root"/cli/target/mlflow-secrets-auth-cli-*-all.jar); [ -f "${jars[0]}" ] && echo "${jars[0]}"; }

prepare() {
  "$root/scripts/install-prerequisites.sh"
  if [ -z "$(jar)" ] || [ -z "$(cli_jar)" ]; then
    echo "Building the project (first run only)..."
    (cd "$root" && mvn -B -q -DskipTests package)
  fi
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    echo "❌ nginx is not installed: apt-get install nginx (the demo puts a real nginx in front of MLflow)" >&2
    exit 1
  fi
}

# A Python mlflow, checked from an empty directory: in the repository, its mlflow/ folder imports as a namespace
# package, so `import mlflow` alone would succeed there without any mlflow installed.
detect_python() {
  local python="${DEMO_PYTHON:-python3}" probe
  unset DEMO_MLFLOW_PYTHON
  probe="$(mktemp -d)"
  if command -v "$python" >/dev/null 2>&1 \
      && (cd "$probe" && "$python" -c 'import mlflow, sys; sys.exit(0 if getattr(mlflow, "__version__", None) else 1)') \
      >/dev/null 2>&1; then
    DEMO_MLFLOW_PYTHON="$(command -v "$python")"
    export DEMO_MLFLOW_PYTHON
    echo "A Python mlflow is installed ($python): MLflow is Python's own 'mlflow server', the client demo/app/train.py"
  else
    echo "No Python mlflow ($python -c 'import mlflow' fails): using the testkit's MLflow server and the Java client"
  fi
  rmdir "$probe"
}

# NAME PID lines from stack.pids (the demo JVM first), and the shell's own record of the JVM.
recorded_pids() {
  if [ -f "$run_dir/stack.pids" ]; then awk '{print $2}' "$run_dir/stack.pids"; fi
  if [ -f "$run_dir/demo.pid" ]; then cat "$run_dir/demo.pid"; fi
}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

running() { [ -f "$run_dir/demo.pid" ] && alive "$(cat "$run_dir/demo.pid")"; }

up() {
  if running; then
    echo "The local demo stack is already running (pid $(cat "$run_dir/demo.pid")); its variables: $run_dir/stack.env"
    exit 0
  fi
  prepare
  detect_python
  mkdir -p "$run_dir"
  rm -f "$run_dir/stack.env" "$run_dir/stack.pids"
  rm -rf "$run_dir/mlflow" # Python's mlflow server's database and artifacts of an earlier run
  AUTH_MODE="${AUTH_MODE:-basic}" nohup java -jar "$(jar)" --up "$root" "$run_dir" > "$run_dir/stack.log" 2>&1 < /dev/null &
  echo $! > "$run_dir/demo.pid"
  local i
  for i in $(seq 1 1800); do
    [ -f "$run_dir/stack.env" ] && break
    if ! alive "$(cat "$run_dir/demo.pid")"; then
      cat "$run_dir/stack.log" >&2
      echo "❌ the local demo stack did not start (log: $run_dir/stack.log)" >&2
      rm -f "$run_dir/demo.pid"
      exit 1
    fi
    [ "$i" -eq 1800 ] && { echo "❌ the stack did not come up within 180 s (log: $run_dir/stack.log)" >&2; down; exit 1; }
    sleep 0.1
  done
  cat "$run_dir/stack.log"
}

down() {
  local pids=() pid i
  while read -r pid; do alive "$pid" && pids+=("$pid"); done < <(recorded_pids | sort -u)
  if [ ${#pids[@]} -eq 0 ]; then
    echo "The local demo stack is not running."
  else
    # The JVM stops nginx and Python's server itself on SIGTERM; whatever is left after 15 s is killed.
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for i in $(seq 1 150); do
      local left=()
      for pid in "${pids[@]}"; do alive "$pid" && left+=("$pid"); done
      [ ${#left[@]} -eq 0 ] && break
      if [ "$i" -eq 150 ]; then kill -KILL "${left[@]}" 2>/dev/null || true; fi
      sleep 0.1
    done
    echo "Stopped the local demo stack (pids ${pids[*]})."
  fi
  rm -f "$run_dir/demo.pid" "$run_dir/stack.pids" "$run_dir/stack.env" "$run_dir/stack.env.tmp" "$run_dir/stack.pids.tmp"
  rm -rf "$run_dir/mlflow"
}

stack_var() { sed -n "s/^$1=//p" "$run_dir/stack.env"; }

require_up() {
  if ! running || [ ! -f "$run_dir/stack.env" ]; then
    echo "❌ the local demo stack is not running: make -C demo up" >&2
    exit 1
  fi
}

case "${1:-demo}" in
  demo)
    prepare
    detect_python
    exec java -jar "$(jar)" "$root" 2>&1
    ;;
  up) up ;;
  down) down ;;
  check)
    require_up
    NGINX_URL="$(stack_var NGINX_URL)" VAULT_URL="$(stack_var VAULT_URL)" AUTH_MODE="$(stack_var AUTH_MODE)" \
      exec sh "$root/demo/scripts/test_setup.sh"
    ;;
  client)
    require_up
    cd "$(mktemp -d)" # no .env of the caller's, and no mlflow/ folder that Python would import
    set -a
    # shellcheck disable=SC1090,SC1091
    . "$run_dir/stack.env"
    set +a
    unset NGINX_URL VAULT_URL AUTH_MODE
    python="${DEMO_MLFLOW_PYTHON:-}"
    unset DEMO_MLFLOW_PYTHON
    if [ -n "$python" ]; then
      exec "$root/bin/mlflow-secrets-auth" exec -- "$python" "$root/demo/app/train.py"
    fi
    exec java -cp "$(jar)" io.github.mlflowsecretsauth.demo.DemoClient
    ;;
  *) echo "usage: $0 [demo|up|check|client|down]" >&2; exit 2 ;;
esac
