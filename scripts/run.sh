#!/usr/bin/env bash
# `make run`: migrate, then serve the app with a Celery worker and beat; Ctrl-C stops them all.
# Embedded default (SQLite, filesystem broker, emails printed here) unless DATABASE_URL and
# CELERY_BROKER_URL name PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-accelerator.settings.dev}"
PORT="${PORT:-8000}"
# The links of emails the worker writes (reminders, decisions, offers) lead to this server.
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py createcachetable
# The Station F calls, a demo cohort open now and demo accounts (README.md); create-only.
$PY manage.py load_station_f --demo

worker_pid=""
server_pid=""
stop() {
  trap - EXIT INT TERM
  # runserver's autoreloader serves from a child process: stop the child, then the parent.
  for pid in $server_pid $worker_pid; do
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  exit 0
}
trap stop EXIT INT TERM

# One process runs the worker and beat; the solo pool is enough for a laptop.
beat_state="$($PY -c 'from django.conf import settings; import django; django.setup(); print(settings.CELERY_BEAT_SCHEDULE_FILENAME)')"
.venv/bin/celery -A accelerator worker --beat --pool=solo --loglevel=INFO \
  --schedule="$beat_state" &
worker_pid=$!

echo "Serving on http://127.0.0.1:$PORT/ (Ctrl-C stops the web server, the worker and beat)"
echo "Emails written by the worker link to $SITE_URL"
$PY manage.py runserver "127.0.0.1:$PORT" &
server_pid=$!
wait "$server_pid"
