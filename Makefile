# The README's commands. Each target sets up .venv from the pinned
# requirements first, so on a fresh machine `make build` or `make test` is all
# it takes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build ingest check serve test bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

build: $(STAMP)
	$(PY) build.py

ingest: $(STAMP)
	$(PY) build.py ingest

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf output .cache test-artifacts
