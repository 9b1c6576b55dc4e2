# Hone — make demo · make test · make bench
SHELL := /bin/bash
export OPENBLAS_NUM_THREADS ?= 1
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev zlib1g-dev

PYTHON ?= python3
VENV := .venv-test

.PHONY: demo test bench fuzz docs deps browser services pydeps build release clean screenshots

# Installs the system libraries Hone links (OpenBLAS and LAPACKE) when they are missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Hone needs$$missing. Run: sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

# Headless Chromium renders the HTML report and the dashboard in tests: installed where possible (root with
# apt-get); elsewhere that test is skipped with a message.
browser:
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (renders the report in a test)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: the report rendering test will be skipped"; \
	  else \
	    echo "no chromium: the report rendering test will be skipped (apt-get install chromium)"; \
	  fi; \
	fi

# What the storage tests start and drive: PostgreSQL (each test run makes throwaway clusters
# of its own), faketime (workers with a skewed clock) and iproute2 (test hosts in network
# namespaces). Installed with apt-get when run as root; elsewhere those tests are skipped
# with a message.
SERVICE_PACKAGES := postgresql faketime iproute2
services:
	@missing=""; for p in $(SERVICE_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing (the PostgreSQL and multi-host tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "no$$missing: the PostgreSQL tests will be skipped (sudo apt-get install -y$$missing)"; \
	  fi; \
	fi

# A Python environment for the tests that run Python: pytest for the Python client
# (clients/python) and Optuna 5 for the tests that exchange studies with Optuna; from PyPI,
# into the ignored folder .venv-test.
pydeps:
	@if ! $(VENV)/bin/python -c "import optuna, pytest" >/dev/null 2>&1; then \
	  echo "installing optuna and pytest into $(VENV)"; \
	  if ! $(PYTHON) -m venv $(VENV) >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; fi; \
	    rm -rf $(VENV); $(PYTHON) -m venv $(VENV); \
	  fi; \
	  $(VENV)/bin/pip install -q --disable-pip-version-check "optuna>=5,<6" pytest; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product hone

demo: release
	.build/release/hone demo

test: deps browser services pydeps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	HONE_BIN=$(CURDIR)/.build/debug/hone HONE_REQUIRE_BIN=1 $(VENV)/bin/python -m pytest -q clients/python/tests Tests/browser

bench: deps services
	# One product per call: swift build builds only the last of several --product options.
	for product in hone StorageBenchmark OptimizerBenchmark PruningBenchmark SamplerBenchmark TrainingBenchmark \
	  BayesBenchmark NASBenchmark DashboardBenchmark; do $(SWIFT) build -c release --product $$product || exit 1; done
	Benchmarks/run.sh

# The dashboard's pages as PNGs in docs/ (the README shows them): real studies made by hone,
# served by hone dashboard, captured by headless Chromium.
screenshots: deps browser pydeps
	$(SWIFT) build --product hone
	HONE_BIN=$(CURDIR)/.build/debug/hone $(VENV)/bin/python Tests/browser/screenshots.py

# Coverage-guided fuzzing of the parsers that read outside input (FuzzTarget): each target
# runs FUZZ_SECONDS under libFuzzer, growing Fuzz/corpus/<target>/; a crash is saved in
# Fuzz/crashes/<target>/ (add it to the corpus: make test replays the corpus).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= json space serve storage-url csv safetensors optimizer-state
fuzz: deps
	$(SWIFT) build -c release --product HoneFuzz --build-path .build-fuzz \
	  -Xswiftc -sanitize=fuzzer -Xswiftc -DHONE_LIBFUZZER -Xswiftc -parse-as-library
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p Fuzz/corpus/$$t Fuzz/crashes/$$t; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  HONE_FUZZ_TARGET=$$t .build-fuzz/release/HoneFuzz Fuzz/corpus/$$t -max_total_time=$(FUZZ_SECONDS) \
	    -rss_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 -artifact_prefix=Fuzz/crashes/$$t/ \
	    2>Fuzz/crashes/$$t/log.txt || { tail -40 Fuzz/crashes/$$t/log.txt; exit 1; }; \
	  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" Fuzz/crashes/$$t/log.txt | tail -3; \
	done

# The DocC documentation of every public module (Sources/<Module>/<Module>.docc), one archive
# per module in .build/docs; `docc preview` or any static server shows them.
DOC_TARGETS = Hone HoneCore HoneMath HoneBayes HoneBayesNN HoneTune HoneSQLite HoneOptim HoneTensor HoneNN HoneReport HoneNAS HoneDashboard
docs: deps
	for target in $(DOC_TARGETS); do \
	  mkdir -p .build/docs && swift package --disable-sandbox generate-documentation --target $$target --output-path .build/docs/$$target.doccarchive || exit 1; \
	done

clean:
	rm -rf .build
