# Relais: `make run` serves the demo on 127.0.0.1:8000, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench messages setup clean

# The virtualenv is rebuilt only when pyproject.toml changes, so a second `make run` is quick.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@

setup: $(VENV)/.installed

# ops/run.py migrates, loads the gazetteer and the demo data, then serves the site, the task
# worker and the timers; Ctrl-C stops all three and exits 0.
run: setup
	@$(BIN)/python -m ops.run --host $(HOST) --port $(PORT)

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

# The catalogues as tests/config/test_translations.py extracts them (same languages, same
# options, same folders left out), merged into locale/ by msgmerge, which keeps every
# translation (a string no longer used stays as an obsolete "#~" entry), then compiled.
MESSAGES_LOCALES := en nl de
MESSAGES_IGNORE := .venv tests bench staticfiles var test-artifacts node_modules
messages: setup
	$(MANAGE) makemessages --add-location=file $(addprefix --locale=,$(MESSAGES_LOCALES)) \
		$(addprefix --ignore=,$(MESSAGES_IGNORE))
	$(MANAGE) compilemessages $(addprefix --locale=,$(MESSAGES_LOCALES)) \
		$(addprefix --ignore=,$(MESSAGES_IGNORE))

bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
