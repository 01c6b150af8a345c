.PHONY: test lint bench bench-quick quotes-eval relevance model-test complexity

PYTHON ?= python

test:
	$(PYTHON) -m pytest

lint:
	ruff check searchkit tests benchmarks
	ruff format --check searchkit tests benchmarks
	mypy --strict searchkit
	lint-imports

BENCH_DOCS ?= all
BENCH_ARGS = benchmarks --benchmark-enable --benchmark-columns=min,median,max,rounds

bench:
	mkdir -p benchmarks/results
	$(PYTHON) -m pytest $(BENCH_ARGS) --bench-docs $(BENCH_DOCS) --benchmark-json=benchmarks/results/bench-$(BENCH_DOCS).json

bench-quick:
	mkdir -p benchmarks/results
	$(PYTHON) -m pytest $(BENCH_ARGS) --bench-docs 1000 --benchmark-json=benchmarks/results/bench-1000.json

quotes-eval:
	$(PYTHON) benchmarks/quotes_eval.py

relevance:
	$(PYTHON) benchmarks/relevance.py

# The update-equals-rebuild state machine, longer than CI's bounded run.
MODEL_EXAMPLES ?= 100
MODEL_STEPS ?= 30
model-test:
	SEARCHKIT_MODEL_EXAMPLES=$(MODEL_EXAMPLES) SEARCHKIT_MODEL_STEPS=$(MODEL_STEPS) \
		$(PYTHON) -m pytest tests/test_update_model.py -p no:cacheprovider

complexity:
	$(PYTHON) benchmarks/complexity.py
