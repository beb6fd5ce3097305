#!/bin/sh
# Seeds the demo credential into Vault. Runs in the one-shot vault-seed container (the hashicorp/vault
# image, which has the vault CLI), after the dev-mode Vault is healthy. Writes secret/mlflow/auth
# (KV v2, the dev server's default `secret/` mount) according to AUTH_MODE:
#   basic  -> {"username": "mlflow-user", "password": "secure-password-123"}
#   bearer -> {"token": "mlflow-api-key-demo-567890abcdef"}
# A `kv put` replaces the whole secret (as a new version), so switching modes leaves no stale fields.
set -eu

: "${VAULT_ADDR:?VAULT_ADDR must be set (http://vault:8200 in docker-compose.yml)}"
: "${VAULT_TOKEN:?VAULT_TOKEN must be set (the dev root token)}"
mode="${AUTH_MODE:-basic}"
path="${MLFLOW_VAULT_SECRET_PATH:-secret/mlflow/auth}"

case "$mode" in
  basic|bearer) ;;
  *) echo "seed_vault: AUTH_MODE must be basic or bearer, not '$mode'" >&2; exit 2 ;;
esac

echo "seed_vault: waiting for Vault at $VAULT_ADDR"
tries=0
until vault status >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "seed_vault: Vault at $VAULT_ADDR did not answer (or is sealed) after 30 s" >&2
    vault status >&2 || true
    exit 1
  fi
  sleep 1
done

echo "seed_vault: writing $path for AUTH_MODE=$mode"
if [ "$mode" = basic ]; then
  vault kv put "$path" username=mlflow-user password=secure-password-123
  fields="username password"
else
  vault kv put "$path" token=mlflow-api-key-demo-567890abcdef
  fields="token"
fi

# Read it back the way a client would, checking each field is there without printing any value.
for field in $fields; do
  if ! vault kv get -field="$field" "$path" >/dev/null; then
    echo "seed_vault: $path has no field '$field' after writing it" >&2
    exit 1
  fi
done
echo "seed_vault: done; $path holds: $fields"
