# The two commands of README.md: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test install system-packages messages lock lint format clean

## make run: the app on http://127.0.0.1:$${PORT:-8000} with a Celery worker and beat.
run: install messages
	@scripts/run.sh

## make test: linters and the whole suite on real PostgreSQL, Redis and Chromium.
test: install messages
	@scripts/test.sh

install: $(VENV)/.installed

# Reinstalls only when the lock file changes, so a second `make run` starts in seconds.
$(VENV)/.installed: requirements.lock
	@$(PYTHON) -m ensurepip --version >/dev/null 2>&1 || scripts/system-packages.sh python3-venv
	@test -x $(BIN)/pip || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

messages: $(MO_FILES)

%.mo: %.po
	@command -v msgfmt >/dev/null || scripts/system-packages.sh gettext
	msgfmt --check-format -o $@ $<

## make lock: re-pin requirements.lock from the ranges in pyproject.toml.
lock:
	rm -rf /tmp/accelerator-lock && $(PYTHON) -m venv /tmp/accelerator-lock
	/tmp/accelerator-lock/bin/pip install --quiet --upgrade "pip>=25"
	$(PYTHON) scripts/dependencies.py > /tmp/accelerator-lock/requirements.in
	/tmp/accelerator-lock/bin/pip install --quiet -r /tmp/accelerator-lock/requirements.in
	(echo "# Pinned by \`make lock\` from the ranges in pyproject.toml; \`make run\` and \`make test\` install exactly these."; \
	 /tmp/accelerator-lock/bin/pip freeze --exclude-editable) > requirements.lock

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var $(VENV)
