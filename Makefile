# Two commands rebuild and check everything:  make reproduce  and  make test.
# Each sets up the locked environment in .venv first (only when the lock changed).

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
UV      := $(BIN)/uv
# uv installs the lock in seconds; it is bootstrapped from PyPI into the venv itself.
UV_VERSION := 0.13.9
STAMP   := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help reproduce test lab demo-data checksums lint benchmark clean-venv

help:  ## List the targets
	@echo "Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 22

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python uv==$(UV_VERSION)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

reproduce: $(STAMP)  ## Run the whole pipeline: data/raw -> data/processed and outputs
	$(BIN)/compendium run

test: $(STAMP)  ## Run the whole test suite (unit, notebooks under nbval, full pipeline)
	@$(BIN)/python -m pytest; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; fi; \
	  exit $$status

# JupyterLab at the project's root, so that data/raw and outputs are in its file browser, with
# the notebooks folder open; as root (a container, a Binder-like image) it needs --allow-root.
LAB_FLAGS := --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks \
	$(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)  ## Open JupyterLab at the project's root, the notebooks in view
	$(BIN)/jupyter lab $(LAB_FLAGS) $(LAB_EXTRA)

demo-data: $(STAMP)  ## Regenerate the demonstration dataset in data/raw (byte-identical)
	$(BIN)/compendium demo-data

checksums: $(STAMP)  ## Record a deliberate change to data/raw in data/raw/SHA256SUMS
	$(BIN)/compendium checksums --update

lint: $(STAMP)  ## Check code style with ruff
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

benchmark: $(STAMP)  ## Time the pipeline, the readers (against rispy) and deduplication
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/readers.py
	$(BIN)/python benchmarks/dedup.py

clean-venv:  ## Remove the environment (the next target rebuilds it)
	rm -rf $(VENV)
