# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench lint format clean translations lock

# The versions in requirements.lock, then the project itself on top of them.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing dependencies in pyproject.toml: resolve them afresh in a clean venv and
# pin what got installed.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	printf '%s\n' "# Every package a fair's installation runs and tests with, pinned: written by \`make lock\`" \
	  "# from pyproject.toml (the project and its dev extras); \`make run\` and CI install from it." > requirements.lock
	.lock-venv/bin/python -m pip freeze --exclude-editable >> requirements.lock
	rm -rf .lock-venv

run: $(STAMP)
	$(BIN)/pos db upgrade
	$(BIN)/pos demo --if-empty --host $(HOST) --port $(PORT)
	$(BIN)/pos serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache test-output

# After changing a string in the code or templates: extract, merge, then translate the new
# entries in pos/translations/*/LC_MESSAGES/messages.po and run this again to compile.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -w 100 -o pos/translations/messages.pot pos
	$(BIN)/pybabel update -i pos/translations/messages.pot -d pos/translations --no-fuzzy-matching -w 100
	$(BIN)/pybabel compile -d pos/translations
