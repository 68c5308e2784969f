# Two entry points for a fresh machine: `make run` and `make test`. Each installs what is
# missing (Python venv, npm packages, Chromium for tests), builds dist/, then acts.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NPM_STAMP := node_modules/.package-lock.json
PYTEST_ARGS ?=

.PHONY: run test build deps chromium lint bench clean

run: build
	$(VENV)/bin/cospai serve

# Lint first: a style or type error fails in seconds, before the browser suites start.
test: lint build chromium
	$(PY) -m pytest $(PYTEST_ARGS)

build: deps
	$(PY) build.py

deps: $(STAMP) $(NPM_STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium; Playwright cannot download its own browser here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Python: ruff's rules and its formatter, and mypy (files and flags in pyproject.toml's
# [tool.mypy]; its cache is .mypy_cache/). JavaScript (the glue, the service workers, the
# sandbox's pages, the Node test drivers): ESLint, configured in eslint.config.mjs.
lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	npx --no-install eslint .

# wrk (C) drives the API benchmark's many-clients part without eating the server's cores.
bench: build chromium
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/boot.py
	$(PY) bench/api.py
	$(PY) bench/sync.py
	$(PY) bench/workbench.py
	$(PY) bench/runtime.py
	$(PY) bench/packages.py

clean:
	rm -rf dist .dist.build-*
