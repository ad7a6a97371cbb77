# Relais: `make run` serves the demo on 127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench setup clean

# The virtualenv is rebuilt only when pyproject.toml changes, so a second `make run` is quick.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(VENV)/.installed

run: setup
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) load_gazetteer
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	DJANGO_DEBUG=1 $(MANAGE) remind_unverified --schedule
	@echo "Relais : http://$(HOST):$(PORT)/  (équipe : http://$(HOST):$(PORT)/equipe/demandes/)"
	@# The trap is cleared before `kill 0`, whose TERM reaches this shell too: otherwise the
	@# handler runs again for ever and bash dies of a stack overflow ("Segmentation fault").
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	export DJANGO_DEBUG=1 RELAIS_SITE_URL=$${RELAIS_SITE_URL:-http://$(HOST):$(PORT)}; \
	$(MANAGE) db_worker --interval 1 & \
	$(MANAGE) contact_timers --every 60 & \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates --lint
	DJANGO_DEBUG=0 $(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
