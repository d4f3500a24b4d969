# Gremium: `make run` serves the API, `make test` runs every check. Both set up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install browser run test lint typecheck pytest bench eval clean

install: $(STAMP) browser

# torch 2.13.0 comes first: it resolves to the local CPU wheel, so nothing later pulls CUDA.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[st,dev]'
	@touch $@

# Headless Chromium for the widget's browser test (Debian package; never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian chromium for the browser test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	      || echo "chromium could not be installed; the browser test will be skipped"; \
	  else echo "chromium not found; the browser test will be skipped"; fi; }

run: install
	$(VENV)/bin/gremium serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# pytest exits 5 when it collects no tests; that is not a failure of the checks themselves.
pytest: install
	@$(PY) -m pytest -q; rc=$$?; \
	 if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

test: lint typecheck pytest

bench: install
	$(PY) -m bench

eval: install
	$(VENV)/bin/gremium eval --out eval/out

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache data eval/out
