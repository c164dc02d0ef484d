# publish — build every book in manuscript/ into build/.
#
#   make          set up .venv (first time), then build every book's EPUB and PDF
#   make epub     only the EPUBs            make pdf     only the print PDFs (and covers)
#   make screen   only the screen editions  make kepub   only the Kobo editions
#   make check    manuscript checks; EPUBCheck, DAISY Ace and Calibre's AZW3 conversion on each
#                 EPUB, EPUBCheck on each Kobo edition; preflight on each PDF
#   make test     the test suite            make clean   remove build/
#   make lint     ruff over src/ and tests/
#   make proof    every PDF as page spreads (PNG) in build/proof/<name>/
#   make watch    rebuild the book in MANUSCRIPT on every save, from the layout cache
#   make bench    time every output beside Pandoc on BENCH_BOOK (Pride and Prejudice) and a
#                 generated illustrated book; ratios and medians into build/bench.json
#   make corpus   build every book of CORPUS (../shared/corpora) at its own trim, 5x8, 6x9
#                 and in the modern theme, every invariant on; EPUBCheck, DAISY Ace and
#                 preflight on each; a table into build/corpus/corpus.md
#
# Outputs are named after the book: build/<name>.epub, where <name> is the title's slug.

SHELL := /bin/bash
.DEFAULT_GOAL := all

PYTHON ?= python3
MANUSCRIPT ?= manuscript
OUT ?= build
STYLES := styles

VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SYSTEM_OK := $(VENV)/.system-ok

SRC_FILES := $(shell find src -type f -name '*.py' -o -type f -path '*/templates/*') pyproject.toml
STYLE_FILES := $(shell find $(STYLES) -type f)

.PHONY: all epub kepub pdf screen check test lint bench proof watch corpus clean

# --- set-up -----------------------------------------------------------------------------

$(SYSTEM_OK): scripts/system-deps.sh
	@mkdir -p $(VENV)
	bash scripts/system-deps.sh build
	@touch $@

$(INSTALLED): pyproject.toml $(SYSTEM_OK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# --- the books --------------------------------------------------------------------------

# Which books there are, and their output names, comes from the CLI (names are title slugs).
$(OUT)/books.mk: $(wildcard $(MANUSCRIPT)/book.yaml $(MANUSCRIPT)/*/book.yaml) $(INSTALLED)
	@mkdir -p $(OUT)
	@$(BIN)/publish books $(MANUSCRIPT) --make > $@.tmp && mv $@.tmp $@

ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include $(OUT)/books.mk
endif

# A book's inputs: every file in its folder, and the folders (a new chapter changes them).
book_inputs = $(shell find $(1) -not -name '.*')

define book_rules
$(OUT)/$(1).epub: $(call book_inputs,$(2)) $(SRC_FILES) $(STYLE_FILES) | $(INSTALLED)
	$(BIN)/publish build $(2) -o $(OUT) --epub --styles $(STYLES)
$(OUT)/$(1).pdf: $(call book_inputs,$(2)) $(SRC_FILES) $(STYLE_FILES) | $(INSTALLED)
	$(BIN)/publish build $(2) -o $(OUT) --pdf --styles $(STYLES)
$(OUT)/$(1)-screen.pdf: $(call book_inputs,$(2)) $(SRC_FILES) $(STYLE_FILES) | $(INSTALLED)
	$(BIN)/publish build $(2) -o $(OUT) --screen --styles $(STYLES)
$(OUT)/$(1).kepub.epub: $(call book_inputs,$(2)) $(SRC_FILES) $(STYLE_FILES) | $(INSTALLED)
	$(BIN)/publish build $(2) -o $(OUT) --kepub --styles $(STYLES)
endef
$(foreach book,$(BOOKS),$(eval $(call book_rules,$(book),$(BOOK_DIR_$(book)))))

# The PDFs first: an EPUB carries the print page numbers, which its PDF's build records
# (an EPUB built alone typesets the book to learn them).
EPUBS := $(BOOKS:%=$(OUT)/%.epub)
PDFS := $(BOOKS:%=$(OUT)/%.pdf)
SCREENS := $(BOOKS:%=$(OUT)/%-screen.pdf)
KEPUBS := $(BOOKS:%=$(OUT)/%.kepub.epub)

all: $(PDFS) $(EPUBS) $(KEPUBS) $(SCREENS)
epub: $(EPUBS)
kepub: $(KEPUBS)
pdf: $(PDFS)
screen: $(SCREENS)

# --- checks and tests -------------------------------------------------------------------

ACE := node_modules/.bin/ace-cli

# DAISY Ace from npm; --ignore-scripts keeps npm from fetching a browser (Debian's is used).
$(ACE): package.json package-lock.json
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

check: $(PDFS) $(EPUBS) $(KEPUBS) | $(INSTALLED) $(ACE)
	@bash scripts/system-deps.sh test
	@status=0; \
	$(foreach book,$(BOOKS),\
	  $(BIN)/publish check $(BOOK_DIR_$(book)) || status=1; \
	  $(BIN)/publish validate $(OUT)/$(book).epub --book $(BOOK_DIR_$(book)) --kindle \
	    || status=1; \
	  $(BIN)/publish validate $(OUT)/$(book).kepub.epub --book $(BOOK_DIR_$(book)) --no-ace \
	    || status=1; \
	  $(BIN)/publish preflight $(OUT)/$(book).pdf --book $(BOOK_DIR_$(book)) || status=1;) \
	exit $$status

proof: $(PDFS) | $(INSTALLED)
	@bash scripts/system-deps.sh test
	@$(foreach book,$(BOOKS),$(BIN)/publish proof $(OUT)/$(book).pdf -o $(OUT)/proof/$(book);)

# The slow tests build whole books: one process per core, each test module kept in one
# process so that its books are built once.
test: | $(INSTALLED)
	@bash scripts/system-deps.sh test
	$(BIN)/python -m pytest -n auto --dist loadscope

lint: | $(INSTALLED)
	$(BIN)/ruff check src tests

BENCH_BOOK ?= ../shared/corpora/pride-and-prejudice
BENCH_RUNS ?= 3
# BENCH_FLAGS="--corpus ../shared/corpora --bounds" adds total ÷ first fit for every corpus
# book and generated books of growing size.
BENCH_FLAGS ?=
$(VENV)/.bench-installed: pyproject.toml | $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python scripts/bench.py $(BENCH_BOOK) --runs $(BENCH_RUNS) $(BENCH_FLAGS)

CORPUS ?= ../shared/corpora
corpus: | $(INSTALLED) $(ACE)
	@bash scripts/system-deps.sh test
	$(BIN)/python scripts/corpus.py $(CORPUS) --out $(OUT)/corpus

# Rebuild every output of the book in MANUSCRIPT on each save (Ctrl-C stops).
watch: | $(INSTALLED)
	$(BIN)/publish watch $(MANUSCRIPT) -o $(OUT) --styles $(STYLES)

clean:
	rm -rf $(OUT)
