#!/usr/bin/env bash
# `scripts/services.sh start|stop DIR`: PostgreSQL and Redis for the test suite, on loopback, on
# ports of their own (PG_PORT, REDIS_PORT), with their data in the throwaway folder DIR.
# PostgreSQL refuses to run as root, so it runs as the postgres user on a folder it owns.
set -euo pipefail
action="$1"
dir="$2"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_postgres=()
[ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --)

case "$action" in
  start)
    mkdir -p "$dir/pg" "$dir/redis"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir/pg" && chmod 755 "$dir"
    "${as_postgres[@]}" "$pg_bin/initdb" --pgdata="$dir/pg" --username=postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # Durability is pointless for a throwaway test database; speed is not.
    if ! "${as_postgres[@]}" "$pg_bin/pg_ctl" --pgdata="$dir/pg" --wait --silent \
      --log="$dir/pg/server.log" \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir/pg -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start; then
      # Say why (a port still taken, shared memory…): CI shows nothing else.
      cat "$dir/pg/server.log" >&2 || true
      exit 1
    fi
    psql=(psql --quiet --host=127.0.0.1 --port="$PG_PORT" --username=postgres -v ON_ERROR_STOP=1)
    # CREATEROLE: a test creates the role production's web, worker and beat run as
    # (deploy/app_role.sql) and shows what it cannot do to the decision record.
    "${psql[@]}" -c "CREATE ROLE accelerator LOGIN CREATEDB CREATEROLE PASSWORD 'accelerator'" postgres
    "${psql[@]}" -c "CREATE DATABASE accelerator OWNER accelerator" postgres
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$dir/redis" \
      --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" --save '' --appendonly no
    for _ in $(seq 50); do
      redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    redis-cli -p "$REDIS_PORT" ping >/dev/null
    echo "PostgreSQL on 127.0.0.1:$PG_PORT and Redis on 127.0.0.1:$REDIS_PORT are up."
    ;;
  stop)
    if [ -f "$dir/pg/postmaster.pid" ]; then
      "${as_postgres[@]}" "$pg_bin/pg_ctl" --pgdata="$dir/pg" --mode=immediate --silent stop || true
    fi
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    # Only ever delete a folder this script made.
    if [ -d "$dir/pg" ] && [ -d "$dir/redis" ]; then
      rm -rf "$dir"
    fi
    echo "PostgreSQL and Redis stopped."
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
