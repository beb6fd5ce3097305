#!/bin/sh
# Writes demo/auth/htpasswd, the file nginx checks in AUTH_MODE=basic: user mlflow-user with password
# secure-password-123 (the pair scripts/seed_vault.sh stores in Vault), hashed with apr1 (Apache
# MD5), a scheme nginx's auth_basic reads. Uses `openssl passwd -apr1`, or Apache's `htpasswd` when
# openssl is missing. Idempotent: a file that already verifies for this user and password is kept.
set -eu

user=mlflow-user
password=secure-password-123

auth_dir="$(cd "$(dirname "$0")/.." && pwd -P)/auth"
file="$auth_dir/htpasswd"

if [ -d "$file" ]; then
  # Docker creates a directory when it bind-mounts a missing file; nginx cannot use that.
  echo "htpasswd_gen: $file is a directory (left by an earlier docker run?); remove it and run again" >&2
  exit 1
fi

apr1() { # apr1 SALT: prints the hash of $password; the password goes on stdin, not the command line
  printf '%s\n' "$password" | openssl passwd -apr1 -salt "$1" -stdin
}

if [ -f "$file" ]; then
  hash="$(sed -n "s/^$user://p" "$file" | head -n 1)"
  case "$hash" in
    '$apr1$'*)
      salt="$(printf '%s' "$hash" | cut -d '$' -f 3)"
      if command -v openssl >/dev/null 2>&1 && [ "$(apr1 "$salt")" = "$hash" ]; then
        echo "htpasswd_gen: $file is up to date (user $user)"
        exit 0
      fi
      ;;
  esac
  if command -v htpasswd >/dev/null 2>&1 && htpasswd -vb "$file" "$user" "$password" >/dev/null 2>&1; then
    echo "htpasswd_gen: $file is up to date (user $user)"
    exit 0
  fi
fi

mkdir -p "$auth_dir"
tmp="$(mktemp "$auth_dir/.htpasswd.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
if command -v openssl >/dev/null 2>&1; then
  salt="$(openssl rand -base64 6 | tr -dc 'A-Za-z0-9' | cut -c 1-8)"
  [ -n "$salt" ] || salt=mlflowdm
  printf '%s:%s\n' "$user" "$(apr1 "$salt")" > "$tmp"
elif command -v htpasswd >/dev/null 2>&1; then
  htpasswd -nbm "$user" "$password" | sed '/^$/d' > "$tmp"
else
  echo "htpasswd_gen: neither openssl nor htpasswd (apache2-utils) is installed" >&2
  exit 1
fi
# nginx's worker (user nginx in the container) must read it; it holds only a hash of a demo password.
chmod 644 "$tmp"
mv "$tmp" "$file"
trap - EXIT
echo "htpasswd_gen: wrote $file (user $user)"
