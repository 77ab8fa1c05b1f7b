# The two commands of the README: `make run` (install + demo) and `make test` (install dev deps + tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= claimgraph.db
export OMP_NUM_THREADS := 1

.PHONY: run test install dev browser screenshots clean bench-eval bench-batch

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[embeddings,api,batch,postgres,factcheck,network]'
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.installed-dev

run: install
	$(BIN)/claimgraph ingest examples/ --db $(DB)
	$(BIN)/claimgraph claims --db $(DB)

test: lint browser
	$(BIN)/python -m pytest

# ruff (rules in pyproject.toml) on the code and the tests, mypy --strict on src/claimgraph; part of `make test`
.PHONY: lint
lint: dev
	$(BIN)/ruff check src tests
	$(BIN)/mypy

# the inner loop: every test but the heavy ones (SIGKILL resume, Dask and worker processes, training,
# browser, the 95k-character article); `make test` runs them all
.PHONY: test-fast
test-fast: dev
	$(BIN)/python -m pytest -m "not heavy"

# the web UI's end-to-end tests drive Debian's Chromium; installed here when we are root with apt
# (otherwise those tests skip, saying why)
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } || \
		echo "no /usr/bin/chromium: the browser tests will skip (apt-get install chromium)"

# docs/screenshots/*.png, shown in the README: the browser tests save them as they go
screenshots: dev browser
	CLAIMGRAPH_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/web -q

# `claimgraph batch` throughput / growth / memory (long: about an hour on 2 shared cores)
bench-batch: dev
	$(BIN)/python bench/batch.py --docs 5000 --workers 2

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
