"""Synthetic targets, indicators and observations for benchmarks (never shipped as data).

``python -m benchmarks.synthetic DIR --indicators 1000 --targets 1000 --rows 1000000``
writes DIR/targets/*.yaml and DIR/data/{indicators.yaml,observations/*.csv}.
The numbers are random walks; they exist only to measure speed.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

FIRST_DAY = date(1990, 1, 1)
UNITS = [
    ("connections", ["户"], "亿户", 1e8),
    ("%", [], "%", 1.0),
    ("enterprises", ["家"], "家", 1.0),
    ("CNY", ["元"], "亿元", 1e8),
]


def generate(
    root: Path, indicators: int = 1000, targets: int = 1000, rows: int = 1_000_000, files: int = 10, seed: int = 7
) -> Path:
    rng = random.Random(seed)
    data = root / "data"
    obs_dir = data / "observations"
    targets_dir = root / "targets"
    obs_dir.mkdir(parents=True, exist_ok=True)
    targets_dir.mkdir(parents=True, exist_ok=True)
    specs = []
    lines = ["indicators:"]
    for i in range(indicators):
        unit, aliases, published_unit, _ = UNITS[i % len(UNITS)]
        specs.append((f"ind-{i:05d}", unit, published_unit))
        lines += [
            f"  - id: ind-{i:05d}",
            f"    name: Synthetic indicator {i}",
            f"    unit: '{unit}'",
            f"    unit_aliases: [{', '.join(aliases)}]",
            "    frequency: irregular",
            "    definition: Random walk for benchmarking.",
            "    direction: higher",
            f"    measure: {'rate' if unit == '%' else 'level'}",
            "    coverages:",
            "      - id: all",
            "        name: Whole economy",
        ]
        if unit == "%":
            lines.append("    limit: 100")
    (data / "indicators.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    per_indicator = max(rows // indicators, 1)
    header = ["indicator", "period", "value", "unit", "qualifier", "coverage", "source_title", "publisher",
              "source_url", "published", "note"]  # fmt: skip
    writers = []
    handles = []
    for f in range(files):
        fh = (obs_dir / f"synthetic-{f:03d}.csv").open("w", newline="", encoding="utf-8")
        handles.append(fh)
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        writers.append(w)
    written = 0
    for n, (ind, unit, published_unit) in enumerate(specs):
        level = rng.uniform(10, 50) if unit == "%" else rng.uniform(1, 20)
        w = writers[n % files]
        for k in range(per_indicator):
            if written >= rows:
                break
            day = FIRST_DAY + timedelta(days=k)
            level = (
                min(level * (1 + rng.uniform(-0.01, 0.02)), 99.9)
                if unit == "%"
                else level * (1 + rng.uniform(-0.01, 0.02))
            )
            release = f"Synthetic release {k}"
            w.writerow([ind, day.isoformat(), f"{level:.4f}", published_unit, "=", "", release,
                        "Benchmark generator", "https://example.org/release", "", ""])  # fmt: skip
            written += 1
    for fh in handles:
        fh.close()

    per_policy = 50
    for p in range(0, targets, per_policy):
        out = [
            "# yaml-language-server: $schema=schema.json",
            "policy:",
            f"  id: policy-{p // per_policy:04d}",
            f"  title: Synthetic policy {p // per_policy}",
            "  issuer: Benchmark",
            "  issued: 1950-01-01",
            "  url: https://example.org/policy",
            "  summary: Synthetic policy for benchmarks.",
            "targets:",
        ]
        for t in range(p, min(p + per_policy, targets)):
            ind, unit, _ = specs[t % len(specs)]
            value = 95 if unit == "%" else rng.uniform(1e9, 5e9)
            out += [
                f"  - id: target-{t:05d}",
                f"    title: Synthetic target {t}",
                "    kind: commitment",
                f"    indicator: {ind}",
                "    comparator: '>='",
                f"    value: {value:.1f}",
                f"    unit: '{unit}'",
                f"    deadline: {2030 + t % 10}",
                "    source: Synthetic.",
            ]
        (targets_dir / f"policy-{p // per_policy:04d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--targets", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    generate(args.root, args.indicators, args.targets, args.rows, args.files)
    print(f"wrote synthetic targets and data under {args.root}")
