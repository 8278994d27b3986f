#!/usr/bin/env python3
"""Medians of bench/credits/ab.sh's runs: one row per session count and mode."""
import glob
import json
import os
import re
import statistics
import sys

out = sys.argv[1]
rows = {}
for path in sorted(glob.glob(os.path.join(out, "n*-credits*-r*.json"))):
    if path.endswith(".ai.json"):
        continue
    m = re.search(r"n(\d+)-credits(\d)-r(\d+)\.json$", path)
    n, credits = int(m.group(1)), int(m.group(2))
    rep = json.load(open(path))
    ai = json.load(open(path[: -len(".json")] + ".ai.json"))
    util = ai["render_s"] / (ai["wall_s"] * ai["workers"]) if ai["workers"] else 0
    rows.setdefault((n, credits), []).append(
        {
            "fps": rep["rate"]["fps_processed_per_session"],
            "total": rep["rate"]["fps_processed_per_session"] * rep["sessions"]["ready"],
            "p50": rep["latency_ms"]["p50"],
            "p99": rep["latency_ms"]["p99"],
            "drop": rep["frames"]["drop_pct"],
            "render": rep["latency_ms"]["ai_processing_mean"],
            "util": 100 * util,
        }
    )

def med(runs, key):
    return statistics.median(r[key] for r in runs)

print(f"runs in {out}; medians of {max(len(v) for v in rows.values())} runs each\n")
print("| sessions | credits | fps/session | total fps | p50 ms | p99 ms | drops % | renderer ms/frame | AI util % |")
print("|---|---|---|---|---|---|---|---|---|")
for (n, c) in sorted(rows, key=lambda k: (k[0], -k[1])):
    runs = rows[(n, c)]
    print(
        f"| {n} | {'on' if c else 'off'} | {med(runs,'fps'):.1f} | {med(runs,'total'):.0f} | "
        f"{med(runs,'p50'):.1f} | {med(runs,'p99'):.1f} | {med(runs,'drop'):.1f} | "
        f"{med(runs,'render'):.1f} | {med(runs,'util'):.0f} |"
    )
print("\nper run (p50 / p99 ms, total fps):")
for (n, c) in sorted(rows, key=lambda k: (k[0], -k[1])):
    runs = rows[(n, c)]
    print(f"  n={n} credits={'on' if c else 'off'}: " + ", ".join(
        f"{r['p50']:.1f}/{r['p99']:.1f}/{r['total']:.0f}" for r in runs))
