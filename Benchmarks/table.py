"""Reads JSON result lines (hone and its peer, alternating) and prints a Markdown table with ratios."""
import json
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip()]
print("| storage | processes | Hone trials/s | Optuna trials/s | ratio | Hone dense, locked errors | Optuna dense, locked errors |")
print("|---|---:|---:|---:|---:|---|---|")
for hone, peer in zip(rows[0::2], rows[1::2]):
    ratio = hone["trials_per_second"] / peer["trials_per_second"]
    print(
        f"| {hone['mode']} | {hone['processes']} | {hone['trials_per_second']:,.0f} ({hone['trials']} trials) "
        f"| {peer['trials_per_second']:,.1f} ({peer['trials']} trials) | {ratio:,.0f}× "
        f"| {hone['numbers_dense']}, {hone['locked_errors']} | {peer['numbers_dense']}, {peer['locked_errors']} |"
    )
