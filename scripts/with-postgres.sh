#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on loopback (temp dir, own port) and
# OEPRE_TEST_POSTGRES_URL pointing at it; stops and removes the cluster afterwards.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL absent : les tests PostgreSQL seront ignorés (échec en CI)." >&2
  exec "$@"
fi
PGROOT=$(mktemp -d /tmp/oepre-pg.XXXXXX)
PGPORT=${PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGROOT"
as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
  -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
stop() { as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }
trap stop EXIT
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres oepre_test
export OEPRE_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/oepre_test"
"$@"
