# The Wandering Earth Archive: `make run` serves it, `make test` proves it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
AXE_DIR := $(VENV)/npm
PG_PROBE_URL := postgres://postgres@127.0.0.1:5432/postgres
SECRET_KEY_FILE := var/secret_key

# `make run` serves as production does (settings/local.py: the production
# settings over plain HTTP on this machine); `make dev` is runserver with DEBUG.
# The steps below take their settings from whichever of the two asked for them.
LOCAL_ENV = DJANGO_SETTINGS_MODULE=wanderingsite.settings.local \
  SECRET_KEY_FILE=$(CURDIR)/$(SECRET_KEY_FILE) \
  ALLOWED_HOSTS=$(HOST),127.0.0.1,localhost \
  WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT)
DEV_ENV = DJANGO_SETTINGS_MODULE=wanderingsite.settings.dev \
  WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT)
ENV = $(LOCAL_ENV)
dev: ENV = $(DEV_ENV)

.PHONY: install install-test run dev test lint load users static faults cluster bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@test -f $(AXE_DIR)/node_modules/axe-core/axe.min.js || \
	  npm install --silent --no-audit --no-fund --prefix $(AXE_DIR) axe-core@4.11.4
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei; \
	  else echo "Chromium is missing: apt-get install chromium fonts-wqy-zenhei"; fi; }

# A secret key for this machine, made once, readable by its owner only.
$(SECRET_KEY_FILE): | $(BIN)/python
	@mkdir -p $(dir $@)
	@umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

load: install $(SECRET_KEY_FILE)
	$(ENV) $(BIN)/python manage.py migrate --no-input
	$(ENV) $(BIN)/python manage.py load_archive
	$(ENV) $(BIN)/python manage.py set_site_address

users: install
	$(ENV) $(BIN)/python manage.py create_local_users

static: install
	$(ENV) $(BIN)/python manage.py collectstatic --no-input --verbosity 0

run: load users static
	$(ENV) HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c python:wanderingsite.gunicorn wanderingsite.wsgi

dev: load users
	$(ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# PostgreSQL when one answers (DATABASE_URL, or 127.0.0.1:5432 as postgres), else SQLite.
test: install-test
	@if [ -z "$$DATABASE_URL" ] && $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_PROBE_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/wanderingsite; fi; \
	if [ -n "$$DATABASE_URL" ]; then echo "make test: running against PostgreSQL ($${DATABASE_URL%%\?*})"; \
	else echo "make test: no PostgreSQL answered; running against SQLite"; fi; \
	AXE_PATH=$(CURDIR)/$(AXE_DIR)/node_modules/axe-core/axe.min.js $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Faults survived, on a private PostgreSQL cluster (not part of `make test`).
faults: install
	$(BIN)/python benchmarks/faults.py

# Two servers, Varnish, Redis, a PostgreSQL primary and replica (not part of `make test`).
cluster: install
	@command -v varnishd >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq varnish; }
	$(BIN)/python benchmarks/cluster.py

# Pages against a static file on the production server (not part of `make test`):
# DATABASE_URL for an archive of your own (e.g. grown with grow_archive), else a
# fresh one; BENCH_ARGS for wrk's settings (benchmarks/README.md).
bench: install
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
