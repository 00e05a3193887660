#!/usr/bin/env bash
# Print the URL of a PostgreSQL server the tests may create databases on.
# 1. $SYNTHESIST_TEST_POSTGRES_URL if set; 2. a server on 127.0.0.1:5432 with trust auth (our machines);
# 3. otherwise install PostgreSQL from Debian's packages, start it, and give the postgres role a password.
set -euo pipefail
log() { echo "$*" >&2; }

if [ -n "${SYNTHESIST_TEST_POSTGRES_URL:-}" ]; then echo "$SYNTHESIST_TEST_POSTGRES_URL"; exit 0; fi

answers() { # $1 = URL
  .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
}

for url in "postgresql://postgres@127.0.0.1:5432/test" "postgresql://postgres@127.0.0.1:5432/postgres" \
           "postgresql://postgres:synthesist@127.0.0.1:5432/postgres"; do
  if answers "$url"; then echo "$url"; exit 0; fi
done

if [ "$(id -u)" -ne 0 ]; then
  log "No PostgreSQL answers on 127.0.0.1:5432 and this user cannot install one (not root)."
  log "Start one (trust auth, or set SYNTHESIST_TEST_POSTGRES_URL) and run make test again."
  exit 1
fi

if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  log "Installing PostgreSQL from Debian packages..."
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 2>&1 || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'synthesist'\"" >&2
url="postgresql://postgres:synthesist@127.0.0.1:5432/postgres"
if answers "$url"; then echo "$url"; exit 0; fi
log "PostgreSQL was started but does not accept $url"
exit 1
