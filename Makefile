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

.PHONY: run test install translations check-translations db seed bench clean

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

test: translations check-translations
	$(BIN)/python -m pytest

bench: translations
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.pdf

clean:
	rm -rf $(VENV) .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
