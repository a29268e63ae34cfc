# The two commands of README.md: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test clock-tests install system-packages messages lock lint format clean

## make run: the app on http://127.0.0.1:$${PORT:-8000} with a Celery worker and beat.
run: install messages
	@scripts/run.sh

## make test: linters and the whole suite on real PostgreSQL, Redis and Chromium.
test: install messages
	@scripts/test.sh

## make clock-tests: rewrites tests/clock_readers.txt, the tests that read the clock outside
## time_machine, which `make test` runs again with the clock moved (with any new one it finds).
clock-tests: install messages
	@FIND_CLOCK_READERS=1 scripts/test.sh

install: $(VENV)/.installed

# Reinstalls only when the lock file changes, so a second `make run` starts in seconds. The
# development lock holds the runtime lock's pins plus the tools; every file is hash-checked.
$(VENV)/.installed: requirements-dev.lock
	@$(PYTHON) -m ensurepip --version >/dev/null 2>&1 || scripts/system-packages.sh python3-venv
	@test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements-dev.lock
	@touch $@

messages: $(MO_FILES)

%.mo: %.po
	@command -v msgfmt >/dev/null || scripts/system-packages.sh gettext
	msgfmt --check-format -o $@ $<

## make lock: re-pin both locks from the ranges in pyproject.toml, with hashes (pip-tools):
## requirements.lock (runtime, what the image installs) and requirements-dev.lock (the same
## pins plus the tools make run and make test use). Existing pins are kept unless a range
## excludes them; `make lock UPGRADE=1` moves every package to its newest allowed release.
PIP_COMPILE = /tmp/accelerator-lock/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--allow-unsafe --no-emit-find-links --no-emit-index-url --no-emit-trusted-host \
	$(if $(UPGRADE),--upgrade)
lock:
	rm -rf /tmp/accelerator-lock && $(PYTHON) -m venv /tmp/accelerator-lock
	/tmp/accelerator-lock/bin/pip install --quiet --upgrade "pip>=25" "pip-tools>=7.4"
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.lock --output-file requirements-dev.lock \
		pyproject.toml

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var $(VENV)
