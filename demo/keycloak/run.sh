#!/usr/bin/env bash
# make -C demo keycloak: the whole walkthrough of docs/identity/keycloak.md, from an empty shell to runs logged in
# MLflow through nginx + Keycloak, with environment variables only; then stops everything.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

started=
if ! running; then
  started=1
fi
"$here/up.sh"
if [ -n "$started" ]; then
  trap '"$here/down.sh" >/dev/null' EXIT
fi
# shellcheck disable=SC1091
. "$state/env.sh"
search="$MLFLOW_TRACKING_URI/api/2.0/mlflow/experiments/search?max_results=1"

step "Without mlflow-secrets-auth: curl straight to nginx"
code="$(curl -s -o /dev/null -w '%{http_code}' "$search")"
say "no token                       -> HTTP $code"
[ "$code" = 401 ] || { echo "❌ nginx let a request without a token through (HTTP $code)" >&2; exit 1; }
other="$(curl -s -u "other-service:$(cat "$state/other-secret")" -d grant_type=client_credentials \
  "$MLFLOW_OAUTH2_ISSUER_URL/protocol/openid-connect/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $other" "$search")"
say "a valid Keycloak token of another client (aud without mlflow-api) -> HTTP $code"
[ "$code" = 401 ] || { echo "❌ nginx let a token for another audience through (HTTP $code)" >&2; exit 1; }

step "mlflow-secrets-auth doctor --dry-run $MLFLOW_TRACKING_URI (the minted token's issuer, audience, expiry; never the token)"
"$root/bin/mlflow-secrets-auth" doctor --dry-run "$MLFLOW_TRACKING_URI" | sed 's/^/    /'

step "With mlflow-secrets-auth: exec -- the MLflow Java client (no credential of its own)"
"$root/bin/mlflow-secrets-auth" exec -- "${JAVA:-java}" -cp "$(demo_jar)" io.github.mlflowsecretsauth.demo.ExecDemoClient

printf '\n✅ Keycloak demo complete: runs logged through nginx + Keycloak with a minted OAuth 2.0 token.\n'
