#!/usr/bin/env bash
# Installs what the tests and the local demo need on a fresh Debian machine: Maven, nginx (the end-to-end tests
# and the demo start their own nginx; none runs as a service), nginx's njs module (the front that checks a Keycloak
# token's audience) and jq (the release's licence list). Does nothing when all are present.
set -euo pipefail

need_apt=()
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v jq >/dev/null 2>&1 || need_apt+=(jq)
# Debian puts nginx in /usr/sbin, which a non-root PATH often lacks.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  need_apt+=(nginx)
fi
[ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] || need_apt+=(libnginx-mod-http-js)
[ ${#need_apt[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need: ${need_apt[*]}. Install them with: sudo apt-get install ${need_apt[*]}" >&2
  exit 1
fi
echo "Installing ${need_apt[*]} from Debian's packages..." >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
# The nginx package may start a system nginx on port 80; the tests start their own, so stop it.
if command -v service >/dev/null 2>&1; then service nginx stop >/dev/null 2>&1 || true; fi
