# tracker: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app tracker
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=
# make bench: how many published cases, which database (empty: instance/bench/bench-N.db;
# or a PostgreSQL URL whose database name contains "bench"), seconds and connections a route,
# and how long to wait for other work on the machine to end (its figures would be halved).
BENCH_CASES ?= 100000
BENCH_DB ?=
BENCH_DURATION ?= 12
BENCH_CONNECTIONS ?= 2
BENCH_WAIT ?= 600
BENCH_ARGS ?=
BENCH := $(BIN)/python -m tracker.bench
BENCH_URL = $(if $(BENCH_DB),--database-url "$(BENCH_DB)")

.PHONY: install run test lint test-sqlite test-postgres translations translations-update clean \
	bench bench-scale

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(STAMP)

install: $(STAMP) translations

# Compiled catalogues are build output (.mo files are not committed).
translations: $(STAMP)
	$(BIN)/pybabel -q compile -d tracker/translations

# After changing interface text: extract, merge, then translate sr_Latn and en (Cyrillic is
# generated from sr_Latn). The .po files keep their header: without it compile skips them.
translations-update: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o tracker/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel -q update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/python -m tracker.i18n_catalogues cyrillic
	$(BIN)/pybabel -q compile -d tracker/translations

run: install
	$(FLASK) db upgrade
	$(FLASK) municipalities load
	$(FLASK) categories load
	$(FLASK) demo load
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C stops)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	@set -e; ran="SQLite"; \
	echo "== tests on SQLite"; \
	env -u TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS); \
	url="$${TEST_DATABASE_URL:-$(PG_TEST_URL)}"; \
	if $(BIN)/python -m tests.dbcheck "$$url"; then \
		echo "== tests on PostgreSQL ($$url)"; \
		TEST_DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_ARGS); ran="$$ran and PostgreSQL"; \
	elif [ -n "$$TRACKER_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL does not answer at $$url, and TRACKER_REQUIRE_POSTGRES is set"; exit 1; \
	else echo "== PostgreSQL does not answer at $$url: suite ran on SQLite only"; fi; \
	echo "== the whole suite passed on: $$ran"

# Seed a database of BENCH_CASES published cases (once per size), serve it with gunicorn,
# drive every public route with wrk, print and save the table (instance/bench/results-*).
bench: install
	@command -v wrk >/dev/null || { echo "== installing wrk (the load generator)"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq wrk >/dev/null; }
	$(BENCH) seed --cases $(BENCH_CASES) $(BENCH_URL) --if-missing
	$(BENCH) run --cases $(BENCH_CASES) $(BENCH_URL) --duration $(BENCH_DURATION) \
		--connections $(BENCH_CONNECTIONS) --wait-quiet $(BENCH_WAIT) $(BENCH_ARGS)

# Page times at 1,000,000 cases against 1,000 (the target: within 1.5x). SQLite.
bench-scale:
	$(MAKE) bench BENCH_CASES=1000
	$(MAKE) bench BENCH_CASES=1000000
	$(BENCH) compare instance/bench/results-1000-sqlite.json instance/bench/results-1000000-sqlite.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
