# vndoc: two commands do everything. `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
DATA ?= data
HOST ?= 127.0.0.1
PORT ?= 8000
# Server processes (vndoc serve --workers; VNDOC_SERVER_WORKERS)
WORKERS ?= 2
# The documents of corpus/ (its README and SOURCES files are notes, not documents)
CORPUS ?= corpus/seeds corpus/docs corpus/samples

.PHONY: serve test eval bench bench-full install install-dev browser ocr fonts lint clean samples

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

install: $(STAMP)
install-dev: $(DEVSTAMP)

## Chromium for the browser tests (Debian's package; tests skip with a reason without it).
browser:
	@command -v chromium >/dev/null 2>&1 || ( (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "note: could not install Debian's chromium; browser tests will be skipped" )

## DejaVu fonts: the tests draw their PDFs with them (Debian's package; as root, when missing).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || ( (apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null) \
	  || echo "note: could not install Debian's fonts-dejavu-core; tests that draw PDFs will fail" )

## Tesseract + Vietnamese model for OCR, and poppler's pdftotext for PDF layout and signature widgets
## (Debian's packages; the tests that need them skip with a reason without them).
ocr:
	@(command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie) || ( (apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-vie >/dev/null) \
	  || echo "note: could not install Debian's tesseract-ocr and tesseract-ocr-vie; scanned PDFs and images can't be read and OCR tests will be skipped" )
	@command -v pdftotext >/dev/null 2>&1 || ( (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null) \
	  || echo "note: could not install Debian's poppler-utils; PDFs are read without layout and widget text" )

## Install, ingest corpus/ into the embedded store, serve API + web page on http://127.0.0.1:8000
serve: $(STAMP) ocr
	VNDOC_DATA_DIR=$(DATA) $(BIN)/vndoc ingest $(CORPUS) --quiet
	VNDOC_DATA_DIR=$(DATA) $(BIN)/vndoc serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

## Install the dev extras, lint, and run the whole test suite (with the docstring examples)
test: $(DEVSTAMP) browser ocr fonts lint
	$(BIN)/python -m pytest -q

## Extraction quality against the gold set, with the floors CI enforces
eval: $(STAMP)
	$(BIN)/vndoc eval corpus/gold corpus/pdf/gold --floors tests/eval_floors.json

## Benchmarks: quick (~300 documents, a 10 s load test of 50 clients, CI; writes bench/results/quick.md)
## and full (BENCHMARKS.md: before/after at 10k and 100k, the 60 s load test at 10k)
bench: $(DEVSTAMP)
	$(BIN)/python -m bench.run --quick
	$(BIN)/python -m bench.pdf_readers --repeat 1 --out bench/results/quick-pdf.md
	$(BIN)/python -m bench.hostile --out bench/results/hostile.md
	$(BIN)/python -m bench.extraction --rounds 3

bench-full: $(DEVSTAMP)
	$(BIN)/python -m bench.run --full

## ruff, the layer contracts (import-linter, [tool.importlinter] in pyproject.toml), mypy on extractors/
lint: $(DEVSTAMP)
	$(BIN)/ruff check extractors pipeline search_api tests scripts bench conftest.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

samples: $(DEVSTAMP)
	$(BIN)/python scripts/make_samples.py

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
