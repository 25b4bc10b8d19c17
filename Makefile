# The portal's two everyday commands: `make run` (the demo, on SQLite unless
# DATABASE_URL says otherwise) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python 3.12+ found: pyenv's (per .python-version), then the PATH.
PYTHON_BOOTSTRAP := $(shell for c in "$$(pyenv which python 2>/dev/null)" python3.13 python3.12 python3; do \
	p=$$(command -v "$$c" 2>/dev/null) || continue; \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; break; }; \
	done)

.PHONY: run test install install-dev migrate worker server lint format messages check-messages clean validators

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON_BOOTSTRAP)" ]; then \
		echo "Python 3.12 or newer is needed and none was found (tried pyenv, python3.13, python3.12, python3)."; \
		echo "Install Python 3.12+ (for example 'pyenv install 3.12') and run make again."; \
		exit 1; fi
	@test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

# E-mailed links and the printed addresses follow HOST and PORT, unless
# PORTAL_SITE_URL names another public address.
run: export PORTAL_SITE_URL ?= http://$(HOST):$(PORT)
run: migrate
	$(PY) manage.py seed_demo
	@echo "Starting the workers, the scheduler and the server on http://$(HOST):$(PORT)/ (Ctrl-C stops all)"
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py db_worker --interval 0.5 & \
	$(PY) manage.py db_worker --interval 0.5 --queue-name imports & \
	$(PY) manage.py crontask --no-heartbeat & \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# The W3C Nu HTML Checker, which the demo walk passes every page and e-mail
# through (tests/demo/nu.py). Needs Java 17+ (Debian: default-jre-headless)
# and npm, once, to fetch the published jar; `make test` skips those checks
# when it is absent (CI requires it).
VNU_VERSION := 26.9.27
VALIDATORS := var/validators
validators: $(VALIDATORS)/vnu.jar

$(VALIDATORS)/vnu.jar:
	@mkdir -p $(VALIDATORS)
	cd $(VALIDATORS) && npm pack --silent vnu-jar@$(VNU_VERSION) >/dev/null \
		&& tar -xzf vnu-jar-$(VNU_VERSION).tgz package/build/dist/vnu.jar \
		&& mv package/build/dist/vnu.jar vnu.jar && rm -rf package vnu-jar-$(VNU_VERSION).tgz

# The README's phone screenshots (docs/screenshots/*.png), taken from a fresh
# demo in a temporary folder; needs chromium (apt-get install chromium).
.PHONY: screenshots
screenshots: install-dev
	$(PY) docs/screenshots/make_screenshots.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the catalogues (every site language but English, whose text is the
# msgids) from the code and compile them. The compiled .mo files are
# committed, so a fresh machine needs no gettext tools to serve them.
LOCALES := ar fr
messages: install-dev
	$(PY) manage.py makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --no-location -i ".venv/*" -i "static/*" -i "var/*" -i "staticfiles/*"
	$(PY) manage.py compilemessages $(addprefix -l ,$(LOCALES)) --ignore ".venv/*"

check-messages: install-dev
	$(PY) -m tests.check_catalogue

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
