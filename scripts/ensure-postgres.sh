#!/usr/bin/env bash
# Runs before `npm test`: the PostgreSQL backend's tests need a real server. With TEST_DATABASE_URL
# or DATABASE_URL set they use that one; otherwise they start a throw-away cluster from Debian's
# PostgreSQL packages (test/support/postgres.ts), installed here when missing and we may.
set -euo pipefail
[ -n "${TEST_DATABASE_URL:-}${DATABASE_URL:-}" ] && exit 0
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the database tests (one time)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  exit 0
fi
echo "The database tests need PostgreSQL: run 'sudo apt-get install postgresql', or set TEST_DATABASE_URL to a database they may use." >&2
exit 1
