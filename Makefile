# The two commands of the README: `make run` (install + demo) and `make test` (install dev deps + tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= claimgraph.db
export OMP_NUM_THREADS := 1

.PHONY: run test install dev clean bench-eval

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[embeddings]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

run: install
	$(BIN)/claimgraph ingest examples/ --db $(DB)
	$(BIN)/claimgraph claims --db $(DB)

test: dev
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
