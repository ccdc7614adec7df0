# Two commands on a fresh machine with Python 3.11: `make release` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The version lives in src/memo724/contract/version.py: a bump reinstalls, so the installed
# metadata agrees.
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml src/memo724/contract/version.py | sha256sum | cut -c1-16)
# A second environment at the lowest versions pyproject.toml allows (constraints/lowest.txt), where
# `make test` runs the loader, validate and verify tests: the lower bounds are tested, not guessed.
LOWEST := .venv-lowest
LOWEST_STAMP := $(LOWEST)/.installed-$(shell cat constraints/lowest.txt | sha256sum | cut -c1-16)
LOWEST_TESTS := tests/test_loader.py tests/test_imports.py tests/test_cli.py tests/test_verify.py \
	tests/test_mutations.py --deselect tests/test_loader.py::test_wheel_ships_the_data_and_loads_from_it

# Second implementations the tests check the package with, installed once per machine:
# the JavaScript datapackage/tableschema libraries (npm ci from tests/js/package-lock.json; skipped
# with a message where node is absent) and cffconvert in its own venv (it needs jsonschema 3).
JS_STAMP := tests/js/node_modules/.installed
CFF_VENV := $(VENV)/cffconvert
CFF_STAMP := $(CFF_VENV)/.installed-$(shell cat tests/cff/requirements.lock | sha256sum | cut -c1-16)

.PHONY: release test test-lowest lowest-constraints build validate lint clean tools mutation

$(STAMP): requirements.lock pyproject.toml src/memo724/contract/version.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(JS_STAMP): tests/js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/js && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: tests of the JavaScript implementation will be skipped"; fi

$(CFF_STAMP): tests/cff/requirements.lock $(STAMP)
	rm -rf $(CFF_VENV)
	$(BIN)/python -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/cff/requirements.lock
	touch $@

# The wheels the install tests install from, downloaded once per set of lowest versions: the
# tests themselves never reach the package index (uv and pip are pointed here, offline).
WHEELS := .wheels
WHEELS_STAMP := $(WHEELS)/.downloaded-$(shell cat constraints/lowest.txt | sha256sum | cut -c1-16)

$(WHEELS_STAMP): constraints/lowest.txt | $(STAMP)
	rm -rf $(WHEELS)
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --dest $(WHEELS) \
		-c constraints/lowest.txt pandas pyarrow frictionless pandera pip setuptools wheel
	touch $@

tools: $(JS_STAMP) $(CFF_STAMP) $(WHEELS_STAMP)

$(LOWEST_STAMP): constraints/lowest.txt pyproject.toml | $(STAMP)
	rm -rf $(LOWEST)
	$(BIN)/uv venv --quiet --python $(PYTHON) $(LOWEST)
	VIRTUAL_ENV=$(LOWEST) $(BIN)/uv pip install --quiet -r constraints/lowest.txt
	VIRTUAL_ENV=$(LOWEST) $(BIN)/uv pip install --quiet --no-deps -e .
	touch $@

# After changing a lower bound in pyproject.toml: resolve the lowest versions again, then commit.
lowest-constraints: $(STAMP)
	$(BIN)/uv pip compile --quiet --resolution lowest-direct --python-version 3.11 \
		--extra polars --extra curation --extra validate pyproject.toml constraints/lowest.in \
		-o constraints/lowest.txt

test-lowest: $(LOWEST_STAMP)
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_TESTS)

build: $(STAMP)
	$(BIN)/memo724 build

validate: $(STAMP)
	$(BIN)/memo724 validate

# Rebuild the tables, validate them, then write dist/<name>-<version>/, its zip and SHA256SUMS.
release: build validate
	$(BIN)/memo724 reliability --check
	$(BIN)/memo724 release

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# The main suite and the lowest-versions tests run side by side; both must pass.
test: $(STAMP) tools $(LOWEST_STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory test-lowest > $(LOWEST)/last-run.log 2>&1 & lowest=$$!; \
	$(BIN)/pytest; main=$$?; \
	wait $$lowest; low=$$?; \
	echo "--- lowest supported versions ($(LOWEST), constraints/lowest.txt):"; \
	tail -n 30 $(LOWEST)/last-run.log; \
	test $$main -eq 0 && test $$low -eq 0

# Mutation testing of the contract and the validators with mutmut: writes MUTATION.md and
# mutation.json (commit both). A maintainer's command, never part of `make test`: it runs the
# fast tests once per mutant (an hour or more on two cores). MUTATION_ARGS takes other modules
# (src/memo724/validation/guard.py), --survivors (only what was not killed), --children N or
# --sample N (one mutant in N of each function; the rest are reported as not run).
MUTATION_ARGS ?=
mutation: $(STAMP)
	nice -n 15 $(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

clean:
	rm -rf $(VENV) $(LOWEST) $(WHEELS) dist mutants
