# `make help` lists the targets. `make run` and `make test` are the two commands of the README.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
UV_VERSION := 0.13.9
MANAGE := $(VENV)/bin/python manage.py
# `make test` runs on this PostgreSQL and Redis unless DATABASE_URL / REDIS_URL name others.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ketamine_content
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# `make bench` fills a scratch database of its own (and copies of it, one per content size),
# at SCALE items for the large set, loading each case for BENCH_SECONDS.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ketamine_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
SCALE ?= 10000
BENCH_SECONDS ?= 5

.PHONY: help install run worker test test-fast schemathesis chromium varnish wrk bench bench-since lint format migrations

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Every Python these targets start keeps what it compiles (the project's modules, pytest's
# rewritten tests) for the next: where PYTHONDONTWRITEBYTECODE is set, each of the suite's
# processes (pytest's workers, the servers and worker its tests start) spent seconds compiling
# everything anew. --compile-bytecode compiles the dependencies once, as they are installed.
unexport PYTHONDONTWRITEBYTECODE
$(VENV)/.synced: pyproject.toml uv.lock
	test -x $(VENV)/bin/uv || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/pip install --quiet uv==$(UV_VERSION); }
	$(VENV)/bin/uv sync --locked --quiet --compile-bytecode
	touch $@

install: $(VENV)/.synced ## Create .venv with the locked dependencies

run: install ## Migrate, load the demo content, create a local admin, serve on 127.0.0.1:$PORT
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) create_local_admin
	@echo "Admin: http://127.0.0.1:$(PORT)/admin/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

worker: install ## Send webhooks: the background worker (run it beside `make run`)
	$(MANAGE) webhook_worker

# Install a Debian package when its command is missing (as root, with apt-get), else say how:
# $(1) the command, $(2) the package, $(3) what needs it, $(4) what happens without it.
define install_if_missing
	@command -v $(1) >/dev/null 2>&1 || test -x /usr/sbin/$(1) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing $(2) for $(3): apt-get install $(2)"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; } || \
	      echo "$(2) could not be installed: $(4)"; \
	  else \
	    echo "$(2) not found: $(4) Install it with: sudo apt-get install $(2)"; \
	  fi; }
endef

chromium: ## Install Chromium for the browser tests (Debian's package) if it is missing
	$(call install_if_missing,chromium,chromium,the browser tests,the browser tests will be skipped.)

varnish: ## Install Varnish for the CDN test and the bench (Debian's package) if it is missing
	$(call install_if_missing,varnishd,varnish,the CDN test and the bench,the CDN test and bench are skipped.)

wrk: ## Install wrk, the bench's load generator (Debian's package) if it is missing
	$(call install_if_missing,wrk,wrk,the bench,the bench uses its own slower load generator.)

# pytest on the test services (it checks first that they answer: tests/conftest.py), in one
# process per core (`PYTEST_ARGS="-n 0"` for one process); the targets below add their options.
PYTEST := export DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	  REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" DJANGO_SETTINGS_MODULE=cms.settings.test && \
	  $(VENV)/bin/pytest -n auto

test: install chromium varnish ## Run the whole test suite on PostgreSQL and Redis (local servers by default)
	@$(PYTEST) $(PYTEST_ARGS)

test-fast: install ## Run the tests that start no other process (servers, worker, browser)
	@$(PYTEST) -m "not slow" $(PYTEST_ARGS)

# 100 generated requests per operation, with schemathesis' boundary values: over 2,000 in all.
schemathesis: install ## Every schemathesis check over 2,000+ requests the OpenAPI document allows or rules out
	@export SCHEMATHESIS_EXAMPLES=100 SCHEMATHESIS_COVERAGE=1 && \
	  $(PYTEST) -n 0 -p no:randomly -s tests/api/v1/test_schema_conformance.py $(PYTEST_ARGS)

bench: install varnish wrk ## Benchmark side by side, ratios to bench/results.md (SCALE=100000 for the large content set)
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	  $(VENV)/bin/python -m bench --scale $(SCALE) --seconds $(BENCH_SECONDS)

bench-since: install ## The cold side-effect list beside an earlier revision's, on the same rows: REV=74ccfc7
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(VENV)/bin/python -m bench.since $(REV)

lint: install ## Check style and common mistakes (ruff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Rewrite the code in the project's style (ruff)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations: install ## Create migrations after a model change
	$(MANAGE) makemigrations content_models syndication
