#!/bin/sh
# Checks the running Docker demo from your machine with curl, without mlflow-secrets-auth:
#   Vault is up and holds secret/mlflow/auth; nginx answers 401 without a credential, 401 with a
#   wrong one or the other mode's, and 200 with the right one on
#   GET /api/2.0/mlflow/experiments/search?max_results=1.
# AUTH_MODE comes from the environment, else from demo/.env, else basic.
# Override the addresses with NGINX_URL (default http://localhost:8080) and VAULT_URL
# (default http://localhost:8200).
set -u

demo_dir="$(cd "$(dirname "$0")/.." && pwd -P)"
nginx_url="${NGINX_URL:-http://localhost:8080}"
vault_url="${VAULT_URL:-http://localhost:8200}"
vault_token=demo-root-token-12345
user=mlflow-user
password=secure-password-123
api_key=mlflow-api-key-demo-567890abcdef

mode="${AUTH_MODE:-}"
if [ -z "$mode" ] && [ -f "$demo_dir/.env" ]; then
  mode="$(sed -n 's/^[[:space:]]*AUTH_MODE[[:space:]]*=[[:space:]]*//p' "$demo_dir/.env" | tail -n 1 | sed 's/[[:space:]]#.*$//' | tr -d "\"' \r")"
fi
mode="${mode:-basic}"
case "$mode" in
  basic|bearer) ;;
  *) echo "test_setup: AUTH_MODE must be basic or bearer, not '$mode'" >&2; exit 2 ;;
esac
command -v curl >/dev/null 2>&1 || { echo "test_setup: curl is not installed" >&2; exit 2; }

failures=0
# check DESCRIPTION EXPECTED_STATUS CURL_ARGS...
check() {
  description="$1"; expected="$2"; shift 2
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@")" || true
  if [ "$status" = "$expected" ]; then
    printf '  ok    %-48s HTTP %s\n' "$description" "$status"
  else
    case "$status" in ''|000) status="no answer" ;; *) status="HTTP $status" ;; esac
    printf '  FAIL  %-48s %s, expected HTTP %s\n' "$description" "$status" "$expected"
    failures=$((failures + 1))
  fi
}

search="$nginx_url/api/2.0/mlflow/experiments/search?max_results=1"
echo "Vault ($vault_url)"
check "health" 200 "$vault_url/v1/sys/health"
check "secret/mlflow/auth readable with the demo token" 200 \
  -H "X-Vault-Token: $vault_token" "$vault_url/v1/secret/data/mlflow/auth"

# The secret's field names must fit AUTH_MODE (values are not printed).
body="$(curl -s --max-time 10 -H "X-Vault-Token: $vault_token" "$vault_url/v1/secret/data/mlflow/auth")" || body=""
if [ "$mode" = basic ]; then want='"username"'; else want='"token"'; fi
if printf '%s' "$body" | grep -q "$want"; then
  printf '  ok    %s\n' "secret has the $mode field $want"
else
  printf '  FAIL  %s\n' "secret has the $mode field $want (seeded for the other mode?)"
  failures=$((failures + 1))
fi

echo "nginx in front of MLflow ($nginx_url), AUTH_MODE=$mode"
check "no credential" 401 "$search"
if [ "$mode" = basic ]; then
  check "Basic with a wrong password" 401 -u "$user:wrong-password" "$search"
  check "the bearer-mode API key (wrong mode)" 401 -H "Authorization: Bearer $api_key" "$search"
  check "Basic mlflow-user (the credential in Vault)" 200 -u "$user:$password" "$search"
else
  check "Bearer with a wrong key" 401 -H "Authorization: Bearer wrong-key" "$search"
  check "Basic mlflow-user (wrong mode)" 401 -u "$user:$password" "$search"
  check "Bearer API key (the credential in Vault)" 200 -H "Authorization: Bearer $api_key" "$search"
fi

if [ "$failures" -gt 0 ]; then
  echo "test_setup: $failures check(s) failed; see 'make logs' (or 'docker compose logs nginx vault mlflow')" >&2
  exit 1
fi
echo "test_setup: all checks passed"
