# The Makefile contract is in ../shared/DESIGN.md: the first run sets up .venv and
# node_modules from the pinned files, later runs reuse them.
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXBUILD := $(BIN)/sphinx-build
SPHINXOPTS  ?= -W --keep-going -n -j auto
BUILDDIR    := _build
GLOSSARY    := $(BIN)/glossweave
PYTESTOPTS  ?=

.PHONY: html test system-deps lint check export latexpdf epub publish bench clean setup

setup: $(VENV)/.installed node_modules/.installed

# The pinned requirements, then this package itself, editable, from pyproject.toml
# (hatchling is pinned there too, so the install needs no build isolation).
# `ensure tools`: python3-venv, node and npm (installed as root, else named; .ci/debian-packages.txt).
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) .ci/debian_packages.py ensure tools
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The tests' and linters' pins, on top of the build's.
$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	$(PYTHON) .ci/debian_packages.py ensure tools
	npm ci --no-audit --no-fund --silent
	touch $@

SITE = $(SPHINXBUILD) -b html -c . $(DOCS) $(BUILDDIR)/html -d $(BUILDDIR)/doctrees $(SPHINXOPTS)
html: setup
	$(SITE)

# The Debian packages of .ci/debian-packages.txt first: as root, `make test` installs
# the missing ones; otherwise it names them and the tests that need them are skipped.
test: system-deps
	$(MAKE) --no-print-directory setup $(VENV)/.installed-test
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest $(PYTESTOPTS)

# Installs (as root, with apt-get) or names the missing Debian packages of .ci/debian-packages.txt.
system-deps:
	$(PYTHON) .ci/debian_packages.py ensure  # apt-get install of the missing ones, as root

# ruff, and mypy on the core, as the pre-commit hook runs them (.pre-commit-config.yaml)
lint: $(VENV)/.installed-test
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

# The book (-t book, see conf.py) has its own doctrees, outside the ePub folder:
# EPUBCheck would otherwise find every pickled doctree inside the book.  DOCS is
# the source folder; the tests build a copy, so they never rewrite the generated pages in docs/.
DOCS     ?= docs
BOOKOPTS  = -t book -c . $(DOCS) -d $(BUILDDIR)/doctrees-book $(SPHINXOPTS)

# The book's own document only (conf.py's latex_documents), not whatever other .tex lies in
# the folder.  TeX runs guarded by the latexmkrc the book ships (glossweave.core.latexguard):
# no shell escape, no file outside the folder, GLOSSARY_LATEX_TIME_LIMIT seconds per run.
BOOKTEX  := glossary
BOOKPDF  = $(MAKE) -C $(BUILDDIR)/latex all-pdf ALLDOCS=$(BOOKTEX) LATEXMKOPTS="-interaction=nonstopmode -halt-on-error"
latexpdf: setup
	$(SPHINXBUILD) -b latex $(BOOKOPTS) $(BUILDDIR)/latex
	$(BOOKPDF)

epub: setup
	$(SPHINXBUILD) -b epub $(BOOKOPTS) $(BUILDDIR)/epub

# All three, as a hosted-docs build publishes them (.readthedocs.yaml): the book's .tex, then
# its TeX passes (one core, log in _build/latex/pdf.log) beside the ePub (which reuses the
# book's doctrees) and then the site. The same files as `make latexpdf epub html`, sooner.
# The TeX passes are the longest path: the builds beside them run niced, on what CPU is left.
publish: setup
	$(SPHINXBUILD) -b latex $(BOOKOPTS) $(BUILDDIR)/latex
	$(BOOKPDF) > $(BUILDDIR)/latex/pdf.log 2>&1 & pdf=$$!; trap 'kill $$pdf 2>/dev/null' INT TERM; \
	nice $(SPHINXBUILD) -b epub $(BOOKOPTS) $(BUILDDIR)/epub && nice $(SITE); sites=$$?; \
	wait $$pdf; passes=$$?; cat $(BUILDDIR)/latex/pdf.log; \
	[ $$sites -eq 0 ] && [ $$passes -eq 0 ]

check: setup
	$(GLOSSARY) check docs/corpus --bib docs/references.bib

export: setup
	$(GLOSSARY) export docs/corpus --out $(BUILDDIR)/export

# Synthetic corpora of BENCH_SIZES entries built by our site and by plain Sphinx,
# in throw-away projects under _build/bench/work (never docs/); see benchmarks/run.py.
BENCH_SIZES ?= 1000,4000,16000
# The whole job (make html, latexpdf, epub) is measured too: the [latex], [poppler] and [bench]
# Debian packages first (installed as root, else named).
bench: setup
	$(PYTHON) .ci/debian_packages.py ensure bench latex poppler
	$(BIN)/python -m benchmarks.run --sizes $(BENCH_SIZES) --out $(BUILDDIR)/bench

# Generated pages live in docs/terms, docs/letters, docs/categories (git-ignored), next to
# any hand-written file there: only the files the emitter's manifest lists are removed.
clean:
	if [ -f docs/_generated/manifest.txt ]; then cd docs && xargs -d '\n' rm -f -- < _generated/manifest.txt; fi
	-find docs/terms docs/letters docs/categories -depth -type d -empty -delete 2>/dev/null
	rm -rf $(BUILDDIR) docs/_generated
