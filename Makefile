# Hone — make demo · make test · make bench
SHELL := /bin/bash
export OPENBLAS_NUM_THREADS ?= 1
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev zlib1g-dev

.PHONY: demo test bench deps browser build release clean

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

# Headless Chromium renders the HTML report in one test: installed where possible (root with
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

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product hone

demo: release
	.build/release/hone demo

test: deps browser
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product hone --product StorageBenchmark --product OptimizerBenchmark --product PruningBenchmark --product SamplerBenchmark --product TrainingBenchmark --product BayesBenchmark --product NASBenchmark
	Benchmarks/run.sh

clean:
	rm -rf .build
