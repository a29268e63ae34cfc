#!/usr/bin/env bash
# `make test`: installs what is missing, starts PostgreSQL and Redis on loopback, runs the linters,
# the migration and deployment checks, the whole suite against them in parallel (real database,
# broker and browser), the engine-dependent tests again on SQLite, the tests that read the clock
# again with the clock moved 400 days ahead (tests/clock.py), then a smoke test of the embedded
# default; says how many tests ran in each run and stops the servers whatever happened.
# TEST_CLOCK_SHIFT=400d (or 12h, 90m…) runs the whole suite with the clock moved instead;
# TEST_WORKERS=1 runs it in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

scripts/system-packages.sh postgresql redis-server chromium chromium-driver gettext curl faketime

export PG_PORT="${PG_PORT:-54329}" REDIS_PORT="${REDIS_PORT:-63799}"
services_dir="$(mktemp -d /tmp/accelerator-services.XXXXXX)"
trap 'scripts/services.sh stop "$services_dir"' EXIT
scripts/services.sh start "$services_dir"

# Through the server's Unix socket: a query's round trip takes a third of loopback TCP's.
export DATABASE_URL="postgres://accelerator:accelerator@:$PG_PORT/accelerator?host=$services_dir/pg"
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
  ALLOWED_HOSTS=accelerator.example SITE_URL=https://accelerator.example \
  $BIN/python manage.py check --deploy --fail-level WARNING

echo "== import layers"
$BIN/lint-imports

# Each pytest run appends "<passed> <database> <clock>" here (tests/clock.py).
runs="$services_dir/runs.txt"
export TEST_RUN_SUMMARY="$runs"
# One PostgreSQL database per worker (pytest-django names them test_accelerator_gw0, _gw1...),
# made by the first run and kept for the moved-clock run (--reuse-db): same code, same schema.
parallel=(-n "${TEST_WORKERS:-auto}" --dist loadfile)
reuse=(--reuse-db)
readers="$services_dir/clock_readers.txt"
clock_shift="${TEST_CLOCK_SHIFT:-}"

if [ -n "${FIND_CLOCK_READERS:-}" ]; then
  # `make clock-tests`: which tests read the clock outside time_machine, into the committed list.
  $BIN/pytest "${parallel[@]}" --clock-readers=tests/clock_readers.txt "$@"
  exit 0
fi

if [ -n "$clock_shift" ]; then
  export TEST_CLOCK_SHIFT="$clock_shift"
  echo "== pytest on PostgreSQL, the whole suite with the clock moved $clock_shift ahead"
  $BIN/pytest "${parallel[@]}" "${reuse[@]}" "$@"
else
  echo "== pytest on PostgreSQL (noting the tests that read the clock outside time_machine)"
  $BIN/pytest "${parallel[@]}" "${reuse[@]}" --clock-readers="$readers" "$@"
  unlisted="$(LC_ALL=C comm -23 "$readers" tests/clock_readers.txt)"
  if [ -n "$unlisted" ]; then
    echo "These tests read the clock outside time_machine and are not in tests/clock_readers.txt:"
    echo "$unlisted"
    echo "The run with the clock moved takes them all the same; \`make clock-tests\` lists them."
  fi
fi

sqlite_run() {
  # Files and broker of its own: it may run beside the moved-clock run, whose sweeps would
  # take this run's fresh files for year-old ones and whose worker would take its tasks.
  mkdir -p "$services_dir/var-sqlite"
  DATABASE_URL="sqlite:///$services_dir/both-databases.sqlite3" VAR_DIR="$services_dir/var-sqlite" \
    CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/1" \
    $BIN/pytest "${parallel[@]}" -m both_databases "$@"
}

if [ -n "$clock_shift" ]; then
  echo "== pytest on SQLite: the tests whose behaviour differs by engine (marked both_databases)"
  sqlite_run "$@"
else
  # The two shorter runs side by side: each spends seconds starting (workers, collection, a
  # database) while the other's tests use the processors. The SQLite run's output follows.
  sqlite_log="$services_dir/sqlite.log"
  sqlite_run "$@" >"$sqlite_log" 2>&1 &
  sqlite_pid=$!
  echo "== pytest with the clock moved 400 days ahead: the tests that read it (tests/clock_readers.txt)"
  # The committed list and what this run found: a new test is never left out.
  LC_ALL=C sort -u tests/clock_readers.txt "$readers" >"$services_dir/moved_clock_tests.txt"
  moved_status=0
  TEST_CLOCK_SHIFT=400d $BIN/pytest "${parallel[@]}" "${reuse[@]}" \
    "@$services_dir/moved_clock_tests.txt" || moved_status=$?
  sqlite_status=0
  wait "$sqlite_pid" || sqlite_status=$?
  echo "== pytest on SQLite: the tests whose behaviour differs by engine (marked both_databases)"
  cat "$sqlite_log"
  if [ "$moved_status" -ne 0 ] || [ "$sqlite_status" -ne 0 ]; then
    echo "make test fails: moved-clock run exited $moved_status, SQLite run $sqlite_status." >&2
    exit 1
  fi
fi

echo "== what ran"
expected=("PostgreSQL ${clock_shift:-real}" "SQLite ${clock_shift:-real}")
[ -z "$clock_shift" ] && expected+=("PostgreSQL 400d")
for run in "${expected[@]}"; do
  passed="$(awk -v run="$run" '$2" "$3 == run { total += $1 } END { print total + 0 }' "$runs")"
  echo "$passed tests passed on ${run% *}, clock: ${run#* }."
  # A run that ran nothing exits 0 and would pass quietly: refuse it.
  if [ "$passed" -eq 0 ]; then
    echo "No test ran on ${run% *} with the clock ${run#* }: make test fails." >&2
    exit 1
  fi
done

echo "== smoke test of the embedded default (make run)"
scripts/smoke.sh

echo "make test passed in $(( $(date +%s) - started )) s."
