#!/usr/bin/env bash
# The local demo, without Docker: starts the testkit Vault holding a sample MLflow credential, then
# runs `mlflow-secrets-auth info` and `doctor` against it, the way a user would configure them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
testkit_jar="$(ls "$root"/testkit/target/mlflow-secrets-auth-testkit-*-all.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$testkit_jar" ] || [ -z "$(ls "$root"/cli/target/mlflow-secrets-auth-cli-*-all.jar 2>/dev/null)" ]; then
  echo "Building the project (first run only)..."
  (cd "$root" && mvn -B -q -DskipTests package)
  testkit_jar="$(ls "$root"/testkit/target/mlflow-secrets-auth-testkit-*-all.jar | head -n 1)"
fi

work="$(mktemp -d)"
vault_pid=""
cleanup() {
  [ -n "$vault_pid" ] && kill "$vault_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "==> Starting the testkit Vault (dev mode, root token demo-root-token-12345) with a sample secret"
java -jar "$testkit_jar" vault \
  --root-token demo-root-token-12345 \
  --kv2 'secret/mlflow/auth={"username":"mlflow-user","password":"secure-password-123"}' \
  --ready-file "$work/vault.env" > "$work/vault.log" 2>&1 &
vault_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/vault.env" ] && break
  if ! kill -0 "$vault_pid" 2>/dev/null; then
    echo "The testkit Vault did not start:"; cat "$work/vault.log"; exit 1
  fi
  sleep 0.2
done
[ -s "$work/vault.env" ] || { echo "The testkit Vault did not become ready in 20 s"; exit 1; }
set -a; . "$work/vault.env"; set +a
echo "    VAULT_ADDR=$VAULT_ADDR"

export MLFLOW_TRACKING_AUTH=mlflow_secrets_auth
export MLFLOW_SECRETS_AUTH_ENABLE=vault
export VAULT_TOKEN=demo-root-token-12345
export MLFLOW_VAULT_SECRET_PATH=secret/mlflow/auth
export MLFLOW_VAULT_AUTH_MODE=basic
export MLFLOW_SECRETS_ALLOWED_HOSTS="localhost,127.0.0.1,nginx,nginx:80"

echo
echo "==> mlflow-secrets-auth info"
"$root/bin/mlflow-secrets-auth" info
echo
echo "==> mlflow-secrets-auth doctor"
"$root/bin/mlflow-secrets-auth" doctor
