#!/usr/bin/env bash
# Starts `make run` on a fresh var/ with no DATABASE_URL or CELERY_BROKER_URL (SQLite and the
# filesystem broker), waits for /healthz to say the database, the broker and the worker are ok
# (the worker records a heartbeat as it starts, so it turns ok within seconds; until then it is
# "stale", which is why the loop waits for ?require=worker to answer 200), then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
smoke_var="$(mktemp -d /tmp/accelerator-smoke.XXXXXX)"
port="${SMOKE_PORT:-8765}"
log="$smoke_var/run.log"

env -u DATABASE_URL -u CELERY_BROKER_URL VAR_DIR="$smoke_var/var" PORT="$port" \
  setsid make --no-print-directory run >"$log" 2>&1 &
run_pid=$!
cleanup() {
  kill -TERM -- "-$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  # make may exit before the worker and beat it started have finished stopping, and they still
  # write under var/ meanwhile ("Directory not empty" from rm): wait for the whole process
  # group to be gone (10 s at most, then KILL) before removing the folder.
  for _ in $(seq 20); do
    pgrep -g "$run_pid" >/dev/null || break
    sleep 0.5
  done
  kill -KILL -- "-$run_pid" 2>/dev/null || true
  rm -rf "$smoke_var"
}
trap cleanup EXIT

expected='{"database": "ok", "broker": "ok", "worker": "ok"}'
body=""
for _ in $(seq 120); do
  body="$(curl --silent --max-time 5 "http://127.0.0.1:$port/healthz?require=worker" || true)"
  [ "$body" = "$expected" ] && break
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 0.5
done
if [ "$body" != "$expected" ]; then
  echo "Smoke test failed: /healthz answered '$body'. make run printed:"
  cat "$log"
  exit 1
fi
home_status="$(curl --silent --output /dev/null --write-out '%{http_code}' "http://127.0.0.1:$port/")"
if [ "$home_status" != 200 ]; then
  echo "Smoke test failed: the home page answered $home_status."
  cat "$log"
  exit 1
fi
# Emails the worker writes (reminders, decisions, offers) must link to this server, not :8000.
if ! grep -qF "Emails written by the worker link to http://127.0.0.1:$port" "$log"; then
  echo "Smoke test failed: make run does not point the worker's email links at port $port."
  cat "$log"
  exit 1
fi
echo "Smoke test passed: make run serves the home page, /healthz is $body, emails link to :$port."
