# Two commands on a fresh machine with Python 3.11: `make release` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)

# Second implementations the tests check the package with, installed once per machine:
# the JavaScript datapackage/tableschema libraries (npm ci from tests/js/package-lock.json; skipped
# with a message where node is absent) and cffconvert in its own venv (it needs jsonschema 3).
JS_STAMP := tests/js/node_modules/.installed
CFF_VENV := $(VENV)/cffconvert
CFF_STAMP := $(CFF_VENV)/.installed-$(shell cat tests/cff/requirements.lock | sha256sum | cut -c1-16)

.PHONY: release test build validate lint clean tools

$(STAMP): requirements.lock pyproject.toml
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

tools: $(JS_STAMP) $(CFF_STAMP)

build: $(STAMP)
	$(BIN)/memo724 build

validate: $(STAMP)
	$(BIN)/memo724 validate

# Rebuild the tables, validate them, then write dist/<name>-<version>/, its zip and SHA256SUMS.
release: build validate
	$(BIN)/memo724 release

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) tools
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

clean:
	rm -rf $(VENV) dist
