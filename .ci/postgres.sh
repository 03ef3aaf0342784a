#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server owned by the postgres user on 127.0.0.1 and exports
# LEADERLESS_TEST_POSTGRES (an Npgsql connection string) for the tests. Installs the server when it is missing.
PG_PORT="${PG_PORT:-55432}"
PG_DIR="${PG_DIR:-/tmp/leaderless-ci-postgres}"

find_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start_private_postgres() {
  local bin
  bin="$(find_pg_bin)"
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "Installing PostgreSQL server..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin="$(find_pg_bin)"
  fi
  id postgres >/dev/null 2>&1 || useradd --system --create-home postgres
  rm -rf "$PG_DIR" && mkdir -p "$PG_DIR" && chown postgres "$PG_DIR"
  su postgres -c "$bin/initdb -D $PG_DIR/data -U postgres --auth=trust -E UTF8 >/dev/null"
  su postgres -c "$bin/pg_ctl -D $PG_DIR/data -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on' -l $PG_DIR/log -w start >/dev/null"
  export LEADERLESS_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
  echo "PostgreSQL $($bin/postgres --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

stop_private_postgres() {
  local bin
  bin="$(find_pg_bin)"
  [ -n "$bin" ] && su postgres -c "$bin/pg_ctl -D $PG_DIR/data -m immediate stop >/dev/null 2>&1" || true
}
