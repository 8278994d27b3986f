#!/usr/bin/env python3
"""Side-by-side table of bench/uplink/run.sh's runs: per run, then the
median of each mode and the ratio hints / plain.

Usage: summary.py DIR ROUNDS   (DIR holds r<N>-<mode>.json and .link.json)
"""

import json
import statistics
import sys
from pathlib import Path

MODES = ("plain", "hints")


def load(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def figures(report, link):
    """The compared figures of one run (None where the run gave none)."""
    f = {}
    if report is not None:
        up = report.get("upload", {})
        fr = report.get("frames", {})
        lat = report.get("latency_ms", {})
        rate = report.get("rate", {})
        hints = report.get("hints", {})
        f["uploaded MB (acked)"] = up.get("bytes_acked", 0) / 1e6
        f["upload Mbit/s"] = up.get("mbit_per_s", 0)
        f["written MB"] = up.get("bytes_written", 0) / 1e6
        f["KB per frame"] = up.get("frame_bytes_sent", 0) / 1024
        f["frames sent"] = fr.get("sent", 0)
        f["frames delivered"] = fr.get("processed", 0)
        f["delivered fps/phone"] = rate.get("fps_processed_per_session", 0)
        f["dropped by server"] = fr.get("dropped", 0)
        f["skipped (socket busy)"] = fr.get("skipped", 0)
        f["latency p50 ms"] = lat.get("p50", 0)
        f["latency p99 ms"] = lat.get("p99", 0)
        f["hints received"] = hints.get("received", 0)
    if link is not None and link.get("elapsed_s", 0) > 0:
        f["link Mbit/s (whole run)"] = link["link_tx_bytes"] * 8 / 1e6 / link["elapsed_s"]
    return f


def last_hint(report):
    h = (report or {}).get("hints", {}).get("last")
    if not h:
        return "-"
    return "fps {fps} q {jpeg_quality} w {max_width} ({reason})".format(**h)


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.2f}"
    return f"{v:.0f}"


def main():
    out = Path(sys.argv[1])
    rounds = int(sys.argv[2])
    runs = {m: [] for m in MODES}
    lasts = {m: [] for m in MODES}
    for r in range(1, rounds + 1):
        for m in MODES:
            rep = load(out / f"r{r}-{m}.json")
            link = load(out / f"r{r}-{m}.link.json")
            runs[m].append(figures(rep, link))
            lasts[m].append(last_hint(rep))
    names = []
    for m in MODES:
        for f in runs[m]:
            names += [n for n in f if n not in names]
    if not names:
        print("no run produced a report (see the .err files)")
        return 1

    w = max(len(n) for n in names) + 2
    print()
    print("per run".ljust(w) + "".join(f"{m} r{r + 1}".rjust(11) for m in MODES for r in range(rounds)))
    for n in names:
        cells = [fmt(runs[m][r].get(n)) for m in MODES for r in range(rounds)]
        print(n.ljust(w) + "".join(c.rjust(11) for c in cells))
    print()
    print("median".ljust(w) + "plain".rjust(11) + "hints".rjust(11) + "hints/plain".rjust(13))
    for n in names:
        med = {}
        for m in MODES:
            vals = [f[n] for f in runs[m] if n in f]
            med[m] = statistics.median(vals) if vals else None
        ratio = "-"
        if med["plain"] and med["hints"] is not None:
            ratio = f"{med['hints'] / med['plain']:.2f}"
        print(n.ljust(w) + fmt(med["plain"]).rjust(11) + fmt(med["hints"]).rjust(11) + ratio.rjust(13))
    print()
    for m in MODES:
        print(f"last hint ({m}): " + "; ".join(lasts[m]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
