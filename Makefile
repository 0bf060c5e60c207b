# The README's commands. Each target sets up .venv from the pinned
# requirements first, so on a fresh machine `make build` or `make test` is all
# it takes.
# The distribution's python3 when it can make a virtual environment: Debian builds its
# interpreter with profile-guided and link-time optimisation, which pyenv and other
# source builds leave out unless asked, and a cold build of 4,000 articles takes about
# a fifth less time on it (benchmarks/README.md). Any python3 (3.11) works otherwise;
# `make PYTHON=...` picks one. After a change of interpreter, remove .venv.
SYSTEM_PYTHON := /usr/bin/python3
PYTHON ?= $(shell $(SYSTEM_PYTHON) -c "import ensurepip, venv" >/dev/null 2>&1 && echo $(SYSTEM_PYTHON) || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build ingest check serve explain test bench lighthouse clean system-deps

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# axe-core for the browser accessibility audit (tests only), pinned by package-lock.json.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --silent
	touch $(NODE_STAMP)

system-deps:
	bash .ci/system-deps

build: $(STAMP)
	$(PY) build.py

ingest: $(STAMP)
	$(PY) build.py ingest

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve

# Why an article got its countries and topics: make explain SLUG=<slug>
explain: $(STAMP)
	$(PY) build.py explain $(SLUG)

test: system-deps $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

bench: system-deps $(STAMP)
	$(PY) benchmarks/run.py

# Lighthouse (mobile) on the home, an article, a country and /countries/: fails below 100
# in performance, accessibility or SEO. Installs its pinned Lighthouse with npm.
lighthouse: system-deps $(STAMP)
	bash benchmarks/lighthouse.sh

clean:
	rm -rf output .cache test-artifacts
