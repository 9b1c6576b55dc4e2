#!/usr/bin/env bash
# Wide spaces from the command line: the time of a `hone ask` (TPE; median of three) of P
# float parameters when the study holds 1, 10 and 100 trials of them, beside Optuna's ask on the same SQLite
# work (Benchmarks/peers/optuna_wide_ask.py) at the checkpoints given for it (Optuna needs
# over a minute per ask at 20,000 parameters); then `hone tune` reading a 50 MB output line.
# Usage: Benchmarks/cli_wide_ask.sh [P] [OPTUNA_CHECKPOINTS]   (needs .build/release/hone: make release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
params="${1:-20000}"
optuna_checkpoints="${2:-1}"
hone="$root/.build/release/hone"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 -c "import json; print(json.dumps({f'p{i}': {'type': 'float', 'low': 0, 'high': 1} for i in range($params)}))" > space.json
"$hone" study create --study wide >/dev/null
built=0
for checkpoint in 1 10 100; do
  while [ "$built" -lt "$checkpoint" ]; do
    "$hone" ask --study wide --space-file space.json --sampler random --seed "$built" >/dev/null
    "$hone" tell --study wide --trial "$built" --value "$((built % 7))" >/dev/null
    built=$((built + 1))
  done
  # Three timed asks (each told before the next), the median reported.
  times=()
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$hone" ask --study wide --space-file space.json --seed 1 >/dev/null
    end=$(date +%s.%N)
    "$hone" tell --study wide --trial "$built" --value 0 >/dev/null
    built=$((built + 1))
    times+=("$(python3 -c "print($end - $start)")")
  done
  python3 -c "import json, statistics; print(json.dumps({'tool': 'hone', 'params': $params, 'trials': $checkpoint, 'seconds_median_of_3': round(statistics.median([${times[0]}, ${times[1]}, ${times[2]}]), 3)}))"
done
"$python" "$root/Benchmarks/peers/optuna_wide_ask.py" --params "$params" --checkpoints "$optuna_checkpoints"

# A 50 MB line without a newline, then the result: linear reading, bounded memory.
start=$(date +%s.%N)
/usr/bin/time -f '{"tool": "hone", "tune_50mb_line_max_rss_kb": %M}' "$hone" tune --study line --space '{"x": {"type": "float", "low": 0, "high": 1}}' --trials 1 -- \
  python3 -c "import sys; sys.stdout.write('y' * 50_000_000); print(); print('hone: value=1')" >/dev/null 2>rss.txt
end=$(date +%s.%N)
tail -n 1 rss.txt
python3 -c "print('{\"tool\": \"hone\", \"tune_50mb_line_seconds\": %.2f}' % ($end - $start))"
