#!/usr/bin/env bash
# Creates (idempotently) the Python venv used by the peer benchmarks in this
# folder, at <project root>/.venv-peers, and installs the pinned Optuna into it.
# The last line printed is the venv's python, so callers can do:
#   PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
#   "$PY" Benchmarks/peers/optuna_storage.py --mode sqlite --trials 200 --json
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

echo "$py"
