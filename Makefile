.PHONY: test lint bench bench-quick quotes-eval relevance

PYTHON ?= python

test:
	$(PYTHON) -m pytest

lint:
	ruff check searchkit tests benchmarks
	ruff format --check searchkit tests benchmarks
	mypy --strict searchkit

bench:
	$(PYTHON) -m pytest benchmarks --benchmark-enable --benchmark-json=benchmarks/results/bench.json

bench-quick:
	$(PYTHON) -m pytest benchmarks --benchmark-enable --bench-docs 1000

quotes-eval:
	$(PYTHON) benchmarks/quotes_eval.py

relevance:
	$(PYTHON) benchmarks/relevance.py
