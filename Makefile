# The two commands of the README: `make run` (install + demo) and `make test` (install dev deps + tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= claimgraph.db
export OMP_NUM_THREADS := 1

.PHONY: run test install dev clean bench-eval bench-batch

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
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

# `claimgraph batch` throughput / growth / memory (long: about an hour on 2 shared cores)
bench-batch: dev
	$(BIN)/python bench/batch.py --docs 5000 --workers 2

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
