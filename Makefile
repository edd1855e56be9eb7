# lead-funnel: the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATABASE ?= data/lead_funnel.duckdb
LEADS ?= 20000
DEMO_START ?= 2025-01-01
DEMO_DAYS ?= 365
DEMO_AS_OF ?= 2026-01-01 02:00:00

# No tool may phone home: the network is closed and a blocked call can hang a run.
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := true
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: test-spark setup run test lint ui bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,spark]'
	touch $(STAMP)

run: setup
	$(BIN)/lead-funnel generate --database $(DATABASE) --leads $(LEADS) --start $(DEMO_START) --days $(DEMO_DAYS)
	$(BIN)/lead-funnel run --database $(DATABASE) --as-of '$(DEMO_AS_OF)'

# Two xdist workers: a test module stays on one worker, the Spark tests all on one (see
# tests/conftest.py), so the Spark JVM runs beside the DuckDB tests on a 2-core machine.
test: setup
	$(BIN)/python -m pytest -n 2 --no-loadscope-reorder --durations=30 -m "not spark_long"

test-spark: setup
	$(BIN)/python -m pytest -m spark tests/spark

lint: setup
	$(BIN)/ruff check lead_funnel lead_funnel_tools orchestration data_quality tests
	$(BIN)/ruff format --check lead_funnel lead_funnel_tools orchestration data_quality tests
	$(BIN)/lint-imports --no-cache  # the package boundaries (pyproject.toml [tool.importlinter])
	# the dbt templater opens a warehouse: lint against a throwaway one, as the tests do
	cd dbt_project && LEAD_FUNNEL_DATABASE=$$(mktemp -d)/lint.duckdb ../$(BIN)/sqlfluff lint models
	# the GX invariants: plain SQL with placeholders (data_quality/rules/.sqlfluff)
	cd data_quality/rules && ../../$(BIN)/sqlfluff lint .

ui: setup
	$(BIN)/lead-funnel ui --database $(DATABASE)

bench: setup
	$(BIN)/lead-funnel bench

clean:
	rm -rf data/*.duckdb* dbt_project/target dbt_project/logs .dagster_home
