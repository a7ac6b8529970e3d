# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench install install-dev browser-deps lint format messages clean

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's python3-venv..."; \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; \
	    $(PYTHON) -m venv $(VENV); \
	  else \
	    echo "Python's venv module is missing: run 'sudo apt-get install python3-venv', then retry."; \
	    exit 1; \
	  fi; }

$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Migrate, load the demo story (DEMO=0 leaves it out), load the programme and bodies, create
# demo accounts, then serve the app and the django-q2 cluster together (config/run.py):
# Ctrl-C or SIGTERM stops both, and if either stops by itself (the port is taken) so does the
# other, and make fails. Data is kept between runs. The story comes first: it loads the
# programme and the accounts itself, dated on its first day, and on a database set up before
# (or with the story already there) it only says so.
DEMO ?= 1
run: install
	$(PY) manage.py migrate --noinput
	@if [ "$(DEMO)" != 0 ]; then $(PY) manage.py load_demo_story; fi
	$(PY) manage.py load_reference_data
	$(PY) manage.py sync_permissions
	$(PY) manage.py create_demo_accounts
	$(PY) manage.py sync_schedules
	@echo "Serving http://$(HOST):$(PORT)/ with the task cluster; Ctrl-C stops both."
	@$(PY) config/run.py $(HOST):$(PORT)

# What the browser tests drive: Debian's Chromium (installed when we are root with apt-get;
# Playwright's own browser download cannot work on these machines) and axe-core from npm,
# pinned in package-lock.json. Without them the browser tests skip locally and fail in CI.
browser-deps:
	@if ! command -v pdftoppm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's poppler-utils (pdftoppm) for the report layout tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	fi
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's npm for the accessibility checks..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  fi; \
	  if command -v npm >/dev/null; then npm ci --silent; \
	  else echo "npm is missing: the accessibility checks need it ('apt-get install npm')."; fi; \
	fi

# The whole suite: lint, format, the layers (import-linter), migrations in step with models,
# then every test, the browser tests among them, on JOBS parallel workers (one database each;
# JOBS=0 runs in one process).
# SQLite by default; PostgreSQL when DATABASE_URL is set. TESTS picks what runs, as pytest
# arguments: TESTS="-m database", TESTS=tasks/tests/test_status.py.
JOBS ?= auto
TESTS ?=
test: install-dev browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(JOBS) --dist loadgroup $(TESTS)

# The benchmark: a synthetic province on PostgreSQL (DATABASE_URL, or nq23_bench on the local
# server), each hot path measured; results in bench/results.json and docs/benchmark.md's table.
# It needs Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/12, a database it clears),
# Debian's wrk for page throughput and Chromium for the PDF comparison (installed when we are
# root with apt-get).
bench: install-dev browser-deps
	@if ! command -v wrk >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's wrk for the page throughput..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi
	$(PY) bench/run.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install-dev
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=node_modules --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
