#!/usr/bin/env bash
# `make test`: installs what is missing, starts PostgreSQL and Redis on loopback, runs the linters,
# the migration and deployment checks, the whole suite against them (real database, broker and
# browser), then a smoke test of the embedded default; stops the servers whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

scripts/system-packages.sh postgresql redis-server chromium chromium-driver gettext curl

export PG_PORT="${PG_PORT:-54329}" REDIS_PORT="${REDIS_PORT:-63799}"
services_dir="$(mktemp -d /tmp/accelerator-services.XXXXXX)"
trap 'scripts/services.sh stop "$services_dir"' EXIT
scripts/services.sh start "$services_dir"

export DATABASE_URL="postgres://accelerator:accelerator@127.0.0.1:$PG_PORT/accelerator"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export VAR_DIR="$services_dir/var"
BIN=.venv/bin

echo "== ruff"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== migrations"
DJANGO_SETTINGS_MODULE=accelerator.settings.test $BIN/python manage.py makemigrations --check --dry-run

echo "== check --deploy (production settings)"
DJANGO_SETTINGS_MODULE=accelerator.settings.production \
  SECRET_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')" \
  ALLOWED_HOSTS=accelerator.example \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== import layers"
$BIN/lint-imports

echo "== pytest"
$BIN/pytest "$@"

echo "== pytest on SQLite: the tests whose behaviour differs by engine (marked both_databases)"
DATABASE_URL="sqlite:///$services_dir/both-databases.sqlite3" $BIN/pytest -m both_databases "$@"

echo "== smoke test of the embedded default (make run)"
scripts/smoke.sh

echo "make test passed in $(( $(date +%s) - started )) s."
