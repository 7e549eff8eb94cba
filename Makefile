# The two commands of the README:
#   make demo   install clearance into .venv and screen a first name on the bundled lists
#   make test   install the test extras and system pieces (if needed), lint (ruff, mypy --strict), run the suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test install lint bench docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[server,parquet]"
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) scripts/test-setup
	bash scripts/test-setup
	$(BIN)/pip install -q -e ".[server,parquet,test,dev]"
	touch $(TEST_STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/clearance screen "Huawei Technologies Co., Ltd."

test: $(TEST_STAMP)
	$(BIN)/ruff check clearance tests bench
	$(BIN)/mypy clearance
	$(BIN)/python -m pytest -n 2

lint: $(TEST_STAMP)
	$(BIN)/ruff check clearance tests bench
	$(BIN)/mypy clearance

bench: $(STAMP)
	$(BIN)/pip install -q -e ".[bench]" -c bench/peer-constraints.txt
	$(BIN)/python -m bench

docs: $(STAMP)
	$(BIN)/python -m clearance.settings_doc docs/settings.md
	$(BIN)/python -m clearance.cli.docgen docs/cli.md

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
