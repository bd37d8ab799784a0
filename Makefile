# Two commands set up and run everything on a fresh machine:
#   make run    serve the app with demo data on http://127.0.0.1:5000
#   make test   run the whole test suite (SQLite; set TEST_DATABASE_URL for PostgreSQL)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 5000

AXE    := .cache/axe/axe.min.js

.PHONY: run test lint install translations check-translations db seed bench load clean

$(STAMP): pyproject.toml
	.ci/system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,server]"
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

translations: install
	$(FLASK) translate compile

check-translations: install
	$(FLASK) translate check

db: translations
	$(FLASK) db upgrade

seed: db
	$(FLASK) rescue seed-demo

run: seed
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# axe-core for the accessibility checks of the end-to-end tests, from the npm registry (when npm is here).
$(AXE):
	@if command -v npm >/dev/null; then \
	  mkdir -p .cache/axe && cd .cache/axe && npm pack --silent axe-core@4.10 >/dev/null && \
	  tar xzf axe-core-*.tgz package/axe.min.js --strip-components=1 && rm -f axe-core-*.tgz; \
	else echo "npm is not installed: the accessibility checks will be skipped"; fi

test: lint translations check-translations $(AXE)
	$(BIN)/python -m pytest

bench: translations
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.pdf
	$(BIN)/python -m bench.documents

# A load test of production serving (gunicorn, PostgreSQL, Redis) with wrk from a second process.
load: translations
	@command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.load --database "$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +

# The pure modules are typed strictly: the policy, the workflow, machine readable zones, names across scripts,
# transliteration, line breaking, the field catalogue, dates of birth and the domain events.
PURE := rescue/auth/policy.py rescue/auth/roles.py rescue/cases/workflow.py rescue/documents/mrz.py \
        rescue/cases/names.py rescue/i18n/transliteration.py rescue/i18n/segmentation.py \
        rescue/cases/catalogue.py rescue/cases/birth.py rescue/cases/events.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy --strict $(PURE)
