#!/usr/bin/env bash
# make -C demo keycloak-down: stops what keycloak-up started (its one JVM, whose shutdown stops Keycloak and nginx).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if running; then
  pid="$(cat "$state/pid")"
  kill -TERM "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5 # waiting for Keycloak and nginx to stop
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
  fi
  echo "Stopped the Keycloak demo (pid $pid)."
else
  echo "The Keycloak demo is not running."
fi
rm -rf "$state"
