# Hone — make demo · make test · make bench
SHELL := /bin/bash
export OPENBLAS_NUM_THREADS ?= 1
SWIFT ?= swift
APT_PACKAGES := libopenblas-dev liblapacke-dev

.PHONY: demo test bench deps build release clean

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

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product hone

demo: release
	.build/release/hone demo

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product hone --product StorageBenchmark --product OptimizerBenchmark --product PruningBenchmark --product SamplerBenchmark --product TrainingBenchmark --product BayesBenchmark
	Benchmarks/run.sh

clean:
	rm -rf .build
