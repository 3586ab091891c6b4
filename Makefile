# planchat — the two commands of the README are `make run` and `make test`.
VENV := .venv/bin

.PHONY: setup ingest run serve test test-slow bench clean

setup:
	@bash scripts/setup.sh

ingest: setup
	$(VENV)/planchat ingest

run: ingest  ## install, ingest the corpus, serve the chat at http://127.0.0.1:8000
	$(VENV)/planchat serve

serve: setup
	$(VENV)/planchat serve

test: setup  ## the default suite (< 15 min)
	$(VENV)/python -m pytest -q

test-slow: setup  ## slow suites: full evaluation, browser, benchmarks-as-tests
	bash scripts/install-browser.sh
	$(VENV)/python -m pytest -q -m slow

bench: setup  ## performance figures as medians, with the machine noted
	$(VENV)/python -m bench

clean:
	rm -rf data
