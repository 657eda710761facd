# The two commands: `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
PIP := $(BIN)/python -m pip install --disable-pip-version-check --quiet

.PHONY: run test e2e serve backup restore audit load bench lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## run: install, migrate, load the seed into an empty database, serve on $(HOST)
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bootstrap --address $(HOST)
	$(BIN)/python manage.py runserver $(HOST)

## test: lint, check migrations, run every test (SQLite, or DATABASE_URL)
test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

## e2e: only the browser journeys in headless Chromium (/usr/bin/chromium);
## screenshots in test-artifacts/e2e/. Skipped without Chromium unless E2E_REQUIRED=1.
e2e: $(VENV)/.dev
	$(BIN)/python -m pytest tests/e2e

## serve: the production configuration under gunicorn and WhiteNoise (needs
## DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; see README)
serve: export DJANGO_DEBUG = 0
serve: $(VENV)/.runtime
	$(BIN)/python manage.py check --deploy --fail-level ERROR
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn foreignaffairs.wsgi -c foreignaffairs/gunicorn.conf.py

## backup: database (pg_dump custom format, or a copy of SQLite) and media, to backups/
backup: $(VENV)/.runtime
	$(BIN)/python manage.py backup

## restore: make restore BACKUP=backups/<name> (replaces the database and media)
restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/<name>" >&2; exit 2)
	$(BIN)/python manage.py restore "$(BACKUP)" --yes $(ARGS)

## load: 50 clients for 60 s against gunicorn (needs wrk; PostgreSQL by default)
load: $(VENV)/.runtime
	loadtest/run

## bench: build the benchmark database (DATABASE_URL, name containing "bench") and
## time each heavy path next to its anchor; BENCH_ARGS="--scale small" etc.
bench: $(VENV)/.runtime
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## audit: bandit on our code; pip-audit on the pinned dependencies
audit: $(VENV)/.dev
	$(BIN)/bandit -q -r partnerships foreignaffairs -x partnerships/migrations -ll
	$(BIN)/pip-audit --vulnerability-service pypi --requirement requirements.txt \
		--no-deps --disable-pip --progress-spinner off

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh and compile the translations in locale/
messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages --all --ignore=.venv --ignore=staticfiles --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
