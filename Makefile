# Maillage — every command a newcomer, the README and CI need. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_WORKERS ?= auto
MANAGE := $(BIN)/python manage.py
# The Nu HTML checker (npm's vnu-jar, run with the machine's Java) that the browser journeys use.
VNU_VERSION ?= 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.DEFAULT_GOAL := help
.PHONY: help install demo serve test e2e reliability lint format messages migrations-check bench bench-small bench-anonymize clean

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create .venv and install Maillage with its dev tools

demo: install ## Set up the SQLite demo network and serve it on http://localhost:8000
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	@echo "Serving on http://localhost:$(PORT)/ (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

serve: install ## Serve the development server without seeding
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install ## Check style with ruff, and the layers and import cycles with import-linter (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=hub.settings.test $(MANAGE) makemigrations --check --dry-run

test: lint migrations-check ## Lint, check migrations and run the whole test suite, browser journeys last (DATABASE_URL picks the database)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 --ignore=tests/e2e --ignore=tests/reliability $(PYTEST_ARGS)
	$(MAKE) --no-print-directory e2e

# The journeys run on a live server with a transactional database that is emptied after each of
# them: in their own process, so that no other test ever runs on the emptied database.
e2e: install $(VNU_JAR) ## Run the browser journeys (tests/e2e) in headless Chromium, every page type through the Nu HTML checker
	MAILLAGE_VNU_JAR=$(VNU_JAR) $(BIN)/pytest -p no:xdist tests/e2e $(PYTEST_ARGS)

$(VNU_JAR): | $(BIN)/python
	npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar@$(VNU_VERSION)

messages: install ## Update and compile the French and English message catalogues
	$(MANAGE) makemessages -l fr -l en --ignore=.venv --ignore=tests --ignore=bench
	$(MANAGE) compilemessages --ignore=.venv

# Floods and faults against gunicorn on PostgreSQL (tests/reliability): a scratch database, an SMTP
# sink and a Gravatar stub of their own. The fault tests stop and start the local PostgreSQL cluster.
reliability: install ## Flood and fault tests against gunicorn on PostgreSQL (DATABASE_URL names the server; stops and restarts it)
	$(BIN)/pytest -p no:xdist tests/reliability -v $(PYTEST_ARGS)

bench: install ## Benchmark under load: 50 sites × 200 posts, gunicorn + wrk, cache off/on (PostgreSQL; DATABASE_URL names the server)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-small: install ## The same benchmark on 3 sites × 100 posts with short runs (CI; under 5 minutes)
	$(BIN)/python bench/run.py --small $(BENCH_ARGS)

bench-anonymize: install ## Time anonymize_comments on 1,000,000 comments (PostgreSQL; DATABASE_URL names the server)
	$(BIN)/python bench/anonymize_million.py --json bench/results/anonymize_million.json

clean: ## Remove the virtualenv, caches and the SQLite database
	rm -rf $(VENV) .pytest_cache .ruff_cache db.sqlite3 staticfiles
