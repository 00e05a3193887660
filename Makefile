# Two set-up commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := demo

.PHONY: demo test lint vendor-web screenshots benchmarks benchmark-startup benchmark-screening benchmark-web benchmark-login-flood benchmark-lighthouse clean install install-test

# pip -qq: errors still show; pip's warnings (e.g. about a machine's own index settings) would make a
# newcomer's first `make demo` look broken when nothing is.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { bash scripts/ensure_venv_support.sh && $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install -qq --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq -e '.[test,dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: build the worked example in ./demo (the reference review, from data shipped in the package) and its report
## (installs Graphviz, Cairo and fonts if missing, so the report has its conceptual model and PRISMA figure)
demo: install
	@bash scripts/ensure_system_packages.sh demo
	@SYNTHESIST_USER="$${SYNTHESIST_USER:-demo}" $(BIN)/synthesist demo $(DEMO) --force
	@$(BIN)/synthesist report --project $(DEMO) -o $(DEMO)/report
	@echo "The report of the worked example: $(CURDIR)/$(DEMO)/report/report.html (and .md, .docx)"

## test: the whole suite on SQLite and PostgreSQL (installs PostgreSQL, Cairo and fonts if missing)
test: install-test
	@bash scripts/ensure_system_packages.sh test
	@SYNTHESIST_TEST_POSTGRES_URL="$$(bash scripts/ensure_postgres.sh)" && export SYNTHESIST_TEST_POSTGRES_URL && \
	  SYNTHESIST_TEST_REDIS_URL="$$(bash scripts/ensure_redis.sh)" && export SYNTHESIST_TEST_REDIS_URL && \
	  echo "PostgreSQL for tests: $$SYNTHESIST_TEST_POSTGRES_URL; Redis: $$SYNTHESIST_TEST_REDIS_URL" && \
	  $(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	PYTHONPATH=src $(BIN)/lint-imports

## benchmarks: run the measurements and update docs/benchmarks.md
benchmarks: install benchmark-startup
	$(BIN)/python benchmarks/import_speed.py --records 100000 --update-docs docs/benchmarks.md
	$(BIN)/python benchmarks/import_formats.py --update-docs docs/benchmarks.md
	$(BIN)/python benchmarks/dedup_accuracy.py --update-docs docs/benchmarks.md
	$(BIN)/python benchmarks/dedup_speed.py --update-docs docs/benchmarks.md

## benchmark-startup: how long --help, --version, status, records show and screen decide take as whole
## processes on a small project (target: under 0.3 s); writes "Command start-up"
benchmark-startup: install
	$(BIN)/python benchmarks/cli_startup.py --runs 10 --update-docs docs/benchmarks.md

# benchmark-screening is not in `benchmarks`: 65 ASReview runs plus ours take about 40 min on 2 cores.

## benchmark-screening: our screening prioritisation beside ASReview elas_u4 on the labelled sets in
## ../shared/benchmarks/screening (installs ASReview into benchmarks/.venv-asreview on first run)
benchmark-screening: install
	$(BIN)/python benchmarks/screening.py

## benchmark-web: 50 reviewers in 5 reviews screening through a real site server on PostgreSQL (2 web
## processes and 1, reading time and stress), 10 on SQLite, and the first page of a 10,000-record review
## (a fresh database on the local server, dropped afterwards); writes "Web app under load" (~20 min)
benchmark-web: install
	$(BIN)/python benchmarks/web_load.py --acceptance \
		--postgres-url postgresql://postgres@127.0.0.1:5432/postgres --update-docs docs/benchmarks.md

## benchmark-login-flood: 30 attackers guessing logins for 30 s while 5 reviewers screen, on SQLite
## and then PostgreSQL; writes "Login flood"
benchmark-login-flood: install
	$(BIN)/python benchmarks/login_flood.py --postgres-url postgresql://postgres@127.0.0.1:5432/postgres \
		--update-docs docs/benchmarks.md

## benchmark-lighthouse: Lighthouse (desktop and mobile) on the dashboard and the screening page of the worked
## example, and every page's HTML, CSS and JS weight (needs npm: `npm ci` in benchmarks/lighthouse on
## first run; Chromium at /usr/bin/chromium); writes "Lighthouse and page weight" (~6 min)
benchmark-lighthouse: install-test
	$(BIN)/python benchmarks/web_lighthouse.py --update-docs docs/benchmarks.md

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache .hypothesis

## vendor-web: fetch the pinned Pico CSS, htmx and (for the tests) axe-core from the npm registry, check each
## tarball against the registry's sha512 integrity, and refresh the vendor folders and their manifest.json (needs npm)
vendor-web:
	$(PYTHON) scripts/vendor_web_assets.py

## screenshots: rewrite the browser tests' reference images of every page and the README's web screenshots
screenshots: install-test
	$(BIN)/python scripts/refresh_screenshots.py
