#!/bin/sh
# Asks the proxy's health endpoint on loopback: the container's HEALTHCHECK and the Kubernetes probes.
#
#   healthcheck.sh [--live] [PORT]      PORT defaults to 5001
#
# Exit 0 when the proxy answers 200 (its credential is usable); with --live, when it answers at all (the
# process serves; a 503 during a secret backend's outage is not a reason to restart it). Exit 1 otherwise.
# The client token, when the proxy needs one, is read from /run/secrets/mlflow-secrets-auth/client-token
# or MLFLOW_SECRETS_PROXY_CLIENT_TOKEN and handed to curl on its standard input, never on its command line.
set -eu

fail_on_status=--fail
if [ "${1:-}" = "--live" ]; then
  fail_on_status=
  shift
fi
port="${1:-5001}"

token_file=/run/secrets/mlflow-secrets-auth/client-token
token=
if [ -r "$token_file" ]; then
  token="$(cat "$token_file")"
elif [ -n "${MLFLOW_SECRETS_PROXY_CLIENT_TOKEN:-}" ]; then
  token="$MLFLOW_SECRETS_PROXY_CLIENT_TOKEN"
fi

{
  if [ -n "$token" ]; then
    printf 'header = "Authorization: Bearer %s"\n' "$token"
  fi
} | curl --silent --show-error $fail_on_status --output /dev/null --max-time 4 --config - \
    "http://127.0.0.1:${port}/__mlflow-secrets-auth/health" || exit 1
