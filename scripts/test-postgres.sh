#!/usr/bin/env bash
# Starts (or stops) a throw-away PostgreSQL for the tests on 127.0.0.1, from Debian's postgresql package.
#   scripts/test-postgres.sh start <dir> <port>   -> prints the JDBC URL; user/password: mqtt/mqtt, database: mqtt
#   scripts/test-postgres.sh stop <dir>
# Runs the server as the 'postgres' OS user (initdb refuses root). Used by .ci/run; developers may run it by hand.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data directory}; port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='mqtt'" | grep -q 1 \
      || as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -c "CREATE ROLE mqtt LOGIN PASSWORD 'mqtt'" >/dev/null
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='mqtt'" | grep -q 1 \
      || as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE mqtt OWNER mqtt" >/dev/null
    echo "jdbc:postgresql://127.0.0.1:$port/mqtt"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop <dir> [port]" >&2; exit 2 ;;
esac
