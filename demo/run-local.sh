#!/usr/bin/env bash
# The seed's Vault + nginx + MLflow demo on a machine without Docker: the testkit's Vault and MLflow
# servers, Debian's nginx, and the project's CLI and Java client. See demo/README.md.
#   AUTH_MODE=basic|bearer|both (default both); DEMO_SECRET_PASSWORD / DEMO_SECRET_TOKEN seed a different
#   (for example wrong) credential into Vault, to see how a failure reads.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
jar() { ls "$root"/demo/app/target/mlflow-secrets-auth-demo-*-all.jar 2>/dev/null | head -n 1 || true; }

"$root/scripts/install-prerequisites.sh"
if [ -z "$(jar)" ] || [ -z "$(ls "$root"/cli/target/mlflow-secrets-auth-cli-*-all.jar 2>/dev/null)" ]; then
  echo "Building the project (first run only)..."
  (cd "$root" && mvn -B -q -DskipTests package)
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "❌ nginx is not installed: apt-get install nginx (the demo puts a real nginx in front of MLflow)" >&2
  exit 1
fi

exec java -jar "$(jar)" "$root" 2>&1
