#!/usr/bin/env bash
# make -C demo keycloak-up: starts Keycloak (realm mlflow, client mlflow-trainer), the demo's MLflow tracking server
# and an nginx in front of it that asks Keycloak about every token (active, and aud=mlflow-api), leaves them running
# in the background, and prints the URLs and the environment variables to use. Stop them with keycloak-down.
#   KEYCLOAK_HOME          a Keycloak 26 distribution to use (default: the one Maven unpacks into proxy/target/keycloak)
#   KEYCLOAK_TOKEN_LIFESPAN_SEC  the access tokens' lifespan (default 60)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if running; then
  step "Already running (pid $(cat "$state/pid")); make -C demo keycloak-down stops it"
else
  "$root/scripts/install-prerequisites.sh"
  if [ ! -r /usr/lib/nginx/modules/ngx_http_js_module.so ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "❌ nginx's njs module is not installed: sudo apt-get install libnginx-mod-http-js (the front checks tokens with it)" >&2
      exit 1
    fi
    echo "Installing libnginx-mod-http-js (njs, for the nginx front's token check)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnginx-mod-http-js >/dev/null
  fi
  if [ -z "$(demo_jar)" ] || [ -z "$(ls "$root"/cli/target/mlflow-secrets-auth-cli-*-all.jar 2>/dev/null)" ]; then
    step "Building the project (first run only)"
    (cd "$root" && mvn -B -q -DskipTests package)
  fi
  kc_home="${KEYCLOAK_HOME:-$(ls -d "$root"/proxy/target/keycloak/keycloak-*/ 2>/dev/null | head -n 1 || true)}"
  if [ -z "$kc_home" ]; then
    step "Unpacking Keycloak (org.keycloak:keycloak-quarkus-dist, as the tests do: mvn -pl proxy dependency:unpack)"
    (cd "$root" && mvn -B -q -pl proxy dependency:unpack@unpack-keycloak)
    kc_home="$(ls -d "$root"/proxy/target/keycloak/keycloak-*/ | head -n 1)"
  fi
  step "Starting Keycloak ($kc_home), the MLflow tracking server and nginx with the audience check"
  rm -rf "$state"
  mkdir -p "$state"
  chmod 700 "$state"
  java_bin="${JAVA:-java}"
  nohup "$java_bin" -cp "$(demo_jar)" io.github.mlflowsecretsauth.demo.KeycloakStack "$kc_home" "$state" \
    "${KEYCLOAK_TOKEN_LIFESPAN_SEC:-60}" >"$state/stack.log" 2>&1 </dev/null &
  echo $! >"$state/pid"
  for _ in $(seq 1 600); do
    [ -f "$state/ready" ] && break
    if ! running; then
      sed 's/^/    /' "$state/stack.log" >&2
      echo "❌ the stack did not start (log above)" >&2
      rm -f "$state/pid"
      exit 1
    fi
    sleep 0.5 # polling the child's readiness file
  done
  if [ ! -f "$state/ready" ]; then
    echo "❌ the stack was not ready within 300 s; see $state/stack.log, and make -C demo keycloak-down" >&2
    exit 1
  fi
  sed 's/^/    /' "$state/stack.log"
fi

step "Running"
sed 's/^/    /' "$state/urls"
step "Your environment: source it (or copy the lines), then run your training through exec"
say ". $state/env.sh"
sed 's/^/    /' "$state/env.sh" | grep '^    export'
say "$root/bin/mlflow-secrets-auth exec -- java -cp $(demo_jar) io.github.mlflowsecretsauth.demo.ExecDemoClient"
say "(or: ... exec -- python train.py)      stop everything with: make -C demo keycloak-down"
