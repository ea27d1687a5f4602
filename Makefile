# Marsad — every set-up step a fresh machine needs is here.
#   make demo   install what is missing, start the local stack, run the main job on the
#               bundled sample feeds, print alerts, stop what it started
#   make test   the same set-up, then lint (ruff, mypy) and the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONUNBUFFERED := 1

.PHONY: install system-deps demo run lint test test-long bench stack-up stack-down clean

install: system-deps $(STAMP)

system-deps:
	@deploy/local/install-system-deps.sh

# Re-installs when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

demo: install
	$(BIN)/marsad demo --start-stack

# Marsad on this machine with the demo configuration (its sample feeds served locally, a
# local webhook receiver), supervised until Ctrl-C; see "Run Marsad on one machine".
run: install
	$(BIN)/marsad run --demo

# Style, formatting and types: ruff (lint + format) and mypy, configured in pyproject.toml.
lint: install
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .
	$(BIN)/mypy

test: install lint
	$(BIN)/python -m pytest -p no:cacheprovider

# The longer fault-injection variants.
test-long: install
	MARSAD_LONG_TESTS=1 $(BIN)/python -m pytest -p no:cacheprovider

# The benchmarks also compare against libraries Marsad does not need (the `bench` extra).
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	@touch $(BENCH_STAMP)

# Exits non-zero when a goal is missed; writes bench/report.json (docs/performance.md).
# About 40-50 min on 2 cores (the dedupe store is filled to 1M real articles); `make bench BENCH_ARGS=--quick` runs the small workloads.
bench: install $(BENCH_STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

stack-up: install
	$(BIN)/marsad stack up

stack-down:
	@if [ -x $(BIN)/marsad ]; then $(BIN)/marsad stack down; fi

clean: stack-down
	rm -rf $(VENV) build *.egg-info
