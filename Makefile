# FindCare: `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist processes for `make test` (CI machines have 2 cores; 0 runs in one process).
TEST_WORKERS ?= 2
# Links in emails (load_demo's demo inquiries too) use SITE_URL: the address served.
SITE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help run test lint format check ci clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create the virtual environment and install everything

run: install ## Set up the database, load demo data and serve on http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	SITE_URL=$(SITE_URL) $(MANAGE) load_demo
	SITE_URL=$(SITE_URL) $(MANAGE) runserver $(HOST):$(PORT)

test: install ## Run the whole test suite (DATABASE_URL selects PostgreSQL; TEST_WORKERS processes)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install ## ruff lint and format check, import-linter's layering contracts (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=site:. $(BIN)/lint-imports --no-cache

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django system checks, deploy checks and migration drift
	$(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=ci-dummy-secret-key-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz \
		INQUIRY_ENCRYPTION_KEYS=8Dx22BsP0oQZIY-poVyLgMoZTITEd6N3saRWwkD9SSc= \
		ALLOWED_HOSTS=findcare.example.org $(MANAGE) check --deploy --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

ci: ## What CI runs (.ci/run)
	bash .ci/run

clean: ## Remove the virtual environment and local data (var/)
	rm -rf $(VENV) var
