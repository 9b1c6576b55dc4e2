#!/usr/bin/env bash
# Creates (idempotently) the Python venv used by the peer benchmarks in this
# folder, at <project root>/.venv-peers, and installs the pinned Optuna into it,
# plus numpy, a CPU-only torch and bitsandbytes (for optim_step.py), cmaes (for
# Optuna's CmaEsSampler) and cma (pycma; both for cmaes_peers.py), scipy and greenlet
# (Optuna's GPSampler, for optuna_bo.py), each only when it does not already import.
# The last line printed is the venv's python, so callers can do:
#   PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
#   "$PY" Benchmarks/peers/optuna_storage.py --mode sqlite --trials 200 --json
#   "$PY" Benchmarks/peers/optim_step.py --threads 1 --json
#   "$PY" Benchmarks/peers/cmaes_peers.py --function rosenbrock --json
set -euo pipefail

OPTUNA_VERSION="5.0.0"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$script_dir/../.." && pwd)"
venv="$root/.venv-peers"
py="$venv/bin/python"

log() { echo "setup.sh: $*" >&2; }

# (Re)create the venv unless a working one with pip is already there.
if ! { [ -x "$py" ] && "$py" -m pip --version >/dev/null 2>&1; }; then
    rm -rf "$venv"
    log "creating venv at $venv"
    if ! python3 -m venv "$venv" >&2; then
        # Debian/Ubuntu ship venv/ensurepip in a separate package.
        rm -rf "$venv"
        log "python3 -m venv failed (ensurepip missing?); needs: apt-get install -y python3-venv"
        if [ "$(id -u)" -eq 0 ]; then
            apt-get update -qq >&2
            apt-get install -y python3-venv >&2
            python3 -m venv "$venv" >&2
        else
            log "run as root: apt-get install -y python3-venv   (then re-run this script)"
            exit 1
        fi
    fi
fi

# Install the pinned Optuna unless it already imports at that version.
if ! "$py" -c "import optuna, sys; sys.exit(optuna.__version__ != '$OPTUNA_VERSION')" >/dev/null 2>&1; then
    log "installing optuna==$OPTUNA_VERSION"
    "$py" -m pip install --quiet --disable-pip-version-check "optuna==$OPTUNA_VERSION" >&2
fi

have() { "$py" -c "$1" >/dev/null 2>&1; }
pip_q() { "$py" -m pip install --quiet --disable-pip-version-check "$@" >&2; }

# Which of the benchmark's modules do not import yet; one interpreter, since
# importing torch (and bitsandbytes on top of it) takes seconds.
missing="$("$py" - 2>/dev/null <<'PYEOF'
import importlib
for m in ("numpy", "torch", "bitsandbytes", "cmaes", "cma", "scipy", "greenlet", "psycopg2", "optuna_dashboard",
          "nevergrad", "dehb", "cocoex", "smac"):
    try:
        importlib.import_module(m)
    except Exception:
        print(m)
PYEOF
)"
want() { grep -qx "$1" <<<"$missing"; }

if want numpy; then
    log "installing numpy"
    pip_q numpy
fi

# torch: PyPI's Linux x86_64 wheels are CUDA builds whose CUDA runtime comes as
# nvidia-* dependencies (gigabytes), and without those they do not import. So
# prefer a local CPU-only wheel (torch-X+cpu-cpXY-cpXY-*-<arch>.whl; the machine
# images keep one in /opt/wheels); its dependencies are all pure Python.
if want torch; then
    tag="$("$py" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')"
    cache="$("$py" -m pip cache dir 2>/dev/null || true)"
    whl="$({ find /opt/wheels ${cache:+"$cache"} / -xdev \( -path /proc -o -path /sys \) -prune -o \
               -name "torch-*+cpu-$tag-$tag-*$(uname -m).whl" -print 2>/dev/null || true; } | sort -uV | tail -n 1)"
    if [ -n "$whl" ]; then
        log "installing torch from local CPU wheel $whl"
        pip_q "$whl"
    else
        # A CPU-only PyPI wheel (e.g. on some aarch64 releases) imports with
        # just the pure-Python deps; the CUDA one does not, then take its deps.
        log "no local CPU torch wheel; trying PyPI torch with --no-deps"
        pip_q --no-deps torch typing_extensions sympy networkx jinja2 fsspec filelock mpmath markupsafe
        if ! have "import torch"; then
            log "PyPI torch here needs its CUDA runtime: installing torch with dependencies (several GB)"
            pip_q torch
        fi
    fi
fi

# bitsandbytes (>= 0.45 has a CPU backend). --no-deps so it can never swap the
# CPU torch for a CUDA one; its other deps are numpy (above) and packaging.
if want bitsandbytes; then
    log "installing bitsandbytes"
    pip_q --no-deps bitsandbytes packaging
fi

# cmaes: the CMA-ES package Optuna's CmaEsSampler imports (an optional Optuna
# dependency); cma: pycma, the reference CMA-ES. Both need only numpy.
if want cmaes; then
    log "installing cmaes"
    pip_q cmaes
fi
if want cma; then
    log "installing cma"
    pip_q cma
fi

# scipy and greenlet: Optuna's GPSampler (optuna_bo.py) needs scipy and runs its L-BFGS-B
# restarts in parallel with greenlet (both in Optuna's "optional" extra); without greenlet
# it falls back to a sequential loop about 2× slower, which would understate it.
if want scipy; then
    log "installing scipy"
    pip_q scipy
fi
if want psycopg2; then
    # Optuna's RDBStorage on PostgreSQL (postgresql+psycopg2://), for postgres_storage.py.
    log "installing psycopg2-binary"
    pip_q psycopg2-binary
fi
if want optuna_dashboard; then
    # optuna-dashboard, the peer of hone dashboard (dashboard_load.py).
    log "installing optuna-dashboard"
    pip_q optuna-dashboard
fi
# The search-quality peers (bbob.py, hpo_tables.py, multifidelity.py): Nevergrad (NGOpt),
# the DEHB package, COCO's BBOB functions and SMAC3; then HEBO without its declared pins (numpy<1.25,
# pymoo==0.6.0 and GPy, which would send pip into a long resolution and replace numpy), and
# the packages it imports. A HEBO that still does not import is left out (its runs fail alone).
if want nevergrad || want dehb || want cocoex || want smac; then
    log "installing nevergrad, dehb, coco-experiment and smac"
    pip_q nevergrad dehb coco-experiment smac
fi
if ! have "import hebo.optimizers.hebo"; then
    log "installing HEBO (--no-deps) and pymoo, gpytorch, catboost, disjoint-set, scikit-learn"
    pip_q --no-deps HEBO && pip_q pymoo gpytorch catboost disjoint-set scikit-learn \
        || log "HEBO did not install; its benchmark runs will fail"
fi
# BoTorch beside the CPU torch: --no-deps (its pins would fetch CUDA torch), then what it imports
# beyond gpytorch and linear_operator (installed with HEBO).
if ! have "import botorch.models"; then
    log "installing botorch (--no-deps) and pyre-extensions, typing-inspect, mypy-extensions"
    pip_q --no-deps botorch pyre-extensions typing-inspect mypy-extensions || log "botorch did not install; its runs will fail"
fi
# The optimizers beside `hone compare` (torch_compare.py): lion-pytorch and torch-optimizer
# (its Shampoo), --no-deps so neither touches the CPU torch; torch-optimizer imports pytorch-ranger.
if ! have "import lion_pytorch, torch_optimizer"; then
    log "installing lion-pytorch, torch-optimizer and pytorch-ranger (--no-deps)"
    pip_q --no-deps lion-pytorch torch-optimizer pytorch-ranger || log "lion-pytorch or torch-optimizer did not install; their runs will fail"
fi
if want greenlet; then
    log "installing greenlet"
    pip_q greenlet
fi

echo "$py"
