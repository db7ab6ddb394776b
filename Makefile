# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint validate build bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-app

## run: set up, build the database when the files changed, and start the dashboard on http://localhost:$(PORT)
run: $(VENV)/.installed-app
	-$(BIN)/python -m tracker build --if-stale
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.headless true

## test: set up with the dev tools and run the whole suite, on TEST_JOBS processes (pytest-xdist): three on two
## cores, because the browser tests' process waits on Chromium and the server for about a third of its time
TEST_JOBS ?= 3
test: $(VENV)/.installed-dev
	$(BIN)/python -m ruff check .
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadgroup

lint: $(VENV)/.installed-dev
	$(BIN)/python -m ruff check .
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/python -m ruff format --check .

validate: $(VENV)/.installed-app
	$(BIN)/python -m tracker validate

build: $(VENV)/.installed-app
	$(BIN)/python -m tracker build

## bench: the performance goals of docs/benchmarks.md, measured as whole processes (about 30 minutes)
bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache data/*.duckdb
