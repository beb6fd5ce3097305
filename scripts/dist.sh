#!/usr/bin/env bash
# Builds the release files from a packaged CLI jar: called by the release module (mvn package) and so by `make dist`.
#   scripts/dist.sh --jar CLI-ALL.jar --version V --sbom CYCLONEDX.json [--list DEPENDENCY-LIST.txt] --out DIR
# THIRD-PARTY.txt comes from the CycloneDX bill of materials (with licences); when the build ran offline there is
# none, and the dependency plugin's list (no licences) is used instead.
# writes DIR/mlflow-secrets-auth-V.tar.gz (bin/, lib/, LICENSE, THIRD-PARTY.txt, README.txt) and
# DIR/mlflow-secrets-auth_DEBVERSION_all.deb (installs /usr/bin/mlflow-secrets-auth). Needs tar and gzip; without
# dpkg-deb it writes the tarball only, and without jq it lists the libraries without their licences (with a warning).
set -euo pipefail

fail() { echo "dist: error: $*" >&2; exit 1; }
jar="" version="" sbom="" list="" out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --sbom) sbom="$2"; shift 2 ;;
    --list) list="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) fail "unknown argument '$1'; use --jar, --version, --sbom and --out" ;;
  esac
done
[ -f "$jar" ] || fail "--jar: no CLI jar at '$jar'; build it with 'mvn -pl cli -am package'"
[ -n "$version" ] || fail "--version is required"
[ -f "$sbom" ] || [ -f "$list" ] || fail "--sbom: no CycloneDX file at '$sbom' (and no --list); 'mvn -pl release -am package' online writes it"
[ -n "$out" ] || fail "--out is required"
for tool in tar gzip; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed (apt-get install $tool)"
done
if [ -f "$sbom" ] && ! command -v jq >/dev/null 2>&1; then
  [ -f "$list" ] || fail "jq is needed to read '$sbom' (apt-get install jq), or give --list"
  echo "dist: warning: no jq, so THIRD-PARTY.txt lists the libraries without their licences (apt-get install jq)" >&2
  sbom=""
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
name="mlflow-secrets-auth-$version"
# Same input, same bytes: file times come from the last commit (or SOURCE_DATE_EPOCH), owners are root.
epoch="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}"
mkdir -p "$out"
out="$(cd "$out" && pwd -P)"
stage="$out/$name"
rm -rf "$stage" "$out/deb-root"
mkdir -p "$stage/bin" "$stage/lib"

install -m 0755 "$root/bin/mlflow-secrets-auth" "$stage/bin/mlflow-secrets-auth"
install -m 0644 "$jar" "$stage/lib/mlflow-secrets-auth.jar"
if [ -f "$root/LICENSE" ]; then
  install -m 0644 "$root/LICENSE" "$stage/LICENSE"
else
  printf '%s\n' "mlflow-secrets-auth $version" "" \
    "The source tree this release was built from carries no LICENSE file yet." \
    "The licences of the third-party libraries inside lib/mlflow-secrets-auth.jar are listed in THIRD-PARTY.txt." \
    > "$stage/LICENSE"
fi

{
  if [ -n "$sbom" ] && [ -f "$sbom" ]; then
    echo "Third-party libraries inside lib/mlflow-secrets-auth.jar (from the build's CycloneDX bill of materials)."
    echo "group:artifact:version  licence"
    echo
    jq -r '.components[] | select(.group != "io.github.mlflowsecretsauth")
           | "\(.group):\(.name):\(.version)  \([.licenses[]?.license | (.id // .name // .url)] | if length == 0 then "(no licence declared in its POM)" else join(" OR ") end)"' \
       "$sbom" | LC_ALL=C sort -u
  else
    echo "Third-party libraries inside lib/mlflow-secrets-auth.jar (group:artifact:type:version:scope)."
    echo "Built without the CycloneDX bill of materials (offline, or no jq): each library's licence is in its POM."
    echo
    sed -n 's/^ *\([^ :][^ ]*:[^ ]*:[^ ]*\).*$/\1/p' "$list" | grep -v '^The following' | LC_ALL=C sort -u
  fi
} > "$stage/THIRD-PARTY.txt"

cat > "$stage/README.txt" <<README
mlflow-secrets-auth $version

Fetches MLflow credentials from secret managers (Vault, AWS Secrets Manager, Azure Key Vault, Google Secret
Manager, environment variables), caches them and puts them on every MLflow request.

Needs Java 17 or newer on the PATH (or JAVA=/path/to/java). Run it from any folder:

  bin/mlflow-secrets-auth --version
  bin/mlflow-secrets-auth info
  bin/mlflow-secrets-auth doctor --dry-run https://mlflow.example.com

Put bin/ on your PATH, or link bin/mlflow-secrets-auth into it (the launcher follows the link). JVM options go in
MLFLOW_SECRETS_AUTH_JAVA_OPTS. The full documentation: docs/INSTALL.md and README.md in the project's repository.
Licences: LICENSE and THIRD-PARTY.txt.
README

find "$stage" -exec touch -h -d "@$epoch" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -C "$out" -cf - "$name" \
  | gzip -n -9 > "$out/$name.tar.gz"

if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "dist: warning: no dpkg-deb, so no Debian package (apt-get install dpkg); wrote $out/$name.tar.gz" >&2
  exit 0
fi

# The Debian package: the same tree under /usr/lib/mlflow-secrets-auth, the launcher linked from /usr/bin.
deb_version="${version//-/\~}"   # 0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT, which sorts before 0.1.0
deb="$out/deb-root"
mkdir -p "$deb/DEBIAN" "$deb/usr/lib/mlflow-secrets-auth" "$deb/usr/bin" "$deb/usr/share/doc/mlflow-secrets-auth"
cp -a "$stage/bin" "$stage/lib" "$deb/usr/lib/mlflow-secrets-auth/"
ln -s ../lib/mlflow-secrets-auth/bin/mlflow-secrets-auth "$deb/usr/bin/mlflow-secrets-auth"
install -m 0644 "$stage/LICENSE" "$deb/usr/share/doc/mlflow-secrets-auth/copyright"
install -m 0644 "$stage/THIRD-PARTY.txt" "$stage/README.txt" "$deb/usr/share/doc/mlflow-secrets-auth/"
size_kb="$(du -sk --exclude=DEBIAN "$deb" | cut -f 1)"
cat > "$deb/DEBIAN/control" <<CONTROL
Package: mlflow-secrets-auth
Version: $deb_version
Architecture: all
Section: utils
Priority: optional
Maintainer: mlflow-secrets-auth maintainers <noreply@mlflow-secrets-auth.invalid>
Depends: java17-runtime-headless | java21-runtime-headless | java25-runtime-headless
Installed-Size: $size_kb
Description: credentials from secret managers for MLflow clients
 Fetches MLflow credentials from Vault, AWS Secrets Manager, Azure Key Vault,
 Google Secret Manager or the environment, caches them and puts them on every
 MLflow request: info, doctor, exec, proxy and artifacts commands.
CONTROL
find "$deb" -exec touch -h -d "@$epoch" {} +
rm -f "$out"/mlflow-secrets-auth_*_all.deb
dpkg-deb --root-owner-group -Zxz --build "$deb" "$out/mlflow-secrets-auth_${deb_version}_all.deb" >/dev/null
rm -rf "$deb"
echo "dist: wrote $out/$name.tar.gz and $out/mlflow-secrets-auth_${deb_version}_all.deb"
