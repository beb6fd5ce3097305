# Shared by up.sh, down.sh and run.sh (sourced, not run).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../.." && pwd -P)"
state="${KEYCLOAK_DEMO_STATE:-$here/.state}"
demo_jar() { ls "$root"/demo/app/target/mlflow-secrets-auth-demo-*-all.jar 2>/dev/null | head -n 1 || true; }
running() { [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; }
step() { printf '\n==> %s\n' "$*"; }
say() { printf '    %s\n' "$*"; }
