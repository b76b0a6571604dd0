# The Civic Center Portal. `make run` serves it with demo data; `make test` runs every test.
# Both work on a fresh clone: they create .venv and, without DATABASE_URL, an embedded
# PostgreSQL under var/. See README.md.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes (pytest-xdist): one per CPU by default; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup run test test-fast serve migrate seed messages translations stop-db check lint clean

help:
	@echo "make run        serve the portal with demo data on http://127.0.0.1:$(PORT)/"
	@echo "make test       run every test (unit and browser)"
	@echo "make serve      serve it as in production: gunicorn + whitenoise, DEBUG off"
	@echo "make messages   update locale/*.po from the code and templates (needs GNU gettext)"
	@echo "make stop-db    stop the embedded PostgreSQL"
	@echo "make lint       ruff"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: browser tests will skip (axe-core is installed with npm)."; \
	fi

translations: $(VENV)/.installed
	$(PY) -m civiccenter.lib.compile_translations

setup: $(VENV)/.installed translations

migrate: setup
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input

seed: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

# The notification worker runs beside the web server and stops with it.
run: seed
	DEBUG=$${DEBUG:-1} sh -c '$(PY) manage.py send_notifications --loop & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)'

test: setup $(VENV)/.installed-test
	@$(MAKE) --no-print-directory node_modules/.installed
	DEBUG=$${DEBUG:-1} $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-fast: setup $(VENV)/.installed-test
	DEBUG=$${DEBUG:-1} $(PY) -m pytest -n $(TEST_WORKERS) --ignore=tests/e2e $(PYTEST_ARGS)

# Production serving, locally: DEBUG off, gunicorn, whitenoise with hashed names.
# Without TLS in front, HTTPS=0 keeps cookies usable over plain http. The notification worker
# runs beside gunicorn and is started again 5 s after it dies, whatever killed it (systemd's
# Restart=always in production, see README).
serve: setup
	@mkdir -p var
	@test -s var/local-secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/local-secret-key
	@# A new key first; then the development key, so that data written by `make run` stays readable.
	@test -s var/local-field-keys || $(PY) -c "from cryptography.fernet import Fernet; \
		from civiccenter.lib.crypto import development_key; from civiccenter.lib.env import DEVELOPMENT_SECRET_KEY; \
		print(Fernet.generate_key().decode() + ',' + development_key(DEVELOPMENT_SECRET_KEY))" > var/local-field-keys
	DEBUG=0 HTTPS=$${HTTPS:-0} SECRET_KEY=$${SECRET_KEY:-$$(cat var/local-secret-key)} \
		FIELD_ENCRYPTION_KEYS=$${FIELD_ENCRYPTION_KEYS:-$$(cat var/local-field-keys)} \
		EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend} \
		SERVE_MEDIA=$${SERVE_MEDIA:-1} \
		ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} sh -c '\
		$(PY) manage.py collectstatic --no-input --verbosity 0 && \
		$(PY) manage.py migrate --no-input && \
		{ ( trap "kill \$$pid 2>/dev/null; exit 0" TERM; \
		    while :; do $(PY) manage.py send_notifications --loop & pid=$$!; wait $$pid; \
		      echo "make serve: the notification worker stopped (status $$?); starting it again in 5 s" >&2; \
		      sleep 5 & pid=$$!; wait $$pid; done ) & worker=$$!; \
		  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		  $(VENV)/bin/gunicorn --config gunicorn.conf.py; }'

messages: setup
	DEBUG=1 $(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore ".venv/*" --ignore "node_modules/*" --ignore "var/*" --ignore "tests/*"

stop-db: setup
	$(PY) -m civiccenter.lib.embedded_pg stop

check: setup
	DEBUG=$${DEBUG:-1} $(PY) manage.py check
	DEBUG=$${DEBUG:-1} $(PY) manage.py makemigrations --check --dry-run

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules test-output var/staticfiles
